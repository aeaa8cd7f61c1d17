#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/duckdb.h"

namespace futureim::systems::demand_insights {

// What a customer did before a cut-off day, from curated.orders,
// order_items, products and reviews. A purchase is an order that was not
// cancelled (a returned order was still a purchase; its amount does not count
// as spend). Days are day numbers (since 1970-01-01); the cut-off is
// exclusive, so the same loader gives the features of a training cut-off in
// the past and of today.
struct CustomerActivity {
  std::string customer_id;
  int64_t first_day = 0;  // first purchase
  int64_t last_day = 0;   // last purchase
  double purchases = 0;
  double purchase_days = 0;  // distinct days with a purchase
  double spend = 0;          // purchases minus returned ones
  double returned = 0, cancelled = 0;
  double purchases_30 = 0, purchases_90 = 0, purchases_180 = 0, purchases_365 = 0;
  double spend_90 = 0, spend_365 = 0;
  double distinct_products = 0, distinct_categories = 0;
  double average_rating = 0;  // NaN without reviews
  double account_age_days = 0;

  double RecencyDays(int64_t cutoff) const { return static_cast<double>(cutoff - last_day); }
  double TenureDays(int64_t cutoff) const { return static_cast<double>(cutoff - first_day); }
  double AverageOrderValue() const { return purchases > 0 ? spend / purchases : 0; }
};

// Customers with at least one purchase before `cutoff_day`, in customer_id order.
std::vector<CustomerActivity> LoadCustomerActivity(engine::Connection& lake, int64_t cutoff_day);

// Spend (non-cancelled, non-returned) and purchase count per customer on
// [from_day, to_day).
struct PeriodPurchases {
  double purchases = 0;
  double spend = 0;
};
std::unordered_map<std::string, PeriodPurchases> LoadPurchasesBetween(engine::Connection& lake,
                                                                      int64_t from_day,
                                                                      int64_t to_day);

// The day after the latest purchase: the store's "today" (a store filled as
// of a past day is analysed as of that day). Throws core::Error when
// curated.orders has no purchase.
int64_t StoreAsOfDay(engine::Connection& lake);

}  // namespace futureim::systems::demand_insights
