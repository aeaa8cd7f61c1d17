#include "ops/lake_signals.h"

#include "core/error.h"
#include "lake/folder_usage.h"
#include "lake/raw_tier_layout.h"
#include "lake/tier_layout.h"
#include "pipeline/curated_run_record.h"
#include "replicate/replication_status.h"

namespace futureim::ops {

std::vector<CuratedTableSignal> ReadCuratedTables(const std::filesystem::path& lake_root) {
  const auto layout = lake::RunTierLayout::Curated(lake_root);
  std::vector<CuratedTableSignal> tables;
  if (!std::filesystem::is_directory(layout.Root())) return tables;
  for (const auto& table : layout.Tables()) {
    CuratedTableSignal signal;
    signal.table = table;
    try {
      const auto current = layout.CurrentRun(table);
      if (!current) continue;  // no published run yet
      signal.run_id = *current;
      const auto record = pipeline::CuratedRunRecord::Read(layout.RunDir(table, *current));
      if (record) {
        signal.created_at = record->created_at;
        signal.rows = record->rows;
        signal.quarantined = record->quarantined;
        signal.quality = record->quality.overall;
      } else {
        signal.error = "the current run has no _run.json";
      }
    } catch (const core::Error& e) {
      signal.error = e.what();
    }
    tables.push_back(std::move(signal));
  }
  return tables;
}

LakeSignals ReadLakeSignals(const std::filesystem::path& lake_root, int64_t now_us,
                            bool with_usage) {
  LakeSignals signals;
  signals.replication = replicate::ReplicationStatusReport(lake::RawTierLayout(lake_root), now_us);
  signals.curated = ReadCuratedTables(lake_root);
  if (with_usage) {
    for (const char* tier : {"raw", "curated", "prod"}) {
      const auto usage = lake::MeasureFolder(lake_root / tier);
      signals.tiers.push_back({tier, usage.files, usage.bytes});
    }
  }
  return signals;
}

}  // namespace futureim::ops
