#include "generate/price_levels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace futureim::generate {
namespace {

constexpr size_t kBasisSize = 7;

// The functions of the day that log(price level) must be orthogonal to:
// constant, linear, quadratic and cubic trend (on a [-1, 1] scale, for
// conditioning), yearly cosine and sine, and the store's log demand.
std::array<double, kBasisSize> Basis(int64_t day, int64_t first_day, int64_t end_day,
                                     std::span<const double> log_demand) {
  const double span = static_cast<double>(std::max<int64_t>(1, end_day - 1 - first_day));
  const double t = 2.0 * static_cast<double>(day - first_day) / span - 1.0;
  const double angle = 2.0 * std::numbers::pi * static_cast<double>(day) / 365.25;
  const size_t index = static_cast<size_t>(day - first_day);
  return {1.0,
          t,
          t * t,
          t * t * t,
          std::cos(angle),
          std::sin(angle),
          index < log_demand.size() ? log_demand[index] : 0.0};
}

}  // namespace

std::vector<PriceLevel> DrawPriceLevels(Random& random, int64_t first_day, int64_t end_day,
                                        std::span<const double> log_demand,
                                        const PriceLevelOptions& options) {
  std::vector<PriceLevel> levels;
  std::vector<double> log_factor;
  for (int64_t day = first_day; day < end_day;
       day += random.UniformInt(options.min_days, options.max_days)) {
    levels.push_back({day, 1.0});
    log_factor.push_back(random.Uniform(-1.0, 1.0));
  }
  if (levels.empty()) return {{first_day, 1.0}};
  const size_t steps = levels.size();
  auto end_of = [&](size_t k) { return k + 1 < steps ? levels[k + 1].first_day : end_day; };

  // Row j of `sums`: Σ over the days of each step of basis function j. The
  // day-space inner product of a step function v with basis j is sums[j]·v,
  // so projecting v off the span of the rows makes it orthogonal to all.
  std::array<std::vector<double>, kBasisSize> sums;
  for (auto& row : sums) row.assign(steps, 0.0);
  for (size_t k = 0; k < steps; ++k) {
    for (int64_t day = levels[k].first_day; day < end_of(k); ++day) {
      const auto basis = Basis(day, first_day, end_day, log_demand);
      for (size_t j = 0; j < kBasisSize; ++j) sums[j][k] += basis[j];
    }
  }
  auto dot = [&](const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (size_t k = 0; k < steps; ++k) sum += a[k] * b[k];
    return sum;
  };
  // Gram–Schmidt on the rows, then remove each orthonormal direction from v.
  std::vector<std::vector<double>> orthonormal;
  for (auto row : sums) {
    for (const auto& q : orthonormal) {
      const double projection = dot(row, q);
      for (size_t k = 0; k < steps; ++k) row[k] -= projection * q[k];
    }
    const double norm = std::sqrt(dot(row, row));
    if (norm < 1e-9) continue;  // dependent (too few steps): nothing new to remove
    for (double& x : row) x /= norm;
    orthonormal.push_back(std::move(row));
  }
  for (const auto& q : orthonormal) {
    const double projection = dot(log_factor, q);
    for (size_t k = 0; k < steps; ++k) log_factor[k] -= projection * q[k];
  }

  // Scale to the wanted spread (a common scale keeps the orthogonality).
  double square_sum = 0, days = 0, largest = 0;
  for (size_t k = 0; k < steps; ++k) {
    const double length = static_cast<double>(end_of(k) - levels[k].first_day);
    square_sum += log_factor[k] * log_factor[k] * length;
    days += length;
    largest = std::max(largest, std::abs(log_factor[k]));
  }
  const double stddev = days > 0 ? std::sqrt(square_sum / days) : 0;
  if (stddev < 1e-12) return {{first_day, 1.0}};
  const double scale = std::min(options.log_stddev / stddev, options.max_abs_log / largest);
  for (size_t k = 0; k < steps; ++k) levels[k].factor = std::exp(log_factor[k] * scale);
  return levels;
}

double PriceLevelOn(const std::vector<PriceLevel>& levels, int64_t day) {
  const auto it =
      std::upper_bound(levels.begin(), levels.end(), day,
                       [](int64_t d, const PriceLevel& level) { return d < level.first_day; });
  return it == levels.begin() ? levels.front().factor : std::prev(it)->factor;
}

}  // namespace futureim::generate
