#include "ml/price_elasticity.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>

#include "core/error.h"

namespace futureim::ml {
namespace {

// Subtracts the weighted mean of each level of `key` from every column.
void Demean(std::vector<double>& x, std::vector<double>& y, const std::vector<int>& key,
            const std::vector<double>& w) {
  std::unordered_map<int, std::array<double, 3>> sums;  // Σw, Σwx, Σwy
  for (size_t i = 0; i < x.size(); ++i) {
    auto& s = sums[key[i]];
    s[0] += w[i];
    s[1] += w[i] * x[i];
    s[2] += w[i] * y[i];
  }
  for (size_t i = 0; i < x.size(); ++i) {
    const auto& s = sums[key[i]];
    x[i] -= s[1] / s[0];
    y[i] -= s[2] / s[0];
  }
}

double NormalQuantile(double p) {
  // Acklam's rational approximation (relative error < 1.2e-9), enough for intervals.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -NormalQuantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

}  // namespace

double StudentTCritical(double confidence_level, double df) {
  const double z = NormalQuantile(1 - (1 - confidence_level) / 2);
  if (!(df < 1e6)) return z;
  // Cornish–Fisher expansion of the t quantile in 1/df (Abramowitz & Stegun 26.7.5).
  const double z2 = z * z;
  const double g1 = (z2 + 1) * z / 4;
  const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

namespace {

// The log values after the fixed effects, and the descriptive ranges.
struct Demeaned {
  std::vector<double> x, y, w;
  std::vector<int> groups;
  size_t group_count = 0, period_count = 0;
  bool two_way = false;
};

Demeaned Prepare(const std::vector<PriceQuantityObservation>& observations,
                 const ElasticityOptions& options) {
  const size_t n = observations.size();
  if (n < options.minimum_observations) {
    throw core::Error("price elasticity: needs at least " +
                      std::to_string(options.minimum_observations) +
                      " price/quantity observations, got " + std::to_string(n));
  }
  Demeaned d;
  d.x.resize(n);
  d.y.resize(n);
  d.w.resize(n);
  d.groups.resize(n);
  std::vector<int> periods(n);
  std::map<int, int> group_levels, period_levels;
  for (size_t i = 0; i < n; ++i) {
    const auto& o = observations[i];
    if (!(o.price > 0 && std::isfinite(o.price) && o.quantity > 0 && std::isfinite(o.quantity) &&
          o.weight > 0 && std::isfinite(o.weight))) {
      throw core::Error(
          "price elasticity: prices, quantities and weights must be positive numbers");
    }
    d.x[i] = std::log(o.price);
    d.y[i] = std::log(o.quantity);
    d.w[i] = o.weight;
    d.groups[i] = o.group;
    periods[i] = o.period;
    ++group_levels[o.group];
    ++period_levels[o.period];
  }
  d.group_count = group_levels.size();
  d.period_count = period_levels.size();
  d.two_way = options.period_effects && d.group_count > 1;
  if (d.two_way) {
    // Alternating projections converge to the two-way within transformation.
    for (int sweep = 0; sweep < 200; ++sweep) {
      const std::vector<double> before = d.x;
      Demean(d.x, d.y, d.groups, d.w);
      Demean(d.x, d.y, periods, d.w);
      double change = 0;
      for (size_t i = 0; i < n; ++i) change = std::max(change, std::abs(d.x[i] - before[i]));
      if (change < 1e-10) break;
    }
  } else {
    Demean(d.x, d.y, d.groups, d.w);
  }
  return d;
}

void DescribeRanges(const std::vector<PriceQuantityObservation>& observations,
                    const std::vector<size_t>& rows, ElasticityEstimate& estimate) {
  estimate.price_min = estimate.quantity_min = std::numeric_limits<double>::infinity();
  estimate.price_max = estimate.quantity_max = -std::numeric_limits<double>::infinity();
  for (const size_t i : rows) {
    const auto& o = observations[i];
    estimate.price_min = std::min(estimate.price_min, o.price);
    estimate.price_max = std::max(estimate.price_max, o.price);
    estimate.quantity_min = std::min(estimate.quantity_min, o.quantity);
    estimate.quantity_max = std::max(estimate.quantity_max, o.quantity);
    estimate.price_mean += o.price / static_cast<double>(rows.size());
    estimate.quantity_mean += o.quantity / static_cast<double>(rows.size());
  }
}

// Weighted OLS slope through the origin of demeaned values, with its
// standard error on `df` residual degrees of freedom. False when the price
// did not vary.
bool Slope(const Demeaned& d, const std::vector<size_t>& rows, double df,
           const ElasticityOptions& options, ElasticityEstimate& estimate) {
  double sxx = 0, sxy = 0, syy = 0, weight_sum = 0;
  for (const size_t i : rows) {
    sxx += d.w[i] * d.x[i] * d.x[i];
    sxy += d.w[i] * d.x[i] * d.y[i];
    syy += d.w[i] * d.y[i] * d.y[i];
    weight_sum += d.w[i];
  }
  if (!(sxx > 1e-12 * std::max(1.0, syy)) || df < 1) return false;
  const double n = static_cast<double>(rows.size());
  estimate.confidence_level = options.confidence_level;
  estimate.observations = rows.size();
  estimate.elasticity = sxy / sxx;
  const double residual = std::max(0.0, syy - estimate.elasticity * sxy);
  // Weights are relative (cells of unequal size): normalised so they sum to n.
  const double sigma2 = residual * (n / weight_sum) / df;
  estimate.standard_error = std::sqrt(sigma2 / (sxx * n / weight_sum));
  const double t = StudentTCritical(options.confidence_level, df);
  estimate.confidence_low = estimate.elasticity - t * estimate.standard_error;
  estimate.confidence_high = estimate.elasticity + t * estimate.standard_error;
  estimate.r_squared = syy > 0 ? 1 - residual / syy : 0;
  return true;
}

std::string NoVariation(bool two_way) {
  return "price elasticity: the price did not vary enough (within each product" +
         std::string(two_way ? " and week" : "") + ") to estimate how demand responds to it";
}

}  // namespace

ElasticityEstimate EstimateLogLogElasticity(
    const std::vector<PriceQuantityObservation>& observations, const ElasticityOptions& options) {
  const Demeaned d = Prepare(observations, options);
  std::vector<size_t> rows(observations.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  const double effects = static_cast<double>(d.group_count) +
                         (d.two_way ? static_cast<double>(d.period_count) - 1 : 0);
  ElasticityEstimate estimate;
  if (!Slope(d, rows, static_cast<double>(rows.size()) - effects - 1, options, estimate)) {
    throw core::Error(NoVariation(d.two_way));
  }
  estimate.groups = d.group_count;
  DescribeRanges(observations, rows, estimate);
  return estimate;
}

std::vector<std::pair<int, ElasticityEstimate>> EstimateElasticityByGroup(
    const std::vector<PriceQuantityObservation>& observations, const ElasticityOptions& options) {
  const Demeaned d = Prepare(observations, options);
  std::map<int, std::vector<size_t>> rows_of;
  for (size_t i = 0; i < observations.size(); ++i) rows_of[d.groups[i]].push_back(i);
  std::vector<std::pair<int, ElasticityEstimate>> estimates;
  for (const auto& [group, rows] : rows_of) {
    if (rows.size() < options.minimum_observations) continue;
    ElasticityEstimate estimate;
    // Each group spends one degree of freedom on its level and one on its slope.
    if (!Slope(d, rows, static_cast<double>(rows.size()) - 2, options, estimate)) continue;
    estimate.groups = 1;
    DescribeRanges(observations, rows, estimate);
    estimates.emplace_back(group, estimate);
  }
  return estimates;
}

std::string ElasticityType(double e) {
  if (e < -1) return "Elastic";
  if (e == -1) return "Unitary";
  if (e < 0) return "Inelastic";
  return "Unusual";
}

std::string ElasticityInterpretation(double e) {
  if (e < -1) {
    return "Demand is elastic: a 1% price increase lowers quantity by more than 1%, so "
           "revenue falls when the price rises.";
  }
  if (e == -1) return "Unit elastic: revenue stays the same when the price changes.";
  if (e < 0) {
    return "Demand is inelastic: a 1% price increase lowers quantity by less than 1%, so "
           "revenue rises when the price rises.";
  }
  return "Demand does not fall as the price rises in this data; other factors (promotions, "
         "seasonality, quality) dominate, so the estimate should not drive pricing.";
}

PriceOptimizationResult OptimizePrice(const PriceOptimizationInput& in) {
  if (!(in.current_price > 0 && std::isfinite(in.current_price))) {
    throw core::Error("price optimisation: current_price must be a positive number");
  }
  if (!(in.current_quantity >= 0 && std::isfinite(in.current_quantity))) {
    throw core::Error("price optimisation: current_quantity must be zero or more");
  }
  if (!(in.unit_cost >= 0 && std::isfinite(in.unit_cost))) {
    throw core::Error("price optimisation: cost_per_unit must be zero or more");
  }
  if (!(in.elasticity < 0 && std::isfinite(in.elasticity))) {
    throw core::Error(
        "price optimisation: needs a negative elasticity (demand falling as price rises); "
        "got " +
        std::to_string(in.elasticity));
  }
  if (!(in.max_change > 0 && in.max_change < 1)) {
    throw core::Error("price optimisation: max_change must be between 0 and 1");
  }
  PriceOptimizationResult r;
  const double low = in.current_price * (1 - in.max_change);
  const double high = in.current_price * (1 + in.max_change);
  if (in.elasticity < -1) {
    r.unconstrained_price = in.unit_cost * in.elasticity / (1 + in.elasticity);
    r.optimal_price = std::clamp(r.unconstrained_price, low, high);
    r.bound_by_range = r.optimal_price != r.unconstrained_price;
  } else {
    r.optimal_price = high;
    r.bound_by_range = true;
  }
  const auto quantity_at = [&](double price) {
    return in.current_quantity * std::pow(price / in.current_price, in.elasticity);
  };
  const auto pct = [](double now, double before) {
    return before != 0 ? (now - before) / std::abs(before) * 100 : 0.0;
  };
  r.price_change_pct = pct(r.optimal_price, in.current_price);
  r.recommendation = r.optimal_price > 1.05 * in.current_price   ? "Increase price"
                     : r.optimal_price < 0.95 * in.current_price ? "Decrease price"
                                                                 : "Maintain current price";
  r.current_revenue = in.current_price * in.current_quantity;
  r.current_profit = (in.current_price - in.unit_cost) * in.current_quantity;
  r.current_margin_pct = (in.current_price - in.unit_cost) / in.current_price * 100;
  r.estimated_quantity = quantity_at(r.optimal_price);
  r.estimated_revenue = r.optimal_price * r.estimated_quantity;
  r.estimated_profit = (r.optimal_price - in.unit_cost) * r.estimated_quantity;
  r.quantity_change_pct = pct(r.estimated_quantity, in.current_quantity);
  r.revenue_change_pct = pct(r.estimated_revenue, r.current_revenue);
  r.profit_change_pct = pct(r.estimated_profit, r.current_profit);
  return r;
}

}  // namespace futureim::ml
