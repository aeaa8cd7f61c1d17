#include "cli/pipeline_options_from_config.h"

#include "core/error.h"

namespace futureim::cli {
namespace {

std::filesystem::path ExistingLake(CommandContext& context) {
  const auto lake_root = context.lake_root();
  if (!std::filesystem::is_directory(lake_root)) {
    throw core::Error("no lake at " + lake_root.string() + ": run `futureim init`");
  }
  return lake_root;
}

}  // namespace

pipeline::CurationOptions CurationOptionsFromConfig(CommandContext& context) {
  const auto& config = context.config();
  const auto secrets = context.secrets();
  pipeline::CurationOptions options;
  options.lake_root = ExistingLake(context);
  options.encrypt = config.GetBool("lake.encrypt");
  options.encryption_key = secrets.Get("lake.encryption_key").value_or("");
  options.pii_key = secrets.Require("lake.pii_key");
  options.keep_runs = static_cast<size_t>(config.GetInt("pipeline.keep_runs"));
  options.memory_limit = config.GetString("pipeline.memory_limit");
  return options;
}

systems::SystemRunOptions SystemRunOptionsFromConfig(CommandContext& context) {
  const auto& config = context.config();
  systems::SystemRunOptions options;
  options.lake_root = ExistingLake(context);
  options.encrypt = config.GetBool("lake.encrypt");
  options.encryption_key = context.secrets().Get("lake.encryption_key").value_or("");
  options.keep_runs = static_cast<size_t>(config.GetInt("pipeline.keep_runs"));
  options.memory_limit = config.GetString("pipeline.memory_limit");
  options.seed = static_cast<uint64_t>(config.GetInt("systems.seed"));
  return options;
}

}  // namespace futureim::cli
