#include "ml/prophet_style.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace futureim::ml {
namespace {

// A noise-free series the model can represent: a linear trend whose slope
// changes once, a weekly sine and a holiday bump. The forecast must continue
// the final slope and the weekly shape and apply the holiday in the horizon.
TEST(ProphetStyle, RecoversTrendSeasonalityAndHolidays) {
  const core::CivilDate start{2023, 1, 2};
  const int64_t first = core::DaysFromCivil(start);
  std::vector<Holiday> holidays;
  for (int week : {5, 15, 25, 35, 45, 60}) {
    holidays.push_back({"sale", core::CivilFromDays(first + 7 * week + 3)});
  }
  auto truth = [&](int64_t i) {
    const double trend = i < 120 ? 100.0 + 0.5 * i : 160.0 + 1.0 * (i - 120);
    const double weekly =
        10.0 * std::sin(2.0 * std::numbers::pi * static_cast<double>(first + i) / 7.0);
    double holiday = 0.0;
    for (const Holiday& h : holidays) {
      if (core::DaysFromCivil(h.date) == first + i) holiday = 40.0;
    }
    return trend + weekly + holiday;
  };
  const int n = 300;
  DailySeries series{start, {}};
  for (int i = 0; i < n; ++i) series.values.push_back(truth(i));
  const ModelForecast forecast = ForecastProphetStyle(series, 150, holidays);
  ASSERT_EQ(forecast.point.size(), 150u);
  for (int h = 0; h < 150; ++h) {
    EXPECT_NEAR(forecast.point[static_cast<size_t>(h)], truth(n + h), 0.03 * truth(n + h))
        << "step " << h;
  }
  // The holiday in the horizon (week 60) stands out by its effect against
  // the same weekday a week before (same weekly term, trend + 7).
  const size_t holiday_step = 7 * 60 + 3 - n;
  EXPECT_NEAR(forecast.point[holiday_step] - forecast.point[holiday_step - 7], 47.0, 4.0);
  double residual_sum = 0.0;
  for (double r : forecast.residuals) residual_sum += r * r;
  EXPECT_LT(std::sqrt(residual_sum / n), 1.0);
}

}  // namespace
}  // namespace futureim::ml
