#pragma once

#include "cli/command_context.h"
#include "pipeline/curation_step.h"
#include "systems/system_runner.h"

namespace futureim::cli {

// The [lake] and [pipeline] settings and secrets as curation takes them
// (pipeline run, serve's scheduled pipeline).
pipeline::CurationOptions CurationOptionsFromConfig(CommandContext& context);
// The same for the analytics systems' runs (pipeline run, systems run).
systems::SystemRunOptions SystemRunOptionsFromConfig(CommandContext& context);

}  // namespace futureim::cli
