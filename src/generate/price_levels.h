#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "generate/random.h"

namespace futureim::generate {

// One step of a category's price level: every product of the category is
// priced at base × factor (× its own changes) from first_day until the next
// step's first_day. The first step also covers the days before the window.
struct PriceLevel {
  int64_t first_day;
  double factor;
};

struct PriceLevelOptions {
  int min_days = 14;         // shortest step
  int max_days = 42;         // longest step
  double log_stddev = 0.40;  // spread of log(factor) over the window's days
  double max_abs_log = 0.7;  // no factor below e^-0.7 (0.50) or above e^0.7 (2.01)
};

// A category's price levels over the days [first_day, end_day): steps of
// random length with random factors, then adjusted so that log(factor), as a
// function of the day, has mean 0 and is orthogonal to a linear, quadratic and
// cubic trend, to a yearly cosine and sine, and to `log_demand` (one value per
// day of the window: the log of the store's calendar and promotion
// intensity). Demand has all of these; with this orthogonality a plain
// regression of a category's log units on its log price level over the
// window is not confounded by them, so it recovers the category's elasticity.
std::vector<PriceLevel> DrawPriceLevels(Random& random, int64_t first_day, int64_t end_day,
                                        std::span<const double> log_demand,
                                        const PriceLevelOptions& options = {});

// The factor in force on `day` (levels sorted by first_day, not empty).
double PriceLevelOn(const std::vector<PriceLevel>& levels, int64_t day);

}  // namespace futureim::generate
