#pragma once

#include "cli/command_context.h"
#include "pipeline/curation_step.h"

namespace futureim::cli {

// The [lake] and [pipeline] settings and keys as curation takes them
// (shared by `pipeline run` and the runs `futureim serve` starts).
pipeline::CurationOptions CurationOptionsFromConfig(CommandContext& context);

}  // namespace futureim::cli
