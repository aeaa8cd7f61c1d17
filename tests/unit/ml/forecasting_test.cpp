#include "ml/forecasting.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/error.h"
#include "ml/retail_calendar.h"
#include "unit/ml/synthetic_series.h"

namespace futureim::ml {
namespace {

DailySeries Series(std::vector<double> values) { return {{2024, 1, 1}, std::move(values)}; }

void ExpectWellFormed(const ForecastResult& result, int horizon, size_t levels) {
  ASSERT_EQ(result.point.size(), static_cast<size_t>(horizon));
  ASSERT_EQ(result.intervals.size(), levels);
  for (size_t l = 0; l < levels; ++l) {
    const PredictionInterval& interval = result.intervals[l];
    ASSERT_EQ(interval.lower.size(), result.point.size());
    ASSERT_EQ(interval.upper.size(), result.point.size());
    for (size_t h = 0; h < result.point.size(); ++h) {
      EXPECT_TRUE(std::isfinite(result.point[h]));
      EXPECT_TRUE(std::isfinite(interval.lower[h]) && std::isfinite(interval.upper[h]));
      EXPECT_LE(interval.lower[h], result.point[h]);
      EXPECT_GE(interval.upper[h], result.point[h]);
      if (l > 0 && interval.level > result.intervals[l - 1].level) {
        EXPECT_LE(interval.lower[h], result.intervals[l - 1].lower[h] + 1e-9);
        EXPECT_GE(interval.upper[h], result.intervals[l - 1].upper[h] - 1e-9);
      }
    }
  }
  for (const BacktestScore& score : result.backtest) {
    EXPECT_TRUE(std::isfinite(score.rmse) && std::isfinite(score.mae));
    EXPECT_TRUE(std::isfinite(score.mape.value_or(0.0)));
    EXPECT_TRUE(std::isfinite(score.mase.value_or(0.0)));
  }
}

TEST(ForecastModelNames, RoundTrip) {
  for (ForecastModelKind kind :
       {ForecastModelKind::kAuto, ForecastModelKind::kSeasonalNaive, ForecastModelKind::kEts,
        ForecastModelKind::kArima, ForecastModelKind::kProphetStyle,
        ForecastModelKind::kBoostedTrees}) {
    EXPECT_EQ(ParseForecastModelKind(ForecastModelName(kind)), kind);
  }
  EXPECT_FALSE(ParseForecastModelKind("prophet").has_value());
}

TEST(Forecast, RejectsBadInputWithClearErrors) {
  ForecastOptions options;
  EXPECT_THROW(
      {
        try {
          Forecast(Series({}), options);
        } catch (const core::Error& e) {
          EXPECT_STREQ(e.what(), "cannot forecast an empty series");
          throw;
        }
      },
      core::Error);
  const DailySeries ok = Series(testing::WeeklySeries(60, 100, 0, 10, 1, 1));
  options.horizon = 0;
  EXPECT_THROW(Forecast(ok, options), core::Error);
  options.horizon = 366;
  EXPECT_THROW(Forecast(ok, options), core::Error);
  options.horizon = 7;
  options.interval_levels = {0.8, 1.0};
  EXPECT_THROW(Forecast(ok, options), core::Error);
  options.interval_levels = {0.8};
  options.kind = ForecastModelKind::kArima;
  try {
    Forecast(Series({1, 2, 3, 4, 5, 6, 7, 8}), options);
    FAIL() << "a series of 8 days is too short for ARIMA";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("series too short for arima: 8 observations"),
              std::string::npos)
        << e.what();
  }
  std::vector<double> with_nan = ok.values;
  with_nan[5] = std::numeric_limits<double>::quiet_NaN();
  options.kind = ForecastModelKind::kAuto;
  EXPECT_THROW(Forecast(Series(with_nan), options), core::Error);
  options.kind = ForecastModelKind::kBoostedTrees;
  EXPECT_THROW(Forecast(ok, options), core::Error);
}

TEST(Forecast, ConstantSeriesGivesAFlatForecastWithoutNaN) {
  for (ForecastModelKind kind : {ForecastModelKind::kAuto, ForecastModelKind::kEts,
                                 ForecastModelKind::kArima, ForecastModelKind::kProphetStyle}) {
    ForecastOptions options;
    options.kind = kind;
    options.horizon = 10;
    const ForecastResult result = Forecast(Series(std::vector<double>(90, 42.0)), options);
    ExpectWellFormed(result, 10, 2);
    for (double v : result.point) EXPECT_DOUBLE_EQ(v, 42.0);
    EXPECT_DOUBLE_EQ(result.intervals[1].upper[9], 42.0);
  }
  // All zeros (a product that never sold) too.
  const ForecastResult zeros = Forecast(Series(std::vector<double>(30, 0.0)), {});
  ExpectWellFormed(zeros, 28, 2);
  EXPECT_DOUBLE_EQ(zeros.point[0], 0.0);
}

TEST(Forecast, SeasonalNaiveRepeatsTheLastWeek) {
  ForecastOptions options;
  options.kind = ForecastModelKind::kSeasonalNaive;
  options.horizon = 10;
  std::vector<double> y;
  for (int t = 0; t < 21; ++t) y.push_back(t);
  const ForecastResult result = Forecast(Series(y), options);
  ExpectWellFormed(result, 10, 2);
  const std::vector<double> expected = {14, 15, 16, 17, 18, 19, 20, 14, 15, 16};
  EXPECT_EQ(result.point, expected);
  EXPECT_EQ(result.first_date, (core::CivilDate{2024, 1, 22}));
}

TEST(Forecast, BacktestScoresOfSeasonalNaiveAreExact) {
  // y = t: seasonal naive is off by exactly 7·(1 + h div 7) at step h.
  std::vector<double> y;
  for (int t = 0; t < 70; ++t) y.push_back(t);
  ForecastOptions options;
  options.kind = ForecastModelKind::kSeasonalNaive;
  options.horizon = 7;
  options.backtest_folds = 3;
  const ForecastResult result = Forecast(Series(y), options);
  ASSERT_EQ(result.backtest.size(), 1u);
  const BacktestScore& score = result.backtest[0];
  EXPECT_EQ(score.folds, 3);
  EXPECT_DOUBLE_EQ(score.mae, 7.0);
  EXPECT_DOUBLE_EQ(score.rmse, 7.0);
  ASSERT_TRUE(score.mase.has_value());
  EXPECT_DOUBLE_EQ(*score.mase, 1.0);  // in-sample seasonal naive error is 7 too
}

TEST(Forecast, AutoBeatsSeasonalNaiveOnATrendingWeeklySeries) {
  const DailySeries series = Series(testing::WeeklySeries(400, 200, 0.3, 25, 6, 7));
  ForecastOptions options;
  options.horizon = 28;
  const ForecastResult result = Forecast(series, options);
  ExpectWellFormed(result, 28, 2);
  EXPECT_NE(result.model, ForecastModelKind::kSeasonalNaive);
  EXPECT_EQ(result.interval_method, "backtest residuals");
  ASSERT_EQ(result.backtest.size(), 4u);
  double naive_mase = 0.0, chosen_mase = 0.0;
  for (const BacktestScore& score : result.backtest) {
    ASSERT_EQ(score.folds, 3) << ForecastModelName(score.model) << ": " << score.error;
    if (score.model == ForecastModelKind::kSeasonalNaive) naive_mase = *score.mase;
    if (score.model == result.model) chosen_mase = *score.mase;
  }
  EXPECT_LT(chosen_mase, 0.9 * naive_mase);
}

TEST(Forecast, ShortSeriesGetsInSampleIntervals) {
  ForecastOptions options;
  options.horizon = 14;
  options.kind = ForecastModelKind::kEts;
  const ForecastResult result =
      Forecast(Series(testing::WeeklySeries(20, 50, 0, 5, 2, 3)), options);
  ExpectWellFormed(result, 14, 2);
  EXPECT_EQ(result.interval_method, "in-sample residuals");
}

TEST(RetailHolidays, BlackFridayIsTheDayAfterTheFourthThursdayOfNovember) {
  const std::vector<Holiday> days = RetailHolidays(2024, 2025);
  std::vector<core::CivilDate> black_fridays;
  for (const Holiday& day : days) {
    if (day.name == "Black Friday") black_fridays.push_back(day.date);
  }
  ASSERT_EQ(black_fridays.size(), 2u);
  EXPECT_EQ(black_fridays[0], (core::CivilDate{2024, 11, 29}));
  EXPECT_EQ(black_fridays[1], (core::CivilDate{2025, 11, 28}));
}

}  // namespace
}  // namespace futureim::ml
