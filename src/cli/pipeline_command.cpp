// futureim pipeline run: the batch pipeline, curation (raw → curated,
// src/pipeline/) and then every analytics system (curated → prod,
// src/systems/). `futureim systems run` runs one system on its own.

#include <cstdio>
#include <iostream>

#include "cli/command_context.h"
#include "cli/pipeline_options_from_config.h"
#include "cli/systems_report.h"
#include "pipeline/curation_step.h"
#include "systems/system_registry.h"

namespace futureim::cli {
namespace {

struct PipelineFlags {
  bool json = false;
};

void PrintCuration(const pipeline::CurationReport& report) {
  if (report.up_to_date) {
    std::cout << "curation: up to date at raw commit " << report.raw_commit
              << " (nothing new since run " << report.tables.front().run_id << ")\n";
    return;
  }
  std::printf("curation: run %s, raw commits %llu..%llu, %.1f s\n", report.run_id.c_str(),
              static_cast<unsigned long long>(report.from_commit + 1),
              static_cast<unsigned long long>(report.raw_commit), report.seconds);
  std::printf("  %-14s %10s %10s %8s %9s\n", "table", "rows", "quarantine", "changes", "quality");
  for (const auto& table : report.tables) {
    std::printf("  %-14s %10llu %10llu %8llu %9.3f\n", table.table.c_str(),
                static_cast<unsigned long long>(table.rows),
                static_cast<unsigned long long>(table.quarantined),
                static_cast<unsigned long long>(table.changes_read), table.quality.overall);
    for (const auto& [rule, rows] : table.quarantine_rules) {
      std::printf("      quarantined by %s: %llu\n", rule.c_str(),
                  static_cast<unsigned long long>(rows));
    }
  }
  if (report.on_delete_rows > 0) {
    std::printf("  rows removed or nulled by ON DELETE actions: %llu\n",
                static_cast<unsigned long long>(report.on_delete_rows));
  }
}

int RunPipeline(CommandContext& context, const PipelineFlags& flags) {
  pipeline::CurationStep curation(CurationOptionsFromConfig(context));
  const auto report = curation.Run();
  if (!flags.json) PrintCuration(report);
  // The systems run even when curation found nothing new: a system added or
  // fixed since the last run still gets its first run on the current data.
  const SystemsOutcome systems =
      RunSystems(systems::AllSystems(), SystemRunOptionsFromConfig(context), context.config(),
                 flags.json ? nullptr : &std::cout);
  if (flags.json) {
    std::cout << nlohmann::json{{"curation", report.ToJson()}, {"systems", systems.json}}.dump(2)
              << "\n";
  }
  return systems.failed ? kExitError : kExitOk;
}

}  // namespace

void AddPipelineCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "pipeline", "The batch pipeline: curate raw data, then run the analytics systems");
  command->require_subcommand(1);
  auto flags = std::make_shared<PipelineFlags>();
  auto* run = command->add_subcommand(
      "run",
      "Run the pipeline once: curation merges the raw changes not yet curated into a new run of "
      "every curated table (protected, validated, quality-scored) and publishes it atomically; "
      "then each analytics system writes a new run of its prod tables");
  run->add_flag("--json", flags->json, "Print the run's report as JSON");
  run->callback([&context, flags] {
    context.run = [&context, flags] { return RunPipeline(context, *flags); };
  });
}

}  // namespace futureim::cli
