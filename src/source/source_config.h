#pragma once

#include "core/config.h"
#include "core/key_store.h"
#include "source/source_endpoint.h"
#include "source/table_filter.h"

namespace futureim::source {

// The configured source: [source] settings plus the `source.password` secret
// (environment or key store). A missing password is allowed here (socket
// authentication needs none); the server then says access denied.
SourceEndpoint EndpointFromConfig(const core::Config& config, const core::Secrets& secrets);

// The configured table selection: replication.include and replication.exclude.
TableFilter TableFilterFromConfig(const core::Config& config);

}  // namespace futureim::source
