#include "cli/configured_pipeline.h"

#include <cstdio>

#include "cli/pipeline_options_from_config.h"
#include "lake/object_store_from_config.h"
#include "systems/system_registry.h"

namespace futureim::cli {
namespace {

void PrintCuration(const pipeline::CurationReport& report, std::ostream& out) {
  if (report.up_to_date) {
    out << "curation: up to date at raw commit " << report.raw_commit << " (nothing new since run "
        << report.tables.front().run_id << ")\n";
    return;
  }
  char line[256];
  std::snprintf(line, sizeof line, "curation: run %s, raw commits %llu..%llu, %.1f s\n",
                report.run_id.c_str(), static_cast<unsigned long long>(report.from_commit + 1),
                static_cast<unsigned long long>(report.raw_commit), report.seconds);
  out << line;
  std::snprintf(line, sizeof line, "  %-14s %10s %10s %8s %9s\n", "table", "rows", "quarantine",
                "changes", "quality");
  out << line;
  for (const auto& table : report.tables) {
    std::snprintf(line, sizeof line, "  %-14s %10llu %10llu %8llu %9.3f\n", table.table.c_str(),
                  static_cast<unsigned long long>(table.rows),
                  static_cast<unsigned long long>(table.quarantined),
                  static_cast<unsigned long long>(table.changes_read), table.quality.overall);
    out << line;
    for (const auto& [rule, rows] : table.quarantine_rules) {
      out << "      quarantined by " << rule << ": " << rows << "\n";
    }
  }
  if (report.on_delete_rows > 0) {
    out << "  rows removed or nulled by ON DELETE actions: " << report.on_delete_rows << "\n";
  }
}

}  // namespace

void PrintLakePush(const lake::LakePushReport& report, const std::string& store,
                   std::ostream& out) {
  out << "pushed the lake to " << store << ": " << report.uploaded_objects
      << " object(s) uploaded (" << report.uploaded_bytes << " bytes), " << report.unchanged_objects
      << " unchanged, " << report.pointers << " pointer(s) published, " << report.deleted_objects
      << " object(s) of pruned runs deleted\n";
}

nlohmann::json PipelineRunReport::ToJson() const {
  nlohmann::json json = {{"curation", curation.ToJson()}, {"systems", systems.json}};
  if (push) {
    json["push"] = {{"uploaded_objects", push->uploaded_objects},
                    {"uploaded_bytes", push->uploaded_bytes},
                    {"unchanged_objects", push->unchanged_objects},
                    {"pointers", push->pointers},
                    {"deleted_objects", push->deleted_objects}};
  }
  return json;
}

ConfiguredPipeline::ConfiguredPipeline(CommandContext& context)
    : curation_(CurationOptionsFromConfig(context)),
      systems_(SystemRunOptionsFromConfig(context)),
      config_(context.config()) {
  if (config_.GetString("lake.backend") == "s3") {
    store_ = lake::OpenObjectStore(config_, context.secrets());
  }
}

PipelineRunReport ConfiguredPipeline::Run(std::ostream* text) const {
  PipelineRunReport report;
  report.curation = pipeline::CurationStep(curation_).Run();
  if (text) PrintCuration(report.curation, *text);
  // The systems run even when curation found nothing new: a system added or
  // fixed since the last run still gets its first run on the current data.
  report.systems = RunSystems(systems::AllSystems(), systems_, config_, text);
  if (store_) {
    report.push = lake::PushLakeToStore(curation_.lake_root, *store_);
    if (text) PrintLakePush(*report.push, store_->Describe(), *text);
  }
  return report;
}

}  // namespace futureim::cli
