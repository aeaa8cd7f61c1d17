#include "systems/compliance/compliance_guardian.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "core/error.h"
#include "metadata/metadata_db.h"
#include "systems/compliance/fraud_review_store.h"
#include "systems/compliance/fraud_scoring.h"
#include "systems/compliance/pci_configuration.h"
#include "systems/compliance/transaction_features.h"

namespace futureim::systems::compliance {
namespace {

std::vector<AnalystReview> LoadReviews(const core::Config& config) {
  const auto file = config.GetPath("metadata.path");
  if (!std::filesystem::exists(file)) return {};
  auto metadata = metadata::MetadataDb::Open(file);
  return FraudReviewStore(metadata).All();
}

nlohmann::json FactorsJson(const std::vector<RiskFactor>& factors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& factor : factors) {
    list.push_back({{"feature", factor.feature},
                    {"description", factor.description},
                    {"value", factor.value},
                    {"typical", factor.typical},
                    {"strength", factor.strength}});
  }
  return list;
}

// The pattern a detection most resembles, from its strongest factor: what an
// analyst checks first. "anomaly" when no factor deviating in its risky
// direction names a known pattern.
std::string_view FraudType(const std::vector<RiskFactor>& factors) {
  for (const auto& factor : factors) {
    if (factor.strength <= 0) continue;
    const std::string_view f = factor.feature;
    if (f == "failed_payments" || f == "failed_payments_last_day" || f == "distinct_cards")
      return "card_testing";
    if (f == "ships_abroad" || f == "new_destination" || f == "card_changed")
      return "account_takeover";
    if (f == "orders_last_hour" || f == "orders_last_day" || f == "orders_within_hour")
      return "velocity";
    if (f == "customer_return_rate" || f == "return_speed") return "refund_abuse";
  }
  return "anomaly";
}

constexpr std::string_view kRiskScoresDdl = R"SQL(
CREATE OR REPLACE TEMP TABLE compliance_risk_scores (
  risk_score_id VARCHAR, entity_type VARCHAR, entity_id VARCHAR, order_id VARCHAR, customer_id VARCHAR,
  payment_id VARCHAR, order_date TIMESTAMP, amount DOUBLE, score_date TIMESTAMP, risk_score DOUBLE,
  risk_category VARCHAR, is_high_risk BOOLEAN, anomaly_score DOUBLE, fraud_probability DOUBLE,
  risk_factors VARCHAR, model_version VARCHAR))SQL";

constexpr std::string_view kDetectionsDdl = R"SQL(
CREATE OR REPLACE TEMP TABLE compliance_fraud_detections (
  detection_id VARCHAR, order_id VARCHAR, payment_id VARCHAR, customer_id VARCHAR, detection_date TIMESTAMP,
  order_date TIMESTAMP, amount DOUBLE, fraud_score DOUBLE, fraud_type VARCHAR, risk_level VARCHAR,
  detection_method VARCHAR, is_confirmed_fraud BOOLEAN, investigation_status VARCHAR, notes VARCHAR))SQL";

constexpr std::string_view kChecksDdl = R"SQL(
CREATE OR REPLACE TEMP TABLE compliance_checks_rows (
  check_id VARCHAR, check_type VARCHAR, entity_type VARCHAR, entity_id VARCHAR, check_date TIMESTAMP,
  compliance_status VARCHAR, issues_found VARCHAR, severity VARCHAR, remediation_required BOOLEAN,
  remediation_notes VARCHAR, requirement VARCHAR))SQL";

engine::Timestamp ToTimestamp(int64_t epoch_seconds) {
  return engine::Timestamp{epoch_seconds * 1'000'000};
}

}  // namespace

