#include "source/source_config.h"

namespace futureim::source {

SourceEndpoint EndpointFromConfig(const core::Config& config, const core::Secrets& secrets) {
  SourceEndpoint endpoint;
  endpoint.host = config.GetString("source.host");
  endpoint.port = static_cast<int>(config.GetInt("source.port"));
  endpoint.socket = config.GetString("source.socket");
  endpoint.user = config.GetString("source.user");
  endpoint.database = config.GetString("source.database");
  endpoint.require_tls = config.GetString("source.tls") == "required";
  endpoint.password = secrets.Get("source.password").value_or("");
  return endpoint;
}

TableFilter TableFilterFromConfig(const core::Config& config) {
  return TableFilter(config.GetList("replication.include"), config.GetList("replication.exclude"));
}

}  // namespace futureim::source
