#pragma once

#include <optional>
#include <vector>

namespace futureim::ml {

// Hyndman's seasonal strength max(0, 1 − Var(R) / Var(S + R)) of a classical
// additive decomposition (centred moving-average trend, per-position mean
// seasonal): 0 for no seasonal pattern, near 1 for a pattern that dominates
// the noise. nullopt with fewer than three full seasons or no variation.
std::optional<double> SeasonalStrength(const std::vector<double>& y, int season_length);

// How a daily series is moving, for the market_trends table.
struct SeriesTrend {
  // Σ last 28 days / Σ the 28 days before − 1; nullopt when the earlier
  // window sold nothing.
  std::optional<double> growth;
  // The least-squares slope over the last 56 days, per week, relative to
  // their mean (0.02: rising 2 % of the mean per week); nullopt for a zero mean.
  std::optional<double> momentum;
  // Σ last 28 days / Σ the same 28 days a year (364 days, same weekdays)
  // earlier − 1; nullopt without a year of history or with no sales then.
  std::optional<double> year_over_year;
  std::optional<double> weekly_seasonality_strength;  // SeasonalStrength(y, 7)
};

// Needs at least 56 days; shorter series get nullopt where undefined.
SeriesTrend MeasureTrend(const std::vector<double>& y);

}  // namespace futureim::ml
