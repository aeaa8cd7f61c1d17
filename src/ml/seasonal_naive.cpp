#include "ml/seasonal_naive.h"

#include <string>

namespace futureim::ml {

ModelForecast ForecastSeasonalNaive(const std::vector<double>& y, int horizon, int season_length) {
  const size_t n = y.size();
  const size_t m = static_cast<size_t>(season_length) <= n ? static_cast<size_t>(season_length) : 1;
  ModelForecast out;
  out.description = "SNAIVE[" + std::to_string(m) + "]";
  out.point.resize(static_cast<size_t>(horizon));
  for (size_t h = 0; h < out.point.size(); ++h) out.point[h] = y[n - m + h % m];
  for (size_t t = m; t < n; ++t) out.residuals.push_back(y[t] - y[t - m]);
  return out;
}

}  // namespace futureim::ml
