#include "cli/replication_options_from_config.h"

#include "source/source_config.h"

namespace futureim::cli {

replicate::ReplicationOptions ReplicationOptionsFromConfig(CommandContext& context) {
  const core::Config& config = context.config();
  replicate::ReplicationOptions options;
  options.endpoint = source::EndpointFromConfig(config, context.secrets());
  options.layout = lake::RawTierLayout(context.lake_root());
  options.selection = replicate::TableSelection(config.GetList("replication.include"),
                                                config.GetList("replication.exclude"));
  options.server_id = static_cast<uint32_t>(config.GetInt("replication.server_id"));
  options.parallel_tables = static_cast<int>(config.GetInt("replication.parallel_tables"));
  options.chunk_rows = static_cast<uint64_t>(config.GetInt("replication.chunk_rows"));
  options.flush_interval =
      std::chrono::milliseconds(config.GetInt("replication.flush_interval_ms"));
  options.flush_bytes = static_cast<uint64_t>(config.GetInt("replication.flush_bytes"));
  return options;
}

}  // namespace futureim::cli
