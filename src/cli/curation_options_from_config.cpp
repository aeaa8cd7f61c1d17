#include "cli/curation_options_from_config.h"

#include "core/error.h"

namespace futureim::cli {

pipeline::CurationOptions CurationOptionsFromConfig(CommandContext& context) {
  const auto& config = context.config();
  const auto secrets = context.secrets();
  pipeline::CurationOptions options;
  options.lake_root = context.lake_root();
  if (!std::filesystem::is_directory(options.lake_root)) {
    throw core::Error("no lake at " + options.lake_root.string() + ": run `futureim init`");
  }
  options.encrypt = config.GetBool("lake.encrypt");
  options.encryption_key = secrets.Get("lake.encryption_key").value_or("");
  options.pii_key = secrets.Require("lake.pii_key");
  options.keep_runs = static_cast<size_t>(config.GetInt("pipeline.keep_runs"));
  options.memory_limit = config.GetString("pipeline.memory_limit");
  return options;
}

}  // namespace futureim::cli
