#pragma once

// The metrics read from the lake and the metadata database rather than
// counted in-process: replication lag and throughput per table, curated
// tables' rows and data-quality scores, the pipeline runs' outcomes and
// durations, lake size and file count per tier, and the alarms' states.
// Refresh() replaces those families in the registry with a fresh reading;
// GET /metrics calls it before rendering, so a scrape always shows the lake
// as it is.

#include <filesystem>

#include "ops/alarm_engine.h"
#include "ops/lake_signals.h"
#include "ops/metrics_registry.h"
#include "ops/pipeline_run_log.h"

namespace futureim::ops {

class OpsMetrics {
 public:
  // `alarms` may be null (alarms not running).
  OpsMetrics(MetricsRegistry& registry, std::filesystem::path lake_root, PipelineRunLog& runs,
             const AlarmEngine* alarms);

  void Refresh();

 private:
  void RecordReplication(const nlohmann::json& report);
  void RecordCurated(const std::vector<CuratedTableSignal>& tables);
  void RecordTiers(const std::vector<TierUsage>& tiers);
  void RecordPipelineRuns();
  void RecordAlarms();

  MetricsRegistry& registry_;
  std::filesystem::path lake_root_;
  PipelineRunLog& runs_;
  const AlarmEngine* alarms_;
};

}  // namespace futureim::ops
