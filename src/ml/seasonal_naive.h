#pragma once

#include <vector>

#include "ml/model_forecast.h"

namespace futureim::ml {

// y[n+h] = y[n+h−m·k] with the smallest k ≥ 1 reaching into the history:
// the last season repeated. With fewer than m observations, the naive
// forecast (the last value). The baseline every model is scored against.
ModelForecast ForecastSeasonalNaive(const std::vector<double>& y, int horizon, int season_length);

}  // namespace futureim::ml
