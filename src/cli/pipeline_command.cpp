// futureim pipeline run: the batch pipeline, curation (raw → curated,
// src/pipeline/) and then every analytics system (curated → prod,
// src/systems/). `futureim systems run` runs one system on its own.

#include <cstdio>
#include <iostream>

#include "cli/command_context.h"
#include "cli/configured_pipeline.h"

namespace futureim::cli {
namespace {

struct PipelineFlags {
  bool json = false;
};

int RunPipeline(CommandContext& context, const PipelineFlags& flags) {
  const auto report = ConfiguredPipeline(context).Run(flags.json ? nullptr : &std::cout);
  if (flags.json) std::cout << report.ToJson().dump(2) << "\n";
  return report.systems.failed ? kExitError : kExitOk;
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
