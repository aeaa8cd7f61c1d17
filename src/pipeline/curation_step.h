#pragma once

// The curation step of the pipeline: raw/ → curated/ (SPEC.md §3).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/curated_run_record.h"

namespace futureim::pipeline {

struct CurationOptions {
  std::filesystem::path lake_root;
  // Encrypt new curated files (lake.encrypt) with `encryption_key`.
  bool encrypt = true;
  // base64 AES key (secret lake.encryption_key); needed to encrypt, and to
  // read a previous run that was encrypted. Empty: not available.
  std::string encryption_key;
  // Key of the PII tokens (secret lake.pii_key); required.
  std::string pii_key;
  size_t keep_runs = 3;  // runs kept per table (pipeline.keep_runs)
  std::string memory_limit = "2GB";
  // The run's clock (row rules, run id); default: the system clock.
  std::optional<std::chrono::system_clock::time_point> now;
};

struct CurationReport {
  std::string run_id;
  uint64_t raw_commit = 0;   // merged up to this raw commit
  uint64_t from_commit = 0;  // raw files of commits after this were read
  bool up_to_date = false;   // nothing new since the current runs: nothing written
  std::vector<CuratedRunRecord> tables;
  uint64_t on_delete_rows = 0;  // rows removed or nulled by ON DELETE actions
  size_t runs_pruned = 0;
  double seconds = 0;

  nlohmann::json ToJson() const;
};

// One run: reads the raw changes not yet merged (every committed raw file of
// a commit after the oldest commit any curated table has merged), merges them
// onto each table's current run (CuratedTableMerger), applies the source's
// ON DELETE actions and referential integrity (ForeignKeyEnforcer), protects
// and validates, scores quality, and writes one Parquet file per table plus
// one for its quarantine into a new run folder:
//
//   curated/<table>/run=<id>/part-0.parquet               published rows
//   curated/<table>/run=<id>/_quarantine/part-0.parquet   rows that failed a rule
//   curated/<table>/run=<id>/_run.json                    CuratedRunRecord
//
// Only when every table's run is written and fsync'ed are the `_current`
// pointers switched; a run killed before leaves every table on its previous
// run (the half-written folders are removed by the next run's pruning). A
// kill between two pointer switches leaves some tables one run ahead, which
// the next run absorbs: it re-reads from the oldest commit any table merged,
// and replaying merged changes is harmless. One run at a time per lake (a
// lock file in curated/).
class CurationStep {
 public:
  explicit CurationStep(CurationOptions options);
  CurationReport Run();

 private:
  CurationOptions options_;
};

}  // namespace futureim::pipeline
