#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/duckdb.h"
#include "ml/boosted_trees.h"
#include "ml/probability_calibration.h"
#include "systems/demand_insights/customer_activity.h"

namespace futureim::systems::demand_insights {

// Which part of the data a customer's rows belong to, from a stable hash of
// the id (FNV-1a): 60 % train the trees, 20 % calibrate the probabilities,
// 20 % are held out and only scored (their metrics are the model's quality).
enum class CustomerFold { kTrain, kCalibrate, kHoldout };
CustomerFold FoldOf(const std::string& customer_id);

// Churn = no purchase in the 90 days after a cut-off. Trained with a time
// split: features from the activity before cut-offs 90, 180 and 270 days
// before the store's as-of day, labels from the 90 days after each, so every
// label is fully observed and no feature sees the future. XGBoost gives a
// score, Platt scaling fitted on the calibration customers makes it a
// probability.
class ChurnModel {
 public:
  static constexpr int kHorizonDays = 90;

  // Throws core::Error when the history is too short for one labelled
  // cut-off or a fold lacks one of the classes.
  static ChurnModel Train(engine::Connection& lake, int64_t as_of_day, uint64_t seed);

  // Calibrated P(no purchase in the next 90 days), one per customer.
  std::vector<double> Predict(const std::vector<CustomerActivity>& customers,
                              int64_t cutoff_day) const;

  // Holdout ROC AUC, average precision, log loss, Brier score, the rule-based
  // baseline's AUC on the same rows, row counts and cut-offs.
  const nlohmann::json& Quality() const { return quality_; }

  static std::string RiskBand(double probability);  // Low, Medium, High, Critical

 private:
  ChurnModel(ml::BoostedTrees trees, ml::PlattCalibration calibration)
      : trees_(std::move(trees)), calibration_(calibration) {}

  ml::BoostedTrees trees_;
  ml::PlattCalibration calibration_;
  nlohmann::json quality_;
};

// The original's rule, kept as the baseline: min(1, 0.7·recency/180 + 0.3/max(frequency, 1)).
double RuleBasedChurnProbability(const CustomerActivity& customer, int64_t cutoff_day);

}  // namespace futureim::systems::demand_insights
