#include "ml/price_elasticity.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "core/error.h"

namespace futureim::ml {
namespace {

// Products with their own demand level, weeks with a shared seasonal shock,
// prices moving independently: log q = e·log p + product + week + noise.
std::vector<PriceQuantityObservation> Panel(double elasticity, int products, int weeks,
                                            uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> noise(0, 0.1), level(3, 1), shock(0, 0.4), move(0, 0.15);
  std::vector<double> week_shock(weeks);
  for (auto& s : week_shock) s = shock(random);
  std::vector<PriceQuantityObservation> rows;
  for (int p = 0; p < products; ++p) {
    const double base = level(random);
    const double base_price = 20 + 5 * p;
    for (int w = 0; w < weeks; ++w) {
      // Prices are higher in high-demand weeks: without week effects this
      // confounds the slope upwards.
      const double log_price = std::log(base_price) + move(random) + 0.3 * week_shock[w];
      const double log_q = base + elasticity * log_price + week_shock[w] + noise(random);
      rows.push_back({p, w, std::exp(log_price), std::exp(log_q), 1});
    }
  }
  return rows;
}

TEST(PriceElasticityTest, TwoWayFixedEffectsRecoverTheElasticity) {
  const auto rows = Panel(-1.8, 20, 52, 1);
  const auto estimate = EstimateLogLogElasticity(rows);
  EXPECT_NEAR(estimate.elasticity, -1.8, 0.05);
  EXPECT_LT(estimate.confidence_low, -1.8);
  EXPECT_GT(estimate.confidence_high, -1.8);
  EXPECT_GT(estimate.standard_error, 0);
  EXPECT_EQ(estimate.groups, 20u);
  EXPECT_EQ(estimate.observations, 20u * 52u);
  // Without the week effects the shared shock biases the slope.
  ElasticityOptions no_weeks;
  no_weeks.period_effects = false;
  EXPECT_GT(EstimateLogLogElasticity(rows, no_weeks).elasticity, -1.5);
}

TEST(PriceElasticityTest, ByGroupRecoversEachGroupsOwnElasticity) {
  // Twenty categories with elasticities from -0.5 to -2.4 sharing the week
  // shocks, each with its own price moves. (With many groups the shared week
  // effect is the other groups' average, so each group's slope is its own.)
  std::mt19937_64 random(3);
  std::normal_distribution<double> shock(0, 0.4), move(0, 0.2), noise(0, 0.05);
  std::vector<PriceQuantityObservation> rows;
  const auto elasticity_of = [](int group) { return -0.5 - 0.1 * group; };
  for (int w = 0; w < 80; ++w) {
    const double week = shock(random);
    for (int group = 0; group < 20; ++group) {
      const double log_price = std::log(30.0) + move(random);
      rows.push_back({group, w, std::exp(log_price),
                      std::exp(4 + elasticity_of(group) * log_price + week + noise(random))});
    }
  }
  const auto estimates = EstimateElasticityByGroup(rows);
  ASSERT_EQ(estimates.size(), 20u);
  for (const auto& [group, estimate] : estimates) {
    EXPECT_NEAR(estimate.elasticity, elasticity_of(group), 0.15) << group;
    EXPECT_EQ(estimate.observations, 80u);
  }
}

TEST(PriceElasticityTest, SingleProductIsPlainOls) {
  // Exact line log q = 5 − 1.2 log p plus alternating ±0.01: slope −1.2.
  std::vector<PriceQuantityObservation> rows;
  for (int i = 0; i < 12; ++i) {
    const double price = 10 + i;
    rows.push_back({0, i, price, std::exp(5 - 1.2 * std::log(price) + (i % 2 ? 0.01 : -0.01))});
  }
  const auto estimate = EstimateLogLogElasticity(rows);
  EXPECT_NEAR(estimate.elasticity, -1.2, 0.02);
  EXPECT_GT(estimate.r_squared, 0.95);
  EXPECT_EQ(ElasticityType(estimate.elasticity), "Elastic");
}

TEST(PriceElasticityTest, StudentTQuantilesMatchTables) {
  EXPECT_NEAR(StudentTCritical(0.95, 10), 2.228, 0.002);
  EXPECT_NEAR(StudentTCritical(0.95, 30), 2.042, 0.001);
  EXPECT_NEAR(StudentTCritical(0.95, 1e7), 1.960, 0.001);
  EXPECT_NEAR(StudentTCritical(0.90, 20), 1.725, 0.001);
}

TEST(PriceElasticityTest, BadInputIsAClearError) {
  std::vector<PriceQuantityObservation> constant;
  for (int i = 0; i < 20; ++i) constant.push_back({0, i, 10, 5.0 + i});
  EXPECT_THROW(EstimateLogLogElasticity(constant), core::Error);  // price never moved
  EXPECT_THROW(EstimateLogLogElasticity({constant.begin(), constant.begin() + 5}), core::Error);
  auto zero = Panel(-1, 2, 10, 2);
  zero[3].quantity = 0;
  EXPECT_THROW(EstimateLogLogElasticity(zero), core::Error);
}

TEST(PriceOptimizationTest, ElasticDemandUsesTheMarkupRule) {
  // e = −3, cost 10: p* = 10·3/2 = 15; current 14 → within ±30 %.
  const auto r = OptimizePrice({14, 100, 10, -3, 0.3});
  EXPECT_NEAR(r.optimal_price, 15, 1e-9);
  EXPECT_FALSE(r.bound_by_range);
  EXPECT_EQ(r.recommendation, "Increase price");
  EXPECT_NEAR(r.estimated_quantity, 100 * std::pow(15.0 / 14, -3), 1e-9);
  EXPECT_GT(r.estimated_profit, r.current_profit);
  EXPECT_NEAR(r.current_margin_pct, 4.0 / 14 * 100, 1e-9);
}

TEST(PriceOptimizationTest, RangeBoundsAndInelasticDemand) {
  const auto far = OptimizePrice({50, 10, 10, -3, 0.3});  // p* = 15, floor 35
  EXPECT_NEAR(far.optimal_price, 35, 1e-9);
  EXPECT_TRUE(far.bound_by_range);
  EXPECT_EQ(far.recommendation, "Decrease price");
  const auto inelastic = OptimizePrice({20, 10, 5, -0.5, 0.2});
  EXPECT_NEAR(inelastic.optimal_price, 24, 1e-9);
  EXPECT_GT(inelastic.estimated_profit, inelastic.current_profit);
  EXPECT_THROW(OptimizePrice({20, 10, 5, 0.4, 0.2}), core::Error);
  EXPECT_THROW(OptimizePrice({0, 10, 5, -2, 0.2}), core::Error);
  EXPECT_THROW(OptimizePrice({20, -1, 5, -2, 0.2}), core::Error);
  EXPECT_THROW(OptimizePrice({20, 1, 5, std::nan(""), 0.2}), core::Error);
}

}  // namespace
}  // namespace futureim::ml
