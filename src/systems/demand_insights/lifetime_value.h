#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/duckdb.h"
#include "ml/customer_lifetime_value.h"
#include "systems/demand_insights/customer_activity.h"

namespace futureim::systems::demand_insights {

struct LifetimeValueEstimate {
  double expected_purchases = 0;  // over the horizon
  double expected_order_value = 0;
  double probability_alive = 0;
  double value = 0;  // expected spend over the horizon
};

// Customer lifetime value: BG/NBD (how many purchases) × Gamma-Gamma (what
// each is worth), fitted on the purchase histories before a cut-off, in days.
// A purchase is a day with a purchase (several orders on one day are one
// transaction, as in the model's derivation).
class LifetimeValueModel {
 public:
  // Throws core::Error (from the fits) with too few customers or no repeat purchase.
  static LifetimeValueModel Fit(const std::vector<CustomerActivity>& customers, int64_t cutoff_day);
  LifetimeValueEstimate Predict(const CustomerActivity& customer, int64_t cutoff_day,
                                double horizon_days) const;
  nlohmann::json Parameters() const;

 private:
  ml::BetaGeometricNbdModel purchases_;
  ml::GammaGammaModel spend_;
  double population_order_value_ = 0;
};

// The original's formula without its margin: average order value × purchases
// per year × horizon. The baseline CLV has to beat.
double AverageSpendFormula(const CustomerActivity& customer, int64_t cutoff_day,
                           double horizon_days);

// Fits both on the history before as_of − holdout_days and compares their
// predictions of each customer's actual spend in the holdout days (MAE, RMSE,
// total error). "chosen" names the better one by MAE.
nlohmann::json EvaluateLifetimeValueHoldout(engine::Connection& lake, int64_t as_of_day,
                                            int holdout_days);

// (0, 100] Low, (100, 500] Medium, (500, 1000] High, > 1000 Very High (0 is Low).
std::string LifetimeValueSegment(double value);

}  // namespace futureim::systems::demand_insights
