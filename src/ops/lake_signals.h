#pragma once

// What the lake itself says about the product's health, read from the files
// its writers keep (never from Parquet data): the replicator's manifest and
// live status (replicate::ReplicationStatusReport), each curated table's
// current run record (_run.json: rows, quarantine, quality score) and the
// size of each tier. Read per scrape of /metrics and per alarm evaluation;
// every reader tolerates a writer replacing a file at the same moment.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace futureim::ops {

struct CuratedTableSignal {
  std::string table;
  std::string run_id;      // the current run
  std::string created_at;  // ISO 8601 UTC, when the run was written
  uint64_t rows = 0;
  uint64_t quarantined = 0;
  std::optional<double> quality;  // the run's overall score, 0..1
  std::string error;              // the run record could not be read
};

struct TierUsage {
  std::string tier;  // "raw", "curated", "prod"
  uint64_t files = 0;
  uint64_t bytes = 0;
};

struct LakeSignals {
  nlohmann::json replication;  // ReplicationStatusReport
  std::vector<CuratedTableSignal> curated;
  std::vector<TierUsage> tiers;  // present only when `with_usage`
};

// `with_usage`: also walk each tier to measure it (costs a directory walk).
LakeSignals ReadLakeSignals(const std::filesystem::path& lake_root, int64_t now_us,
                            bool with_usage);

// The curated tables with a published run, from their current _run.json.
std::vector<CuratedTableSignal> ReadCuratedTables(const std::filesystem::path& lake_root);

}  // namespace futureim::ops
