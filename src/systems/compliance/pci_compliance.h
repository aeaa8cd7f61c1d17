#pragma once

// PCI DSS checks over the lake and the running configuration: card numbers
// where none may be stored (any text column of any tier), card verification
// codes, masked card fields, encryption at rest, TLS and audit logging. Each
// check passes or fails with its findings and a remediation; the report's
// score is the share of checks passed.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/duckdb.h"

namespace futureim::systems::compliance {

// The settings the checks judge, read from the running configuration.
struct PciConfiguration {
  bool lake_encrypted = false;       // lake.encrypt
  bool api_tls = false;              // server.tls_cert and server.tls_key_path set
  bool source_tls_required = false;  // source.tls = required
  bool audit_logging = false;        // the audit log records sign-ins and admin actions
};

struct PciCheck {
  std::string id;           // "pan_storage", "cvv_storage", ...
  std::string requirement;  // the PCI DSS requirement it tests
  bool passed = false;
  std::string severity;     // of a failure: critical, high, medium
  nlohmann::json findings;  // array
  std::string remediation;
};

struct PciReport {
  std::vector<PciCheck> checks;
  double score = 0;  // 100 × passed / checks
  size_t columns_scanned = 0;
  size_t values_scanned = 0;
};

// Runs every check. `schemas` are the lake schemas to scan (e.g. raw_current,
// curated and the systems' prod schemas); each text column of each of their
// tables and views is read in full. Card numbers in findings are masked.
PciReport CheckPciCompliance(engine::Connection& lake, const std::vector<std::string>& schemas,
                             const PciConfiguration& configuration);

nlohmann::json ToJson(const PciReport& report);

}  // namespace futureim::systems::compliance
