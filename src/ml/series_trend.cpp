#include "ml/series_trend.h"

#include <cmath>
#include <limits>
#include <numeric>

namespace futureim::ml {
namespace {

double Sum(const std::vector<double>& y, size_t from, size_t to) {
  return std::accumulate(y.begin() + static_cast<long>(from), y.begin() + static_cast<long>(to),
                         0.0);
}

double Variance(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double sum = 0.0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(v.size());
}

std::optional<double> Ratio(double numerator, double denominator) {
  if (denominator <= 0.0) return std::nullopt;
  return numerator / denominator - 1.0;
}

}  // namespace

std::optional<double> SeasonalStrength(const std::vector<double>& y, int season_length) {
  const size_t n = y.size();
  const size_t m = static_cast<size_t>(season_length);
  if (season_length < 2 || n < 3 * m) return std::nullopt;
  // Trend: a centred moving average of length m (2×m for even m).
  const size_t half = m / 2;
  std::vector<double> detrended(n, std::numeric_limits<double>::quiet_NaN());
  for (size_t t = half; t + half < n; ++t) {
    double trend = 0.0;
    for (size_t i = t - half; i <= t + half; ++i) {
      const bool edge = m % 2 == 0 && (i == t - half || i == t + half);
      trend += (edge ? 0.5 : 1.0) * y[i];
    }
    detrended[t] = y[t] - trend / static_cast<double>(m);
  }
  std::vector<double> seasonal(m, 0.0);
  std::vector<int> counts(m, 0);
  for (size_t t = 0; t < n; ++t) {
    if (std::isnan(detrended[t])) continue;
    seasonal[t % m] += detrended[t];
    ++counts[t % m];
  }
  for (size_t j = 0; j < m; ++j) seasonal[j] /= std::max(1, counts[j]);
  const double centre =
      std::accumulate(seasonal.begin(), seasonal.end(), 0.0) / static_cast<double>(m);
  std::vector<double> remainder, seasonal_plus_remainder;
  for (size_t t = 0; t < n; ++t) {
    if (std::isnan(detrended[t])) continue;
    seasonal_plus_remainder.push_back(detrended[t]);
    remainder.push_back(detrended[t] - (seasonal[t % m] - centre));
  }
  const double total = Variance(seasonal_plus_remainder);
  if (!(total > 0.0)) return std::nullopt;
  return std::max(0.0, 1.0 - Variance(remainder) / total);
}

SeriesTrend MeasureTrend(const std::vector<double>& y) {
  SeriesTrend trend;
  const size_t n = y.size();
  if (n >= 56) {
    trend.growth = Ratio(Sum(y, n - 28, n), Sum(y, n - 56, n - 28));
    // Slope of y on t over the last 56 days.
    double t_mean = 27.5, y_mean = Sum(y, n - 56, n) / 56.0;
    double covariance = 0.0, t_variance = 0.0;
    for (size_t i = 0; i < 56; ++i) {
      const double t = static_cast<double>(i) - t_mean;
      covariance += t * (y[n - 56 + i] - y_mean);
      t_variance += t * t;
    }
    if (y_mean != 0.0) trend.momentum = 7.0 * (covariance / t_variance) / y_mean;
  }
  if (n >= 364 + 28) trend.year_over_year = Ratio(Sum(y, n - 28, n), Sum(y, n - 364 - 28, n - 364));
  trend.weekly_seasonality_strength = SeasonalStrength(y, 7);
  return trend;
}

}  // namespace futureim::ml
