#pragma once

// The pipeline runs this installation started (from the API or a schedule),
// with their duration and outcome, kept in the metadata database
// (migration 3, table pipeline_runs). A curated run's _run.json records only
// what succeeded; a failure leaves nothing in the lake, so this log is where
// failures are remembered (GET /ops/pipeline/runs, /metrics, the
// pipeline-failed alarm).

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metadata/sqlite_database.h"

namespace futureim::ops {

struct PipelineRun {
  int64_t id = 0;
  std::string trigger = {};  // "api", "schedule"
  std::string actor = {};    // user id, or "" for the system
  int64_t started_ms = 0;
  std::optional<int64_t> finished_ms = {};
  std::string status = {};        // "running", "succeeded", "failed"
  std::string curation_run = {};  // the curated run id it published ("" when none)
  int64_t tables = 0;
  std::string error = {};

  std::optional<double> DurationSeconds() const;
  nlohmann::json ToJson() const;
};

struct PipelineRunCounts {
  uint64_t succeeded = 0;
  uint64_t failed = 0;
  uint64_t running = 0;
};

class PipelineRunLog {
 public:
  // Opens its own connection to the metadata database (which must be
  // migrated already: MetadataDb::Open). Runs left "running" by a process
  // that died are marked failed ("interrupted") — only one process serves an
  // installation, so no run can still be going.
  explicit PipelineRunLog(const std::filesystem::path& metadata_file);

  int64_t Start(const std::string& trigger, const std::string& actor, int64_t now_ms);
  void Succeed(int64_t id, int64_t now_ms, const std::string& curation_run, int64_t tables);
  void Fail(int64_t id, int64_t now_ms, const std::string& error);

  std::optional<PipelineRun> Find(int64_t id);
  // Newest first.
  std::vector<PipelineRun> Recent(int64_t limit);
  // The newest run that finished (succeeded or failed).
  std::optional<PipelineRun> LastFinished();
  PipelineRunCounts Counts();

 private:
  // `where_and_order` is SQL text from this class only; ?1 is `limit`, ?2 `id`.
  std::vector<PipelineRun> Select(const std::string& where_and_order, int64_t limit,
                                  int64_t id = 0);

  std::mutex mutex_;  // one connection, used from the worker pool and the alarm thread
  metadata::SqliteDatabase db_;
};

}  // namespace futureim::ops
