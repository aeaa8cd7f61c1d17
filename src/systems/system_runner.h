#pragma once

// Runs an analytics system's batch step: curated → prod/<system>/ as one
// published run (SPEC.md §4, docs/ARCHITECTURE.md "Analytics systems").

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "core/error.h"
#include "systems/analytics_system.h"
#include "systems/prod_run_writer.h"

namespace futureim::systems {

struct SystemRunOptions {
  std::filesystem::path lake_root;
  // Encrypt the prod files (lake.encrypt) with `encryption_key` (secret
  // lake.encryption_key, base64), which also reads encrypted curated runs.
  bool encrypt = true;
  std::string encryption_key;
  size_t keep_runs = 3;  // runs kept per table (pipeline.keep_runs)
  std::string memory_limit = "2GB";
  uint64_t seed = 1;
  std::optional<std::chrono::system_clock::time_point> now;
};

struct SystemRunReport {
  std::string system;
  std::string run_id;
  std::vector<ProdTableWritten> tables;
  nlohmann::json metrics;
  size_t runs_pruned = 0;
  double seconds = 0;

  nlohmann::json ToJson() const;
};

// The lake lacks a curated table the system reads: the run is skipped (not
// a failure of the system); the message names the table.
class SystemSkipped : public core::Error {
 public:
  using core::Error::Error;
};

class SystemRunner {
 public:
  SystemRunner(SystemRunOptions options, const core::Config& config);

  // One run of `system`: takes prod/<system>/'s writer lock, opens an
  // in-memory DuckDB (spilling to a scratch folder in prod/<system>/) with
  // the lake views, lets the system write its tables, publishes them and
  // prunes old runs. A failing system throws and leaves its previous run
  // current; SystemSkipped when a required curated table is missing.
  SystemRunReport Run(AnalyticsSystem& system) const;

 private:
  SystemRunOptions options_;
  const core::Config& config_;
};

}  // namespace futureim::systems
