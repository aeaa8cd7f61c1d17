#include "systems/demand_insights/churn_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "ml/accuracy_metrics.h"

namespace futureim::systems::demand_insights {
namespace {

constexpr size_t kFeatureCount = 20;
constexpr int kTrainingCutoffs = 3;

void FillFeatures(const CustomerActivity& a, int64_t cutoff, ml::FeatureMatrix& m, size_t row) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double recency = a.RecencyDays(cutoff);
  const double active_span = static_cast<double>(a.last_day - a.first_day);
  const double mean_gap = a.purchase_days > 1 ? active_span / (a.purchase_days - 1) : nan;
  const double values[kFeatureCount] = {
      recency,
      a.TenureDays(cutoff),
      a.purchases,
      a.purchase_days,
      a.spend,
      a.AverageOrderValue(),
      a.purchases > 0 ? a.returned / a.purchases : 0,
      a.cancelled,
      a.purchases_30,
      a.purchases_90,
      a.purchases_180,
      a.purchases_365,
      a.spend_90,
      a.spend_365,
      a.distinct_products,
      a.distinct_categories,
      a.average_rating,
      a.account_age_days,
      mean_gap,
      std::isnan(mean_gap) ? nan : recency / std::max(mean_gap, 1.0),
  };
  for (size_t c = 0; c < kFeatureCount; ++c) m.At(row, c) = static_cast<float>(values[c]);
}

ml::FeatureMatrix Features(const std::vector<const CustomerActivity*>& rows,
                           const std::vector<int64_t>& cutoffs) {
  ml::FeatureMatrix m(rows.size(), kFeatureCount);
  for (size_t i = 0; i < rows.size(); ++i) FillFeatures(*rows[i], cutoffs[i], m, i);
  return m;
}

double Logit(double p) {
  p = std::clamp(p, 1e-6, 1 - 1e-6);
  return std::log(p / (1 - p));
}

// Labelled rows of one fold across the training cut-offs.
struct LabelledRows {
  std::vector<CustomerActivity> storage;
  std::vector<const CustomerActivity*> rows;
  std::vector<int64_t> cutoffs;
  std::vector<float> labels;
};

}  // namespace

CustomerFold FoldOf(const std::string& customer_id) {
  uint64_t hash = 1469598103934665603ULL;
  for (const unsigned char ch : customer_id) {
    hash ^= ch;
    hash *= 1099511628211ULL;
  }
  const uint64_t bucket = hash % 10;
  return bucket < 6   ? CustomerFold::kTrain
         : bucket < 8 ? CustomerFold::kCalibrate
                      : CustomerFold::kHoldout;
}

double RuleBasedChurnProbability(const CustomerActivity& customer, int64_t cutoff_day) {
  return std::min(
      1.0, 0.7 * customer.RecencyDays(cutoff_day) / 180 + 0.3 / std::max(customer.purchases, 1.0));
}

std::string ChurnModel::RiskBand(double p) {
  if (p <= 0.3) return "Low";
  if (p <= 0.6) return "Medium";
  if (p <= 0.8) return "High";
  return "Critical";
}

