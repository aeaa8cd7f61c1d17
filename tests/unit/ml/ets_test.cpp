#include "ml/ets.h"

#include <gtest/gtest.h>

#include "unit/ml/reference/reference_values.h"

namespace futureim::ml {
namespace {

void ExpectSeriesNear(const std::vector<double>& actual, const std::vector<double>& expected,
                      double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], tolerance) << "index " << i;
}

struct FixedCase {
  EtsSpec spec;
  EtsParameters parameters;
  const std::vector<double>* fitted;
  const std::vector<double>* forecast;
  double log_likelihood;
};

// With the same parameters and initial states, our recursion must reproduce
// statsmodels' ETSModel.smooth: fitted values, forecasts and likelihood.
TEST(Ets, FilterMatchesStatsmodelsWithFixedParameters) {
  using namespace reference;
  const std::vector<FixedCase> cases = {
      {{EtsError::kAdditive, EtsTrend::kNone, EtsSeason::kNone},
       {0.3, 0, 0, 1, 95.0, 0, {}},
       &kEtsAddNoneNoneFitted,
       &kEtsAddNoneNoneForecast,
       kEtsAddNoneNoneLogLikelihood},
      {{EtsError::kAdditive, EtsTrend::kDamped, EtsSeason::kAdditive},
       {0.3, 0.05, 0.1, 0.9, 95.0, 0.5, {-10, -6, -4, 0, 5, 12, 3}},
       &kEtsAddDampedAddFitted,
       &kEtsAddDampedAddForecast,
       kEtsAddDampedAddLogLikelihood},
      {{EtsError::kMultiplicative, EtsTrend::kAdditive, EtsSeason::kMultiplicative},
       {0.2, 0.02, 0.1, 1.0, 95.0, 0.3, {0.9, 0.94, 0.96, 1.0, 1.05, 1.12, 1.03}},
       &kEtsMulAddMulFitted,
       &kEtsMulAddMulForecast,
       kEtsMulAddMulLogLikelihood},
      {{EtsError::kMultiplicative, EtsTrend::kNone, EtsSeason::kNone},
       {0.4, 0, 0, 1, 95.0, 0, {}},
       &kEtsMulNoneNoneFitted,
       &kEtsMulNoneNoneForecast,
       kEtsMulNoneNoneLogLikelihood},
  };
  for (const FixedCase& c : cases) {
    SCOPED_TRACE(EtsName(c.spec));
    const EtsFit fit = FilterEts(kWeekly, c.spec, 7, c.parameters);
    ExpectSeriesNear(fit.fitted, *c.fitted, 1e-8);
    ExpectSeriesNear(ForecastEtsFit(fit, 14), *c.forecast, 1e-8);
    EXPECT_NEAR(fit.log_likelihood, c.log_likelihood, 1e-6);
  }
}

// Maximum likelihood (smoothing parameters and initial states) reaches
// statsmodels' optimum within a nat (different optimisers and starts), and
// the forecasts agree closely.
TEST(Ets, FitIsCloseToStatsmodelsMaximumLikelihood) {
  using namespace reference;
  const EtsFit fit =
      FitEts(kWeekly, {EtsError::kAdditive, EtsTrend::kAdditive, EtsSeason::kAdditive}, 7);
  EXPECT_GT(fit.log_likelihood, kEtsAddAddAddEstimatedLogLikelihood - 1.0);
  EXPECT_LT(fit.log_likelihood, kEtsAddAddAddEstimatedLogLikelihood + 1.0);
  const std::vector<double> forecast = ForecastEtsFit(fit, 14);
  for (size_t h = 0; h < forecast.size(); ++h) {
    EXPECT_NEAR(forecast[h], kEtsAddAddAddEstimatedForecast[h],
                0.03 * kEtsAddAddAddEstimatedForecast[h])
        << h;
  }
}

TEST(Ets, AutomaticSelectionPicksASeasonalModelForAWeeklySeries) {
  const ModelForecast forecast = ForecastEts(reference::kWeekly, 14, 7);
  EXPECT_TRUE(forecast.description.ends_with(",A)") || forecast.description.ends_with(",M)"))
      << forecast.description;
  EXPECT_EQ(forecast.point.size(), 14u);
}

}  // namespace
}  // namespace futureim::ml
