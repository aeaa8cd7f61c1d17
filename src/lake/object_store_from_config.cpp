#include "lake/object_store_from_config.h"

#include "lake/local_object_store.h"
#include "lake/s3_object_store.h"

namespace futureim::lake {

std::unique_ptr<ObjectStore> OpenObjectStore(const core::Config& config,
                                             const core::Secrets& secrets) {
  if (config.GetString("lake.backend") == "local") {
    return std::make_unique<LocalObjectStore>(config.GetPath("lake.path"));
  }
  S3Settings settings;
  settings.endpoint = config.GetString("lake.s3_endpoint");
  if (settings.endpoint.empty())
    throw core::Error("lake.backend is s3 but lake.s3_endpoint is not set");
  settings.bucket = config.GetString("lake.s3_bucket");
  settings.region = config.GetString("lake.s3_region");
  settings.url_style = config.GetString("lake.s3_url_style") == "virtual" ? S3UrlStyle::kVirtualHost
                                                                          : S3UrlStyle::kPath;
  settings.prefix = config.GetString("lake.s3_prefix");
  settings.part_size = static_cast<uint64_t>(config.GetInt("lake.s3_part_size_mb")) << 20;
  settings.multipart_threshold = settings.part_size;
  settings.credentials = {secrets.Require("lake.s3_access_key_id"),
                          secrets.Require("lake.s3_secret_access_key"),
                          secrets.Get("lake.s3_session_token").value_or("")};
  return std::make_unique<S3ObjectStore>(std::move(settings));
}

}  // namespace futureim::lake
