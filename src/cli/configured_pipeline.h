#pragma once

#include <nlohmann/json.hpp>

#include "cli/command_context.h"
#include "pipeline/curation_step.h"

namespace futureim::cli {

// What one pipeline run did, step by step (today: curation).
struct PipelineRunReport {
  pipeline::CurationReport curation;

  nlohmann::json ToJson() const { return {{"curation", curation.ToJson()}}; }
};

// The batch pipeline as the scheduler of `futureim serve` runs it every
// pipeline.interval_seconds: the same steps as `futureim pipeline run`
// (src/cli/pipeline_command.cpp), with the settings read once from the
// configuration and the key store. Run() touches no CommandContext state, so
// it may be called from another thread than the one that built it.
class ConfiguredPipeline {
 public:
  explicit ConfiguredPipeline(CommandContext& context);

  // Runs every step in order. One run at a time per lake: a concurrent run
  // (another process) makes this throw core::Error (the curation lock).
  PipelineRunReport Run() const;

 private:
  pipeline::CurationOptions curation_;
};

}  // namespace futureim::cli
