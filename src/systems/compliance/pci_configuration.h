#pragma once

#include "core/config.h"
#include "systems/compliance/pci_compliance.h"

namespace futureim::systems::compliance {

// The PCI-relevant facts of the running configuration: lake.encrypt, the
// API's TLS files, source.tls = required, and whether the audit log in the
// metadata database (metadata.path) holds any record.
PciConfiguration ReadPciConfiguration(const core::Config& config);

// The lake schemas a PCI scan reads: the raw tier's current state, the
// curated tier and every system's prod tables present on `lake`.
std::vector<std::string> PciScanSchemas(engine::Connection& lake);

}  // namespace futureim::systems::compliance
