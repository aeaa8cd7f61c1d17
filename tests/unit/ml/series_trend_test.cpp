#include "ml/series_trend.h"

#include <gtest/gtest.h>

#include "unit/ml/reference/reference_values.h"
#include "unit/ml/synthetic_series.h"

namespace futureim::ml {
namespace {

TEST(SeasonalStrength, MatchesStatsmodelsClassicalDecomposition) {
  const std::optional<double> strength = SeasonalStrength(reference::kWeekly, 7);
  ASSERT_TRUE(strength.has_value());
  EXPECT_NEAR(*strength, reference::kWeeklySeasonalStrength, 1e-9);
}

TEST(SeasonalStrength, UndefinedForShortOrFlatSeries) {
  EXPECT_FALSE(SeasonalStrength(std::vector<double>(20, 1.0), 7).has_value());
  EXPECT_FALSE(SeasonalStrength(std::vector<double>(60, 5.0), 7).has_value());
  const std::optional<double> noise =
      SeasonalStrength(testing::WeeklySeries(700, 100, 0, 0, 5, 9), 7);
  ASSERT_TRUE(noise.has_value());
  EXPECT_LT(*noise, 0.1);
}

TEST(MeasureTrend, GrowthMomentumAndYearOverYearOfALinearSeries) {
  // y = 100 + t: the last 28 days sum to 28·(100 + n − 14.5), and so on.
  std::vector<double> y;
  for (int t = 0; t < 400; ++t) y.push_back(100.0 + t);
  const SeriesTrend trend = MeasureTrend(y);
  ASSERT_TRUE(trend.growth && trend.momentum && trend.year_over_year);
  EXPECT_NEAR(*trend.growth, (100.0 + 385.5) / (100.0 + 357.5) - 1.0, 1e-12);
  EXPECT_NEAR(*trend.momentum, 7.0 / (100.0 + 371.5), 1e-12);
  EXPECT_NEAR(*trend.year_over_year, (100.0 + 385.5) / (100.0 + 21.5) - 1.0, 1e-12);
}

TEST(MeasureTrend, NoSalesGivesNoNumbersRatherThanNaN) {
  const SeriesTrend trend = MeasureTrend(std::vector<double>(400, 0.0));
  EXPECT_FALSE(trend.growth.has_value());
  EXPECT_FALSE(trend.momentum.has_value());
  EXPECT_FALSE(trend.year_over_year.has_value());
  EXPECT_FALSE(trend.weekly_seasonality_strength.has_value());
  const SeriesTrend short_trend = MeasureTrend({1, 2, 3});
  EXPECT_FALSE(short_trend.growth.has_value());
}

}  // namespace
}  // namespace futureim::ml
