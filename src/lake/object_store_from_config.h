#pragma once

#include <memory>

#include "core/config.h"
#include "core/key_store.h"
#include "lake/object_store.h"

namespace futureim::lake {

// The lake's store as configured: lake.backend = local (lake.path) or s3
// (lake.s3_* settings; credentials only from the secrets
// lake.s3_access_key_id / lake.s3_secret_access_key / lake.s3_session_token,
// i.e. the environment or the key store, never the config file).
std::unique_ptr<ObjectStore> OpenObjectStore(const core::Config& config,
                                             const core::Secrets& secrets);

}  // namespace futureim::lake
