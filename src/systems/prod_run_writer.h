#pragma once

// Writes one run of a system's prod tables (SPEC.md §3, prod/<system>/), by
// the run layout of lake/tier_layout.h:
//
//   prod/<system>/<table>/run=<id>/part-0.parquet   the table's rows
//   prod/<system>/<table>/run=<id>/_run.json        what the run recorded
//   prod/<system>/<table>/_current                  the current run id
//
// Invariant: Publish moves the `_current` pointers only after every table of
// the run is written and fsync'ed, so readers see the whole previous run or
// the whole new one per table; a run killed before Publish leaves only an
// unpublished folder, which the next run's pruning removes.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/duckdb.h"
#include "lake/parquet_files.h"
#include "lake/tier_layout.h"

namespace futureim::systems {

struct ProdTableWritten {
  std::string table;
  uint64_t rows = 0;
};

class ProdRunWriter {
 public:
  // `files` decides encryption and carries the connection the SELECTs run on.
  ProdRunWriter(lake::RunTierLayout tier, std::string system, std::string run_id,
                const lake::ParquetFiles& files);

  // Writes the rows of `select_sql` (any SELECT on the writer's connection,
  // e.g. over a TEMP table the system filled) as `table` of this run and
  // returns the row count. A table name is [a-z0-9_]+ and written once per
  // run; anything else throws core::Error.
  uint64_t Write(std::string_view table, std::string_view select_sql);

  // Records `metrics` (the system's model quality) and the run's facts in
  // each table's _run.json, then publishes every table written. Tables of
  // earlier runs that this run did not write stay as they are.
  void Publish(const nlohmann::json& metrics, std::string_view created_at);

  const std::string& RunId() const { return run_id_; }
  const std::vector<ProdTableWritten>& Tables() const { return written_; }

 private:
  lake::RunTierLayout tier_;
  std::string system_;
  std::string run_id_;
  const lake::ParquetFiles& files_;
  std::vector<ProdTableWritten> written_;
};

}  // namespace futureim::systems
