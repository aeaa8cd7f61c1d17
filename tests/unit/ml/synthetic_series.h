#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace futureim::ml::testing {

// A daily sales-like series: level + trend + weekly pattern + Gaussian noise,
// reproducible from the seed.
inline std::vector<double> WeeklySeries(size_t n, double level, double slope,
                                        double weekly_amplitude, double noise, uint32_t seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> normal(0.0, noise);
  const double pattern[7] = {-1.0, -0.6, -0.4, 0.0, 0.5, 1.2, 0.3};
  std::vector<double> y(n);
  for (size_t t = 0; t < n; ++t) {
    y[t] =
        level + slope * static_cast<double>(t) + weekly_amplitude * pattern[t % 7] + normal(random);
  }
  return y;
}

}  // namespace futureim::ml::testing