ChurnModel ChurnModel::Train(engine::Connection& lake, int64_t as_of_day, uint64_t seed) {
  LabelledRows folds[3];
  std::vector<int64_t> used_cutoffs;
  for (int k = 1; k <= kTrainingCutoffs; ++k) {
    const int64_t cutoff = as_of_day - static_cast<int64_t>(k) * kHorizonDays;
    auto customers = LoadCustomerActivity(lake, cutoff);
    if (customers.size() < 50) break;  // the history does not reach back this far
    const auto future = LoadPurchasesBetween(lake, cutoff, cutoff + kHorizonDays);
    used_cutoffs.push_back(cutoff);
    for (auto& customer : customers) {
      auto& fold = folds[static_cast<int>(FoldOf(customer.customer_id))];
      fold.labels.push_back(future.contains(customer.customer_id) ? 0.0f : 1.0f);
      fold.cutoffs.push_back(cutoff);
      fold.storage.push_back(std::move(customer));
    }
  }
  for (auto& fold : folds) {
    for (const auto& customer : fold.storage) fold.rows.push_back(&customer);
  }
  auto& train = folds[static_cast<int>(CustomerFold::kTrain)];
  auto& calibrate = folds[static_cast<int>(CustomerFold::kCalibrate)];
  auto& holdout = folds[static_cast<int>(CustomerFold::kHoldout)];
  if (used_cutoffs.empty() || calibrate.rows.size() < 20 || holdout.rows.size() < 20) {
    throw core::Error("churn model: needs at least " + std::to_string(kHorizonDays) +
                      " days of history with customers before them to learn from; the store has "
                      "too little");
  }
  double positives = 0;
  for (const float label : train.labels) positives += label;
  if (positives == 0 || positives == static_cast<double>(train.labels.size())) {
    throw core::Error("churn model: every training customer has the same outcome");
  }
  ml::BoostedTreesParams params;
  params.objective = ml::BoostedTreesObjective::kBinaryLogistic;
  params.rounds = 300;
  params.learning_rate = 0.05;
  params.max_depth = 4;
  params.min_child_weight = 5;
  params.subsample = 0.8;
  params.column_sample = 0.8;
  params.seed = seed;
  auto trees = ml::BoostedTrees::Train(Features(train.rows, train.cutoffs), train.labels, params);

  const auto scores = [&](const LabelledRows& fold) {
    auto p = trees.Predict(Features(fold.rows, fold.cutoffs));
    for (double& v : p) v = Logit(v);
    return p;
  };
  std::vector<int> calibration_labels(calibrate.labels.begin(), calibrate.labels.end());
  const auto calibration = ml::PlattCalibration::Fit(scores(calibrate), calibration_labels);
  ChurnModel model(std::move(trees), calibration);

  // Quality on the held-out customers, at every cut-off and at the latest.
  std::vector<double> probability, rule;
  std::vector<bool> churned;
  const auto holdout_scores = scores(holdout);
  for (size_t i = 0; i < holdout.rows.size(); ++i) {
    probability.push_back(calibration.Apply(holdout_scores[i]));
    rule.push_back(RuleBasedChurnProbability(*holdout.rows[i], holdout.cutoffs[i]));
    churned.push_back(holdout.labels[i] > 0.5f);
  }
  const auto optional_json = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  nlohmann::json cutoffs = nlohmann::json::array();
  for (const int64_t c : used_cutoffs) cutoffs.push_back(c);
  model.quality_ = {
      {"model", "xgboost + platt calibration"},
      {"label", "no purchase in the 90 days after the cut-off"},
      {"training_cutoff_days", cutoffs},
      {"training_rows", train.rows.size()},
      {"calibration_rows", calibrate.rows.size()},
      {"holdout_rows", holdout.rows.size()},
      {"holdout_churn_rate",
       std::count(churned.begin(), churned.end(), true) / static_cast<double>(churned.size())},
      {"holdout_roc_auc", optional_json(ml::RocAuc(churned, probability))},
      {"holdout_average_precision", optional_json(ml::AveragePrecision(churned, probability))},
      {"holdout_log_loss", ml::LogLoss(churned, probability)},
      {"holdout_brier_score", ml::BrierScore(churned, probability)},
      {"baseline_rule_roc_auc", optional_json(ml::RocAuc(churned, rule))},
      {"calibration",
       {{"method", "platt"},
        {"slope", calibration.slope()},
        {"intercept", calibration.intercept()}}},
  };
  return model;
}

std::vector<double> ChurnModel::Predict(const std::vector<CustomerActivity>& customers,
                                        int64_t cutoff_day) const {
  std::vector<const CustomerActivity*> rows;
  for (const auto& c : customers) rows.push_back(&c);
  auto p = trees_.Predict(Features(rows, std::vector<int64_t>(rows.size(), cutoff_day)));
  for (double& v : p) v = calibration_.Apply(Logit(v));
  return p;
}

}  // namespace futureim::systems::demand_insights
