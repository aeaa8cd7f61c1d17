#include "pipeline/curated_tier_health.h"

#include <algorithm>
#include <cmath>

#include "lake/tier_layout.h"
#include "pipeline/curated_run_record.h"

namespace futureim::pipeline {

nlohmann::json CuratedTierHealth(const std::filesystem::path& lake_root) {
  const auto curated = lake::RunTierLayout::Curated(lake_root);
  nlohmann::json tables = nlohmann::json::array();
  double lowest = 1;
  std::string last_curated;
  if (std::filesystem::is_directory(curated.Root())) {
    for (const auto& table : curated.Tables()) {
      const auto run = curated.CurrentRun(table);
      if (!run) continue;
      const auto record = CuratedRunRecord::Read(curated.RunDir(table, *run));
      if (!record) continue;
      // Three decimals: the score's precision that means something, and a
      // compact body for the home page.
      const double quality = std::round(record->quality.overall * 1000) / 1000;
      tables.push_back({{"table", table},
                        {"run_id", record->run_id},
                        {"curated_at", record->created_at},
                        {"raw_commit", record->raw_commit},
                        {"rows", record->rows},
                        {"quarantined", record->quarantined},
                        {"quality", quality}});
      lowest = std::min(lowest, quality);
      last_curated = std::max(last_curated, record->created_at);
    }
  }
  return {{"tables", tables},
          {"table_count", tables.size()},
          {"lowest_quality", tables.empty() ? nlohmann::json(nullptr) : nlohmann::json(lowest)},
          {"last_curated_at",
           last_curated.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_curated)}};
}

}  // namespace futureim::pipeline
