#include "systems/compliance/fraud_scoring.h"

#include <algorithm>
#include <functional>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace futureim::systems::compliance {
namespace {

size_t FeatureIndex(std::string_view name) {
  const auto specs = TransactionFeatureSpecs();
  for (size_t f = 0; f < specs.size(); ++f) {
    if (specs[f].name == name) return f;
  }
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

// 3,000 ordinary orders shaped like a store's: the amounts and baskets vary
// continuously, the counts and flags are mostly zero with a rare one. Then
// three planted rows: one unusual in a risky direction (many failed
// payments), one unusual only the other way (a far cheaper top item than
// anyone buys), one unusual in both (a burst of orders, a tiny basket).
TransactionFeatures SyntheticFeatures() {
  const auto specs = TransactionFeatureSpecs();
  const size_t width = specs.size();
  TransactionFeatures features;
  std::mt19937_64 random(11);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::bernoulli_distribution rare(0.03);
  constexpr size_t kOrdinary = 3000;
  for (size_t r = 0; r < kOrdinary + 3; ++r) {
    features.order_ids.push_back("o" + std::to_string(r));
    features.customer_ids.push_back("c" + std::to_string(r % 500));
    features.payment_ids.push_back("p" + std::to_string(r));
    features.order_epoch_seconds.push_back(1'700'000'000 + static_cast<int64_t>(r) * 60);
    features.amounts.push_back(50);
    for (size_t f = 0; f < width; ++f) {
      const std::string_view name = specs[f].name;
      const bool continuous = name == "amount" || name == "log_amount" || name == "amount_z" ||
                              name == "customer_age_days" || name == "item_count" ||
                              name == "max_unit_price";
      features.matrix.push_back(continuous ? 10.0 + noise(random) : (rare(random) ? 1.0 : 0.0));
    }
  }
  const auto set = [&](size_t row, std::string_view feature, double value) {
    features.matrix[row * width + FeatureIndex(feature)] = value;
  };
  set(kOrdinary, "failed_payments", 40);
  set(kOrdinary + 1, "max_unit_price", -30);
  set(kOrdinary + 2, "orders_last_hour", 60);
  set(kOrdinary + 2, "item_count", -25);
  return features;
}

TEST(ComplianceFraudScoring, EveryScoreAboveTheLowBandNamesItsFactors) {
  const TransactionFeatures features = SyntheticFeatures();
  const FraudScoring scoring = ScoreTransactions(features, {}, {.seed = 3});
  ASSERT_EQ(scoring.transactions.size(), features.Rows());
  size_t above_low = 0;
  for (size_t r = 0; r < features.Rows(); ++r) {
    const TransactionRisk& risk = scoring.transactions[r];
    EXPECT_LE(risk.factors.size(), 3u);
    // Every synthetic row deviates from the median somewhere, so every row
    // is explained, whatever its score.
    EXPECT_FALSE(risk.factors.empty()) << features.order_ids[r] << " " << risk.risk_score;
    if (risk.risk_score > 30) ++above_low;
    for (size_t k = 1; k < risk.factors.size(); ++k) {
      EXPECT_GE(std::abs(risk.factors[k - 1].strength), std::abs(risk.factors[k].strength));
    }
  }
  EXPECT_GT(above_low, 0u);

  const size_t planted = features.Rows() - 3;
  const auto& risky = scoring.transactions[planted];
  ASSERT_FALSE(risky.factors.empty());
  EXPECT_EQ(risky.factors.front().feature, "failed_payments");
  EXPECT_GT(risky.factors.front().strength, 20);
  EXPECT_DOUBLE_EQ(risky.factors.front().value, 40);

  // Unusual only in the safe direction: the explanation names the feature
  // and its direction (a negative strength: lower than typical).
  const auto& cheap = scoring.transactions[planted + 1];
  ASSERT_FALSE(cheap.factors.empty());
  EXPECT_EQ(cheap.factors.front().feature, "max_unit_price");
  EXPECT_LT(cheap.factors.front().strength, -20);

  // Both: each named with its direction, the larger deviation first.
  const auto& both = scoring.transactions[planted + 2];
  ASSERT_GE(both.factors.size(), 2u);
  EXPECT_EQ(both.factors[0].feature, "orders_last_hour");
  EXPECT_GT(both.factors[0].strength, 20);
  EXPECT_EQ(both.factors[1].feature, "item_count");
  EXPECT_LT(both.factors[1].strength, -20);
}

}  // namespace
}  // namespace futureim::systems::compliance
