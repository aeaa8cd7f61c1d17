#include "systems/compliance/fraud_scoring.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "ml/isolation_forest.h"
#include "systems/compliance/review_model.h"

namespace futureim::systems::compliance {
namespace {

// A column's centre and robust spread: median and 1.4826 × MAD (the standard
// deviation for normal data); the standard deviation when the MAD is zero (a
// mostly-constant flag), and 1 when the column is constant.
struct ColumnScale {
  double median = 0;
  double spread = 1;
};

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

ColumnScale ScaleOf(std::vector<double> values) {
  ColumnScale scale;
  scale.median = Median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  double mean = 0;
  for (double v : values) {
    deviations.push_back(std::abs(v - scale.median));
    mean += v;
  }
  mean /= static_cast<double>(std::max<size_t>(1, values.size()));
  const double mad = 1.4826 * Median(deviations);
  double variance = 0;
  for (double v : values) variance += (v - mean) * (v - mean);
  const double sd = std::sqrt(variance / static_cast<double>(std::max<size_t>(1, values.size())));
  scale.spread = mad > 0 ? mad : (sd > 0 ? sd : 1.0);
  return scale;
}

std::vector<ColumnScale> ColumnScales(const TransactionFeatures& features) {
  const size_t width = TransactionFeatureSpecs().size();
  std::vector<ColumnScale> scales;
  for (size_t f = 0; f < width; ++f) {
    std::vector<double> column(features.Rows());
    for (size_t r = 0; r < features.Rows(); ++r) column[r] = features.matrix[r * width + f];
    scales.push_back(ScaleOf(std::move(column)));
  }
  return scales;
}

// The features that set one row apart from the population, strongest first:
// each feature's standardised deviation from its median (robust standard
// units, signed so that positive is the risky direction), ranked by size.
// The isolation forest isolates a row by any rare value, high or low, so the
// features it sees count in either direction (a far cheaper basket than
// anyone buys is why such an order scores); the others (weekend, customer
// age...) only when they deviate in their risky direction. Only a row at the
// median of every feature, which the forest cannot isolate, gets no factor.
std::vector<RiskFactor> TopFactors(std::span<const double> row,
                                   const std::vector<ColumnScale>& scales, size_t max_factors) {
  const auto specs = TransactionFeatureSpecs();
  std::vector<RiskFactor> factors;
  for (size_t f = 0; f < specs.size(); ++f) {
    const double direction = specs[f].higher_is_riskier ? 1.0 : -1.0;
    const double strength = direction * (row[f] - scales[f].median) / scales[f].spread;
    if (strength > 0 || (specs[f].isolates && strength < 0)) {
      factors.push_back({specs[f].name, specs[f].description, row[f], scales[f].median, strength});
    }
  }
  std::sort(factors.begin(), factors.end(), [](const RiskFactor& a, const RiskFactor& b) {
    return std::abs(a.strength) > std::abs(b.strength);
  });
  if (factors.size() > max_factors) factors.resize(max_factors);
  return factors;
}

// The columns of the features the isolation forest sees, row-major.
std::vector<double> IsolatingColumns(const TransactionFeatures& features) {
  const auto specs = TransactionFeatureSpecs();
  std::vector<double> columns;
  for (size_t r = 0; r < features.Rows(); ++r) {
    const auto row = features.Row(r);
    for (size_t f = 0; f < specs.size(); ++f) {
      if (specs[f].isolates) columns.push_back(row[f]);
    }
  }
  return columns;
}

// Anomaly scores → 0–100: how many robust standard units a score lies above
// the median score, mapped by 100·(1 − e^(−z/k)). Ordinary transactions (at or
// below the median) get 0; z = 1.4 reaches medium, 3.7 high, 6.4 critical.
// k = 4 puts about 8 % of orders at high or above on simulated stores, where
// about 1.2 % are fraud: a queue an analyst team can work through.
double UnsupervisedRisk(double anomaly, const ColumnScale& scale) {
  constexpr double k = 4.0;
  const double z = std::max(0.0, (anomaly - scale.median) / scale.spread);
  return 100.0 * (1.0 - std::exp(-z / k));
}

}  // namespace

std::string_view RiskLevel(double risk_score) {
  if (risk_score > 80) return "critical";
  if (risk_score > 60) return "high";
  if (risk_score > 30) return "medium";
  return "low";
}

FraudScoring ScoreTransactions(const TransactionFeatures& features,
                               std::span<const AnalystReview> reviews,
                               const FraudScoringOptions& options) {
  FraudScoring scoring;
  scoring.method = "isolation_forest";
  if (features.Rows() == 0) return scoring;

  const std::vector<double> isolating = IsolatingColumns(features);
  const size_t isolating_width = isolating.size() / features.Rows();
  const ml::IsolationForest forest(isolating, isolating_width,
                                   {.trees = 100, .subsample = 256, .seed = options.seed});
  const std::vector<double> anomaly = forest.ScoreRows(isolating);
  const ColumnScale anomaly_scale = ScaleOf(anomaly);
  const auto scales = ColumnScales(features);

  std::unordered_map<std::string_view, size_t> row_of_order;
  for (size_t r = 0; r < features.Rows(); ++r) row_of_order.emplace(features.order_ids[r], r);
  std::vector<std::pair<size_t, bool>> labelled;
  for (const auto& review : reviews) {
    const auto found = row_of_order.find(review.order_id);
    if (found != row_of_order.end()) labelled.emplace_back(found->second, review.confirmed_fraud);
  }
  scoring.reviews_matched = labelled.size();
  const auto probabilities = ReviewModelProbabilities(features, anomaly, labelled,
                                                      options.min_reviews_per_class, options.seed);
  if (probabilities) {
    scoring.supervised = true;
    scoring.method = "isolation_forest+xgboost";
  }

  scoring.transactions.resize(features.Rows());
  for (size_t r = 0; r < features.Rows(); ++r) {
    TransactionRisk& risk = scoring.transactions[r];
    risk.anomaly_score = anomaly[r];
    risk.risk_score = UnsupervisedRisk(anomaly[r], anomaly_scale);
    if (probabilities) {
      // Analysts' verdicts outweigh the anomaly score: a pattern they keep
      // dismissing fades, one they confirm rises even when it is common.
      risk.supervised_probability = (*probabilities)[r];
      risk.risk_score = 0.4 * risk.risk_score + 0.6 * 100.0 * (*probabilities)[r];
    }
    risk.risk_level = RiskLevel(risk.risk_score);
    risk.factors = TopFactors(features.Row(r), scales, options.max_factors);
  }
  return scoring;
}

}  // namespace futureim::systems::compliance
