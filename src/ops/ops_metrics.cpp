#include "ops/ops_metrics.h"

#include "ops/pipeline_runner.h"

namespace futureim::ops {
namespace {

struct Family {
  const char* name;
  const char* help;
  bool counter;
};

// Every family this class fills, declared once.
constexpr Family kFamilies[] = {
    {"futureim_replication_running", "1 while the replication task reports itself alive", false},
    {"futureim_replication_lag_seconds",
     "Source lag of a streaming table: how far its newest change trails the source", false},
    {"futureim_replication_rows_per_second", "Rows per second the replication task applies", false},
    {"futureim_replication_rows_loaded_total", "Rows copied by the full load, per table", true},
    {"futureim_replication_changes_applied_total",
     "Binlog changes (inserts, updates, deletes) applied, per table", true},
    {"futureim_curated_rows", "Rows of a curated table's current run", false},
    {"futureim_curated_quarantined_rows", "Rows quarantined by the current run's rules", false},
    {"futureim_data_quality_score", "Data-quality score (0..1) of a curated table's current run",
     false},
    {"futureim_lake_bytes", "Bytes of files in a lake tier", false},
    {"futureim_lake_files", "Files in a lake tier", false},
    {"futureim_pipeline_runs_total", "Pipeline runs started by this installation, by outcome",
     true},
    {"futureim_pipeline_last_run_duration_seconds", "Duration of the last finished pipeline run",
     false},
    {"futureim_pipeline_last_run_failed", "1 when the last finished pipeline run failed", false},
    {"futureim_pipeline_last_run_timestamp_seconds",
     "Unix time the last finished pipeline run ended", false},
    {"futureim_alarm_firing", "1 while an alarm rule is firing", false},
};

}  // namespace

OpsMetrics::OpsMetrics(MetricsRegistry& registry, std::filesystem::path lake_root,
                       PipelineRunLog& runs, const AlarmEngine* alarms)
    : registry_(registry), lake_root_(std::move(lake_root)), runs_(runs), alarms_(alarms) {
  for (const auto& family : kFamilies) {
    if (family.counter) {
      registry_.DeclareCounter(family.name, family.help);
    } else {
      registry_.DeclareGauge(family.name, family.help);
    }
  }
}

void OpsMetrics::Refresh() {
  const auto signals = ReadLakeSignals(lake_root_, UnixMillisNow() * 1000, /*with_usage=*/true);
  RecordReplication(signals.replication);
  RecordCurated(signals.curated);
  RecordTiers(signals.tiers);
  RecordPipelineRuns();
  RecordAlarms();
}

void OpsMetrics::RecordReplication(const nlohmann::json& report) {
  for (const char* name :
       {"futureim_replication_running", "futureim_replication_lag_seconds",
        "futureim_replication_rows_per_second", "futureim_replication_rows_loaded_total",
        "futureim_replication_changes_applied_total"}) {
    registry_.Clear(name);
  }
  registry_.SetGauge("futureim_replication_running", {},
                     report.value("running", false) ? 1.0 : 0.0);
  if (report.contains("rows_per_second")) {
    registry_.SetGauge("futureim_replication_rows_per_second", {},
                       report["rows_per_second"].get<double>());
  }
  if (!report.contains("tables")) return;
  for (const auto& table : report["tables"]) {
    const MetricLabels labels = {{"table", table.value("table", "")}};
    registry_.SetCounter("futureim_replication_rows_loaded_total", labels,
                         table.value("rows_loaded", 0.0));
    registry_.SetCounter("futureim_replication_changes_applied_total", labels,
                         table.value("changes_applied", 0.0));
    if (table.contains("source_lag_seconds") && table["source_lag_seconds"].is_number()) {
      registry_.SetGauge("futureim_replication_lag_seconds", labels,
                         table["source_lag_seconds"].get<double>());
    }
  }
}

void OpsMetrics::RecordCurated(const std::vector<CuratedTableSignal>& tables) {
  for (const char* name : {"futureim_curated_rows", "futureim_curated_quarantined_rows",
                           "futureim_data_quality_score"}) {
    registry_.Clear(name);
  }
  for (const auto& table : tables) {
    if (!table.error.empty()) continue;
    const MetricLabels labels = {{"table", table.table}};
    registry_.SetGauge("futureim_curated_rows", labels, static_cast<double>(table.rows));
    registry_.SetGauge("futureim_curated_quarantined_rows", labels,
                       static_cast<double>(table.quarantined));
    if (table.quality) registry_.SetGauge("futureim_data_quality_score", labels, *table.quality);
  }
}

void OpsMetrics::RecordTiers(const std::vector<TierUsage>& tiers) {
  for (const auto& tier : tiers) {
    registry_.SetGauge("futureim_lake_bytes", {{"tier", tier.tier}},
                       static_cast<double>(tier.bytes));
    registry_.SetGauge("futureim_lake_files", {{"tier", tier.tier}},
                       static_cast<double>(tier.files));
  }
}

void OpsMetrics::RecordPipelineRuns() {
  const auto counts = runs_.Counts();
  registry_.SetCounter("futureim_pipeline_runs_total", {{"status", "succeeded"}},
                       static_cast<double>(counts.succeeded));
  registry_.SetCounter("futureim_pipeline_runs_total", {{"status", "failed"}},
                       static_cast<double>(counts.failed));
  const auto last = runs_.LastFinished();
  if (!last) return;
  registry_.SetGauge("futureim_pipeline_last_run_duration_seconds", {},
                     last->DurationSeconds().value_or(0));
  registry_.SetGauge("futureim_pipeline_last_run_failed", {}, last->status == "failed" ? 1.0 : 0.0);
  registry_.SetGauge("futureim_pipeline_last_run_timestamp_seconds", {},
                     static_cast<double>(last->finished_ms.value_or(0)) / 1000.0);
}

void OpsMetrics::RecordAlarms() {
  if (!alarms_) return;
  for (const auto& status : alarms_->States()) {
    registry_.SetGauge("futureim_alarm_firing", {{"rule", status.rule}},
                       status.state == "firing" ? 1.0 : 0.0);
  }
}

}  // namespace futureim::ops
