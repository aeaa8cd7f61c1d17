#include "ops/pipeline_runner.h"

#include <chrono>
#include <exception>

#include "core/log.h"

namespace futureim::ops {

int64_t UnixMillisNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PipelineRunner::PipelineRunner(PipelineRunLog& log, std::function<nlohmann::json()> run)
    : log_(log), run_(std::move(run)) {}

std::optional<PipelineRunOutcome> PipelineRunner::TryRun(const std::string& trigger,
                                                         const std::string& actor) {
  bool expected = false;
  if (!running_.compare_exchange_strong(expected, true)) return std::nullopt;
  // Released however the run ends, so one failure never blocks every later run.
  struct Release {
    std::atomic<bool>& flag;
    ~Release() { flag.store(false); }
  } release{running_};

  const int64_t id = log_.Start(trigger, actor, UnixMillisNow());
  core::log::Info("pipeline_run_started", {{"id", id}, {"trigger", trigger}});
  PipelineRunOutcome outcome;
  try {
    outcome.report = run_();
    const std::string curation_run = outcome.report.value("run_id", std::string());
    const int64_t tables = outcome.report.contains("tables") && outcome.report["tables"].is_array()
                               ? static_cast<int64_t>(outcome.report["tables"].size())
                               : 0;
    log_.Succeed(id, UnixMillisNow(), curation_run, tables);
  } catch (const std::exception& e) {
    core::log::Error("pipeline_run_failed", {{"id", id}, {"error", e.what()}});
    log_.Fail(id, UnixMillisNow(), e.what());
    outcome.report = nullptr;
  }
  outcome.run = log_.Find(id).value_or(PipelineRun{.id = id});
  core::log::Info("pipeline_run_finished", {{"id", id}, {"status", outcome.run.status}});
  return outcome;
}

}  // namespace futureim::ops
