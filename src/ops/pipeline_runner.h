#pragma once

// Runs the batch pipeline on demand, one run at a time, recording each run
// (start, duration, outcome) in the PipelineRunLog. The run itself is a
// function given by the caller (`futureim serve` passes curation wired from
// the config), so this class knows nothing about what a run does.

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ops/pipeline_run_log.h"

namespace futureim::ops {

struct PipelineRunOutcome {
  PipelineRun run;        // as recorded
  nlohmann::json report;  // the run function's report (null when it failed)
};

class PipelineRunner {
 public:
  // `run` performs one pipeline run and returns its report; it should carry
  // "run_id" (the published curated run) and "tables" (an array) when it has
  // them. It throws on failure.
  PipelineRunner(PipelineRunLog& log, std::function<nlohmann::json()> run);

  // Runs now on the calling thread; nullopt (and nothing done) when a run is
  // already going. A failure is recorded and returned, not thrown.
  std::optional<PipelineRunOutcome> TryRun(const std::string& trigger, const std::string& actor);
  bool Running() const { return running_.load(); }

 private:
  PipelineRunLog& log_;
  std::function<nlohmann::json()> run_;
  std::atomic<bool> running_{false};
};

// Unix time now, milliseconds.
int64_t UnixMillisNow();

}  // namespace futureim::ops
