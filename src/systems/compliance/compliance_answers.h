#pragma once

// The Compliance Guardian's on-demand answers (its API routes), computed from
// its current prod tables through the lake views (compliance_guardian.*).
// Periods are the last `days` days up to the latest scored order (the
// store's own "today", which may lie before the clock's).
//
// Bad parameters throw std::invalid_argument naming the parameter; an answer
// that needs scores before the first run throws NoComplianceRun.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/duckdb.h"
#include "metadata/metadata_db.h"
#include "systems/compliance/pci_compliance.h"

namespace futureim::systems::compliance {

class NoComplianceRun : public std::runtime_error {
 public:
  NoComplianceRun()
      : std::runtime_error(
            "no Compliance Guardian run yet: run `futureim systems run compliance_guardian`") {}
};

struct TransactionQuery {
  int64_t days = 7;                          // 1–3650
  std::vector<std::string> transaction_ids;  // order ids; empty = every order of the period
};

// {predictions[{transaction_id, fraud_probability, fraud_risk_level, is_anomaly, risk_factors}],
//  fraudulent_transactions[top 50], patterns{...}}
nlohmann::json FraudDetection(engine::Connection& lake, const TransactionQuery& query);
// {risk_scores[{transaction_id, risk_score, risk_level, is_high_risk, risk_factors}],
//  high_risk_transactions[top 50], distribution{low, medium, high, critical}}
nlohmann::json RiskScores(engine::Connection& lake, const TransactionQuery& query);
// {high_risk_transactions[{transaction_id, customer_id, amount, risk_score, risk_level,
// risk_factors}],
//  count, threshold}; threshold 0–100, limit 1–1000.
nlohmann::json HighRiskTransactions(engine::Connection& lake, int64_t days, double threshold,
                                    int64_t limit);
// {summary{total_transactions, total_amount, total_flagged, total_flagged_amount, fraud_rate (%),
//  avg_risk_score}, daily_statistics[{date, ...}]}
nlohmann::json FraudStatistics(engine::Connection& lake, int64_t days);
// {pci_compliance (the last run's checks), fraud_analysis, risk_analysis, report_period_days}
nlohmann::json ComplianceReport(engine::Connection& lake, int64_t days);
// Records an analyst's verdict on detection `detection_id` (it must be in the
// current fraud_detections; std::out_of_range otherwise) and returns it.
nlohmann::json ReviewDetection(engine::Connection& lake, metadata::MetadataDb& metadata,
                               const std::string& detection_id, const std::string& verdict,
                               const std::string& reviewer, const std::string& notes,
                               int64_t now_ms);

}  // namespace futureim::systems::compliance
