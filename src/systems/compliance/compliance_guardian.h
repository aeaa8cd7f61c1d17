#pragma once

// Compliance Guardian (SPEC.md §4): fraud and risk scoring of every curated
// order, and PCI DSS checks over the lake and the running configuration.
// Prod tables: risk_scores (every order), fraud_detections (orders at high or
// critical risk, with any analyst verdict), compliance_checks (one row per
// PCI DSS check).

#include "systems/analytics_system.h"

namespace futureim::systems::compliance {

class ComplianceGuardian : public AnalyticsSystem {
 public:
  std::string_view Name() const override { return "compliance_guardian"; }
  std::string_view Slug() const override { return "compliance"; }
  std::string_view Title() const override { return "Compliance Guardian"; }
  std::vector<std::string_view> RequiredCuratedTables() const override {
    return {"orders", "order_items", "payments", "shipments", "customers"};
  }
  nlohmann::json Run(SystemRunContext& context) override;
};

}  // namespace futureim::systems::compliance
