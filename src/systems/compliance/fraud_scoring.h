#pragma once

// Turns transaction features into fraud risk: an isolation-forest anomaly
// score (no labels needed), a supervised model once analysts have reviewed
// enough detections, and a 0–100 risk score with its band and the features
// that drove it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "systems/compliance/transaction_features.h"

namespace futureim::systems::compliance {

// An analyst's verdict on a detection: confirmed fraud or dismissed.
struct AnalystReview {
  std::string order_id;
  bool confirmed_fraud = false;
};

// A feature that sets a transaction apart: its value, the typical (median)
// value, and its standardised deviation (robust standard units, positive in
// the feature's risky direction, negative when the row is unusual the other way).
struct RiskFactor {
  std::string_view feature;
  std::string_view description;
  double value = 0;
  double typical = 0;
  double strength = 0;
};

struct TransactionRisk {
  double anomaly_score = 0;                      // isolation forest, (0, 1]
  std::optional<double> supervised_probability;  // with a trained review model only
  double risk_score = 0;                         // 0–100
  std::string_view risk_level;                   // low, medium, high, critical
  std::vector<RiskFactor> factors;  // strongest first, 1..max_factors unless the row is typical
};

struct FraudScoringOptions {
  uint64_t seed = 0;
  size_t max_factors = 3;
  // The supervised model trains once reviews hold at least this many of each verdict.
  size_t min_reviews_per_class = 5;
};

struct FraudScoring {
  std::vector<TransactionRisk> transactions;  // parallel to the features' rows
  bool supervised = false;
  size_t reviews_matched = 0;  // reviews whose order is among the features
  std::string method;          // "isolation_forest" or "isolation_forest+xgboost"
};

// Bands of the 0–100 risk score: (0, 30] low, (30, 60] medium, (60, 80] high,
// (80, 100] critical (0 is low).
std::string_view RiskLevel(double risk_score);
// A detection worth an analyst's time: above this, high or critical.
inline constexpr double kFlagRiskScore = 60;

// Scores every row of `features`. Reviews of orders not among the rows are
// ignored; the supervised model is used only when both verdicts have at least
// min_reviews_per_class reviews. Deterministic for a seed.
FraudScoring ScoreTransactions(const TransactionFeatures& features,
                               std::span<const AnalystReview> reviews,
                               const FraudScoringOptions& options);

}  // namespace futureim::systems::compliance
