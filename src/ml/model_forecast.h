#pragma once

#include <string>
#include <vector>

namespace futureim::ml {

// What one fitted forecasting model hands back to Forecast(): its point
// forecasts and its in-sample one-step residuals (actual − fitted), which
// give the intervals' fallback scale when a series is too short for a
// backtest. Every value is finite.
struct ModelForecast {
  std::string description;
  std::vector<double> point;
  std::vector<double> residuals;
};

}  // namespace futureim::ml
