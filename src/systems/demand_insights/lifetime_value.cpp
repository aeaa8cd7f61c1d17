#include "systems/demand_insights/lifetime_value.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace futureim::systems::demand_insights {
namespace {

ml::PurchaseHistory HistoryOf(const CustomerActivity& c, int64_t cutoff) {
  return {std::max(0.0, c.purchase_days - 1), static_cast<double>(c.last_day - c.first_day),
          static_cast<double>(cutoff - c.first_day)};
}

double KeptPurchases(const CustomerActivity& c) { return std::max(0.0, c.purchases - c.returned); }

}  // namespace

LifetimeValueModel LifetimeValueModel::Fit(const std::vector<CustomerActivity>& customers,
                                           int64_t cutoff_day) {
  std::vector<ml::PurchaseHistory> histories;
  std::vector<ml::SpendHistory> spends;
  for (const auto& c : customers) {
    histories.push_back(HistoryOf(c, cutoff_day));
    if (c.spend > 0 && KeptPurchases(c) >= 1) {
      spends.push_back({KeptPurchases(c), c.spend / KeptPurchases(c)});
    }
  }
  LifetimeValueModel model;
  model.purchases_ = ml::BetaGeometricNbdModel::Fit(histories);
  model.spend_ = ml::GammaGammaModel::Fit(spends);
  double total = 0;
  for (const auto& s : spends) total += s.mean_value;
  model.population_order_value_ = total / static_cast<double>(spends.size());
  return model;
}

LifetimeValueEstimate LifetimeValueModel::Predict(const CustomerActivity& c, int64_t cutoff_day,
                                                  double horizon_days) const {
  LifetimeValueEstimate e;
  const auto history = HistoryOf(c, cutoff_day);
  e.expected_purchases = purchases_.ExpectedPurchases(history, horizon_days);
  e.probability_alive = purchases_.ProbabilityAlive(history);
  e.expected_order_value =
      c.spend > 0 && KeptPurchases(c) >= 1
          ? spend_.ExpectedSpend({KeptPurchases(c), c.spend / KeptPurchases(c)})
          : population_order_value_;
  // A purchase day may hold several orders: scale by the customer's orders per purchase day.
  const double orders_per_day = c.purchase_days > 0 ? c.purchases / c.purchase_days : 1;
  e.value = e.expected_purchases * orders_per_day * e.expected_order_value;
  if (!std::isfinite(e.value)) e.value = 0;
  return e;
}

nlohmann::json LifetimeValueModel::Parameters() const {
  return {{"bg_nbd",
           {{"r", purchases_.r},
            {"alpha", purchases_.alpha},
            {"a", purchases_.a},
            {"b", purchases_.b},
            {"log_likelihood", purchases_.log_likelihood}}},
          {"gamma_gamma",
           {{"p", spend_.p},
            {"q", spend_.q},
            {"gamma", spend_.gamma},
            {"log_likelihood", spend_.log_likelihood}}}};
}

double AverageSpendFormula(const CustomerActivity& c, int64_t cutoff_day, double horizon_days) {
  const double years = std::max(c.TenureDays(cutoff_day) / 365.0, 0.1);
  return c.AverageOrderValue() * (c.purchases / years) * horizon_days / 365.0;
}

nlohmann::json EvaluateLifetimeValueHoldout(engine::Connection& lake, int64_t as_of_day,
                                            int holdout_days) {
  const int64_t cutoff = as_of_day - holdout_days;
  const auto customers = LoadCustomerActivity(lake, cutoff);
  const auto actual = LoadPurchasesBetween(lake, cutoff, as_of_day);
  const auto model = LifetimeValueModel::Fit(customers, cutoff);
  double model_abs = 0, model_sq = 0, model_total = 0;
  double base_abs = 0, base_sq = 0, base_total = 0, actual_total = 0;
  for (const auto& c : customers) {
    const auto found = actual.find(c.customer_id);
    const double spent = found == actual.end() ? 0 : found->second.spend;
    const double predicted = model.Predict(c, cutoff, holdout_days).value;
    const double baseline = AverageSpendFormula(c, cutoff, holdout_days);
    model_abs += std::abs(predicted - spent);
    model_sq += (predicted - spent) * (predicted - spent);
    base_abs += std::abs(baseline - spent);
    base_sq += (baseline - spent) * (baseline - spent);
    model_total += predicted;
    base_total += baseline;
    actual_total += spent;
  }
  const double n = static_cast<double>(customers.size());
  const bool model_better = model_abs <= base_abs;
  return {
      {"holdout_days", holdout_days},
      {"customers", customers.size()},
      {"actual_total_spend", actual_total},
      {"bg_nbd_gamma_gamma",
       {{"mae", model_abs / n},
        {"rmse", std::sqrt(model_sq / n)},
        {"predicted_total", model_total}}},
      {"average_spend_formula",
       {{"mae", base_abs / n}, {"rmse", std::sqrt(base_sq / n)}, {"predicted_total", base_total}}},
      {"chosen", model_better ? "bg_nbd_gamma_gamma" : "average_spend_formula"},
      {"parameters", model.Parameters()}};
}

std::string LifetimeValueSegment(double value) {
  if (value <= 100) return "Low";
  if (value <= 500) return "Medium";
  if (value <= 1000) return "High";
  return "Very High";
}

}  // namespace futureim::systems::demand_insights
