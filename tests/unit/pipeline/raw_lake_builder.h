#pragma once

// Writes a raw tier the way replication does (raw files with _op, _commit_ts,
// _seq; the manifest with keys and foreign keys), so curation can be tested
// on crafted changes.

#include <map>
#include <string>
#include <vector>

#include "engine/duckdb.h"
#include "lake/raw_tier_layout.h"
#include "lake/tier_layout.h"
#include "replicate/replication_state.h"
#include "support/lake_fixture.h"

namespace futureim::testing {

class RawLakeBuilder {
 public:
  explicit RawLakeBuilder(std::filesystem::path root) : writer_(std::move(root)) {}

  const std::filesystem::path& root() const { return writer_.root(); }

  // Declares table ecommerce.<table> with its key and foreign keys.
  void AddTable(const std::string& table, std::vector<std::string> key,
                std::vector<replicate::ForeignKeyRule> foreign_keys = {}) {
    replicate::TableProgress progress;
    progress.schema = "ecommerce";
    progress.table = table;
    progress.state = replicate::TableState::kStreaming;
    progress.primary_key = std::move(key);
    progress.foreign_keys = std::move(foreign_keys);
    state_.tables["ecommerce." + table] = progress;
  }

  static replicate::ForeignKeyRule Fk(const std::string& name, const std::string& column,
                                      const std::string& parent, const std::string& parent_column,
                                      const std::string& on_delete) {
    return {name, {column}, "ecommerce", parent, {parent_column}, on_delete, "RESTRICT"};
  }

  // Writes file c<commit>_<index> of `table` with the rows of `select`
  // (which must produce the source columns then _op, _commit_ts, _seq).
  void WriteFile(const std::string& table, uint64_t commit, uint32_t index,
                 const std::string& select) {
    writer_.WriteRawFile("ecommerce", table, "2026-01-01", commit, index, select);
  }

  // Records `commit` as the last committed one.
  void Commit(uint64_t commit) {
    state_.commit = commit;
    writer_.WriteManifest(state_.ToJson().dump());
  }

 private:
  LakeFixtureWriter writer_;
  replicate::ReplicationState state_;
};

}  // namespace futureim::testing
