#pragma once

#include "cli/command_context.h"
#include "replicate/replication_options.h"

namespace futureim::cli {

// The [source], [replication] and [lake] settings as the replication engine
// takes them (shared by replicate, verify and status).
replicate::ReplicationOptions ReplicationOptionsFromConfig(CommandContext& context);

}  // namespace futureim::cli
