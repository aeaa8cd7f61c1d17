#include "ml/arima.h"

#include <gtest/gtest.h>

#include "unit/ml/reference/reference_values.h"

namespace futureim::ml {
namespace {

// statsmodels fits by exact maximum likelihood (Kalman filter), we by
// conditional sum of squares: on a few hundred observations the estimates
// differ by far less than their standard errors (≈ 0.05 here).
TEST(Arima, Arma11MatchesStatsmodels) {
  using namespace reference;
  const ArimaFit fit = FitArima(kArma11, {1, 0, 1, 0, 0, 0, 1, true});
  ASSERT_EQ(fit.ar.size(), 1u);
  ASSERT_EQ(fit.ma.size(), 1u);
  EXPECT_NEAR(fit.ar[0], kArma11Ar, 0.03);
  EXPECT_NEAR(fit.ma[0], kArma11Ma, 0.03);
  EXPECT_NEAR(fit.mean, kArma11Mean, 0.05);
  const std::vector<double> forecast = ForecastArimaFit(fit, kArma11, 10);
  for (size_t h = 0; h < forecast.size(); ++h)
    EXPECT_NEAR(forecast[h], kArma11Forecast[h], 0.1) << h;
}

TEST(Arima, SeasonalAirlineModelMatchesStatsmodels) {
  using namespace reference;
  const ArimaFit fit = FitArima(kAirline, {0, 1, 1, 0, 1, 1, 7, false});
  EXPECT_NEAR(fit.ma[0], kAirlineMa, 0.05);
  EXPECT_NEAR(fit.seasonal_ma[0], kAirlineSeasonalMa, 0.05);
  const std::vector<double> forecast = ForecastArimaFit(fit, kAirline, 14);
  for (size_t h = 0; h < forecast.size(); ++h)
    EXPECT_NEAR(forecast[h], kAirlineForecast[h], 1.0) << h;
}

TEST(Arima, KpssMatchesStatsmodels) {
  using namespace reference;
  EXPECT_NEAR(KpssStatistic(kArma11), kKpssStationary, 1e-9);
  EXPECT_NEAR(KpssStatistic(kKpssWalkSeries), kKpssWalk, 1e-9);
  EXPECT_EQ(UnitRootDifferences(kArma11), 0);
  EXPECT_EQ(UnitRootDifferences(kKpssWalkSeries), 1);
}

TEST(Arima, AutoArimaDifferencesTheAirlineSeriesAndFindsItsSeasonalMa) {
  const ArimaFit fit = AutoArima(reference::kAirline, 7);
  EXPECT_EQ(fit.order.d + fit.order.seasonal_d, 2) << ArimaName(fit.order);
  EXPECT_EQ(fit.order.seasonal_d, 1) << ArimaName(fit.order);
  EXPECT_GE(fit.order.seasonal_q, 1) << ArimaName(fit.order);
}

}  // namespace
}  // namespace futureim::ml
