#include "systems/compliance/pci_configuration.h"

#include <filesystem>

#include "metadata/metadata_db.h"

namespace futureim::systems::compliance {

PciConfiguration ReadPciConfiguration(const core::Config& config) {
  PciConfiguration facts;
  facts.lake_encrypted = config.GetBool("lake.encrypt");
  facts.api_tls = !config.GetString("server.tls_cert").empty() &&
                  !config.GetString("server.tls_key_path").empty();
  facts.source_tls_required = config.GetString("source.tls") == "required";
  const auto metadata_file = config.GetPath("metadata.path");
  if (std::filesystem::exists(metadata_file)) {
    auto metadata = metadata::MetadataDb::Open(metadata_file);
    auto statement = metadata.database().Prepare("SELECT count(*) FROM audit_log");
    facts.audit_logging = statement.Step() && statement.GetInt(0) > 0;
  }
  return facts;
}

std::vector<std::string> PciScanSchemas(engine::Connection& lake) {
  auto result = lake.Query(
      "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_schema NOT IN "
      "('main', "
      "'information_schema', 'pg_catalog') AND table_catalog NOT IN ('system', 'temp') ORDER BY 1");
  std::vector<std::string> schemas;
  while (auto chunk = result.NextChunk()) {
    for (idx_t row = 0; row < chunk->Size(); ++row)
      schemas.emplace_back(chunk->Column(0).GetString(row));
  }
  return schemas;
}

}  // namespace futureim::systems::compliance
