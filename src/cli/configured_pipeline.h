#pragma once

#include <memory>
#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/command_context.h"
#include "cli/systems_report.h"
#include "lake/lake_mirror.h"
#include "lake/object_store.h"
#include "pipeline/curation_step.h"
#include "systems/system_runner.h"

namespace futureim::cli {

// What one pipeline run did, step by step.
struct PipelineRunReport {
  pipeline::CurationReport curation;
  SystemsOutcome systems;
  std::optional<lake::LakePushReport> push;  // with lake.backend = s3

  nlohmann::json ToJson() const;
};

// "pushed the lake to <store>: N object(s) uploaded ..." (lake push, pipeline run).
void PrintLakePush(const lake::LakePushReport& report, const std::string& store, std::ostream& out);

// The batch pipeline, as `futureim pipeline run` and the scheduler of
// `futureim serve` run it: curation (raw → curated), then every analytics
// system (curated → prod), then, with an S3 store, the push of the lake to it.
// The settings are read once, from the configuration and the key store, when
// it is built; Run() touches no CommandContext state, so it may be called
// from another thread than the one that built it (one call at a time).
class ConfiguredPipeline {
 public:
  explicit ConfiguredPipeline(CommandContext& context);

  // Runs every step in order; with `text`, prints each step's table as it
  // finishes. One run at a time per lake: a concurrent run (another
  // process) makes curation throw core::Error (the tier's writer lock). A
  // failing system is reported in the outcome; the other systems still run.
  PipelineRunReport Run(std::ostream* text = nullptr) const;

 private:
  pipeline::CurationOptions curation_;
  systems::SystemRunOptions systems_;
  const core::Config& config_;
  std::unique_ptr<lake::ObjectStore> store_;  // nullptr with the local backend
};

}  // namespace futureim::cli
