// Category price levels: enough distinct steps, the promised spread, and
// orthogonality of log(level) to trend, season and the store's demand, which
// keeps a plain regression of units on price unconfounded.

#include "generate/price_levels.h"

#include <cmath>
#include <numbers>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace futureim::generate {
namespace {

TEST(PriceLevelsTest, StepsSpreadAndOrthogonality) {
  constexpr int64_t kFirst = 20000, kEnd = 20730;
  // A demand curve with a peak and a trend, like the calendar's.
  std::vector<double> log_demand;
  for (int64_t day = kFirst; day < kEnd; ++day) {
    log_demand.push_back(0.3 * std::sin(static_cast<double>(day) / 40.0) +
                         ((day - kFirst) % 365 > 330 ? 0.5 : 0.0));
  }
  Random random(7);
  for (int category = 0; category < 20; ++category) {
    const auto levels = DrawPriceLevels(random, kFirst, kEnd, log_demand);
    ASSERT_GE(levels.size(), 17u);
    EXPECT_EQ(levels.front().first_day, kFirst);
    std::set<double> distinct;
    for (size_t k = 0; k + 1 < levels.size(); ++k) {
      const int64_t length = levels[k + 1].first_day - levels[k].first_day;
      EXPECT_GE(length, PriceLevelOptions{}.min_days);
      EXPECT_LE(length, PriceLevelOptions{}.max_days);
    }
    double sum = 0, square = 0, t_moment = 0, cos_moment = 0, demand_moment = 0;
    for (int64_t day = kFirst; day < kEnd; ++day) {
      const double x = std::log(PriceLevelOn(levels, day));
      distinct.insert(x);
      EXPECT_LE(std::abs(x), PriceLevelOptions{}.max_abs_log + 1e-9);
      const double t = static_cast<double>(day - kFirst);
      sum += x;
      square += x * x;
      t_moment += x * t;
      cos_moment += x * std::cos(2 * std::numbers::pi * static_cast<double>(day) / 365.25);
      demand_moment += x * log_demand[static_cast<size_t>(day - kFirst)];
    }
    const double days = static_cast<double>(kEnd - kFirst);
    EXPECT_GE(distinct.size(), 15u);
    EXPECT_NEAR(sum / days, 0, 1e-9);
    EXPECT_NEAR(t_moment / days, 0, 1e-6);
    EXPECT_NEAR(cos_moment / days, 0, 1e-9);
    EXPECT_NEAR(demand_moment / days, 0, 1e-9);
    EXPECT_NEAR(std::sqrt(square / days), PriceLevelOptions{}.log_stddev, 0.1);
    // Before the window: the first level.
    EXPECT_EQ(PriceLevelOn(levels, kFirst - 100), levels.front().factor);
  }
}

}  // namespace
}  // namespace futureim::generate
