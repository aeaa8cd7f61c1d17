#pragma once

#include <string>
#include <vector>

namespace futureim::ml {

// Price elasticity of demand by log-log regression: log q = β·log p + effects,
// so β is the % change in quantity per 1 % change in price.
//
// One observation is a (group, period) cell: e.g. one product in one week,
// with the quantity sold and the average price paid. With several groups the
// regression has group fixed effects (each product its own demand level) and,
// when asked, period fixed effects (weeks shared by all groups: seasonality,
// holidays, store growth), removed by weighted alternating demeaning; β then
// comes from price moves *within* a product relative to the same week's
// other products. The standard error is the OLS one with the fixed effects'
// degrees of freedom removed; the interval uses Student's t.
struct PriceQuantityObservation {
  int group = 0;
  int period = 0;
  double price = 0;     // > 0
  double quantity = 0;  // > 0 (cells with no sale carry no price and are left out)
  double weight = 1;
};

struct ElasticityEstimate {
  double elasticity = 0;
  double standard_error = 0;
  double confidence_low = 0;
  double confidence_high = 0;
  double confidence_level = 0.95;
  double r_squared = 0;  // within R² (after the fixed effects)
  size_t observations = 0;
  size_t groups = 0;
  double price_min = 0, price_max = 0, price_mean = 0;
  double quantity_min = 0, quantity_max = 0, quantity_mean = 0;
};

struct ElasticityOptions {
  bool period_effects = true;  // ignored with a single group (they would absorb everything)
  double confidence_level = 0.95;
  size_t minimum_observations = 10;
};

// Throws core::Error for too few observations, a non-positive or non-finite
// price or quantity, or no price variation left after the fixed effects.
ElasticityEstimate EstimateLogLogElasticity(
    const std::vector<PriceQuantityObservation>& observations,
    const ElasticityOptions& options = {});

// One slope per group after the same demeaning (every group keeps its own
// level; the period effects are shared, estimated from all groups): e.g. one
// elasticity per category from a category × week panel. A group whose own
// prices barely moved is left out (no entry) rather than reported with a
// meaningless slope. Throws core::Error like EstimateLogLogElasticity.
std::vector<std::pair<int, ElasticityEstimate>> EstimateElasticityByGroup(
    const std::vector<PriceQuantityObservation>& observations,
    const ElasticityOptions& options = {});

// "Elastic" (< −1), "Inelastic" (−1 < e < 0), "Unitary" (−1), "Unusual" (≥ 0,
// demand rising with price) and a sentence saying what that means.
std::string ElasticityType(double elasticity);
std::string ElasticityInterpretation(double elasticity);

// The two-sided Student t quantile t_{1 − (1 − level)/2, df}.
double StudentTCritical(double confidence_level, double degrees_of_freedom);

// Price optimisation under constant elasticity: q(p) = q₀ (p / p₀)^e, profit
// (p − c) q(p). For e < −1 the profit-maximising price is c·e / (1 + e); for
// −1 ≤ e < 0 profit rises with price without bound in this model, so the
// answer is the edge of the allowed range. The price is always kept within
// ±max_change of the current one: the elasticity was measured on price moves
// of that order and says nothing about prices far outside them.
struct PriceOptimizationInput {
  double current_price = 0;     // > 0
  double current_quantity = 0;  // ≥ 0, per period
  double unit_cost = 0;         // ≥ 0
  double elasticity = 0;        // < 0
  double max_change = 0.3;      // fraction, (0, 1)
};

struct PriceOptimizationResult {
  double optimal_price = 0;
  double unconstrained_price = 0;  // c·e/(1+e); 0 when inelastic (no interior optimum)
  bool bound_by_range = false;
  double price_change_pct = 0;
  std::string recommendation;  // "Increase price", "Decrease price", "Maintain current price"
  double estimated_quantity = 0, estimated_revenue = 0, estimated_profit = 0;
  double quantity_change_pct = 0, revenue_change_pct = 0, profit_change_pct = 0;
  double current_revenue = 0, current_profit = 0, current_margin_pct = 0;
};

// Throws core::Error for a non-positive price, negative quantity or cost,
// elasticity ≥ 0 or not finite, or max_change outside (0, 1).
PriceOptimizationResult OptimizePrice(const PriceOptimizationInput& input);

}  // namespace futureim::ml