nlohmann::json ComplianceGuardian::Run(SystemRunContext& context) {
  const TransactionFeatures features = BuildTransactionFeatures(context.lake);
  if (features.Rows() == 0)
    throw core::Error("compliance_guardian: there are no curated orders to score yet");
  const std::vector<AnalystReview> reviews = LoadReviews(context.config);
  std::unordered_map<std::string, bool> verdict_of;
  for (const auto& review : reviews) verdict_of[review.order_id] = review.confirmed_fraud;

  const FraudScoring scoring = ScoreTransactions(features, reviews, {.seed = context.seed});
  const auto now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(context.now.time_since_epoch()).count();
  const engine::Timestamp run_time = ToTimestamp(now_seconds);

  context.lake.Execute(kRiskScoresDdl);
  context.lake.Execute(kDetectionsDdl);
  nlohmann::json band_counts = {{"low", 0}, {"medium", 0}, {"high", 0}, {"critical", 0}};
  size_t flagged = 0;
  {
    engine::Appender scores(context.lake, "compliance_risk_scores");
    engine::Appender detections(context.lake, "compliance_fraud_detections");
    for (size_t r = 0; r < features.Rows(); ++r) {
      const TransactionRisk& risk = scoring.transactions[r];
      const std::string factors = FactorsJson(risk.factors).dump();
      const engine::Timestamp order_date = ToTimestamp(features.order_epoch_seconds[r]);
      // NULLs as ValueRefs: GCC 12 misreads optionals passed through the
      // Appender's variant as maybe-uninitialized.
      const engine::ValueRef payment =
          features.payment_ids[r].empty()
              ? engine::ValueRef(engine::kNull)
              : engine::ValueRef(std::string_view(features.payment_ids[r]));
      const engine::ValueRef probability = risk.supervised_probability
                                               ? engine::ValueRef(*risk.supervised_probability)
                                               : engine::ValueRef(engine::kNull);
      band_counts[std::string(risk.risk_level)] =
          band_counts[std::string(risk.risk_level)].get<int64_t>() + 1;
      scores.AppendRow(features.order_ids[r], std::string_view("transaction"),
                       features.order_ids[r], features.order_ids[r], features.customer_ids[r],
                       payment, order_date, features.amounts[r], run_time, risk.risk_score,
                       risk.risk_level, risk.risk_score > kFlagRiskScore, risk.anomaly_score,
                       probability, factors, scoring.method);
      if (risk.risk_score <= kFlagRiskScore) continue;
      ++flagged;
      const auto verdict = verdict_of.find(features.order_ids[r]);
      const bool reviewed = verdict != verdict_of.end();
      const engine::ValueRef confirmed =
          reviewed ? engine::ValueRef(verdict->second) : engine::ValueRef(engine::kNull);
      const std::string_view status = !reviewed ? "pending"
                                                : (verdict->second ? std::string_view("confirmed")
                                                                   : std::string_view("dismissed"));
      detections.AppendRow(features.order_ids[r], features.order_ids[r], payment,
                           features.customer_ids[r], run_time, order_date, features.amounts[r],
                           risk.risk_score / 100.0, FraudType(risk.factors), risk.risk_level,
                           scoring.method, confirmed, status, factors);
    }
    scores.Close();
    detections.Close();
  }
  context.output.Write("risk_scores",
                       "SELECT * FROM compliance_risk_scores ORDER BY order_date, order_id");
  context.output.Write(
      "fraud_detections",
      "SELECT * FROM compliance_fraud_detections ORDER BY fraud_score DESC, order_id");

  const PciReport pci = CheckPciCompliance(context.lake, PciScanSchemas(context.lake),
                                           ReadPciConfiguration(context.config));
  context.lake.Execute(kChecksDdl);
  {
    engine::Appender checks(context.lake, "compliance_checks_rows");
    for (const auto& check : pci.checks) {
      checks.AppendRow(
          check.id, std::string_view("PCI_DSS"), std::string_view("lake"), check.id, run_time,
          check.passed ? std::string_view("compliant") : std::string_view("non_compliant"),
          check.findings.dump(),
          check.passed ? engine::ValueRef(engine::kNull)
                       : engine::ValueRef(std::string_view(check.severity)),
          !check.passed, check.passed ? std::string() : check.remediation, check.requirement);
    }
    checks.Close();
  }
  context.output.Write("compliance_checks",
                       "SELECT * FROM compliance_checks_rows ORDER BY check_id");

  return {{"transactions_scored", features.Rows()},
          {"flagged", flagged},
          {"risk_bands", band_counts},
          {"method", scoring.method},
          {"supervised", scoring.supervised},
          {"reviews_matched", scoring.reviews_matched},
          {"pci_score", pci.score},
          {"pci_failed_checks", std::count_if(pci.checks.begin(), pci.checks.end(),
                                              [](const PciCheck& c) { return !c.passed; })}};
}

}  // namespace futureim::systems::compliance
