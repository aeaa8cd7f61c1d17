#include "systems/compliance/transaction_features.h"

#include <array>
#include <stdexcept>
#include <string>

namespace futureim::systems::compliance {
namespace {

// Order must match the SELECT list of kFeatureSql below.
constexpr std::array<FeatureSpec, 20> kFeatures = {{
    {"amount", "order amount", true, false},
    {"log_amount", "log of the order amount", true, true},
    {"amount_z", "amount against the customer's own orders (z-score)", true, false},
    {"is_night", "placed at night (22:00-06:00 in the customer's country)", true, true},
    {"is_weekend", "placed at the weekend", true, false},
    {"customer_age_days", "days since the customer signed up", false, false},
    {"orders_last_hour", "the customer's orders in the hour before", true, true},
    {"orders_last_day", "the customer's orders in the day before", true, true},
    {"orders_within_hour", "the customer's orders within an hour either side", true, true},
    {"failed_payments", "failed payment attempts on the order", true, true},
    {"failed_payments_last_day", "the customer's failed payments in the last day", true, true},
    {"distinct_cards", "different cards tried on the order", true, true},
    {"ships_abroad", "shipping country differs from the customer's country", true, true},
    {"new_destination", "first order to this shipping country after earlier orders elsewhere", true,
     true},
    {"payment_method_changed", "payment method differs from the customer's previous order", true,
     false},
    {"card_changed", "card differs from the customer's usual card", true, true},
    {"customer_return_rate", "share of the customer's orders returned", true, true},
    {"return_speed", "returned soon after delivery (30 minus days from delivery to refund)", true,
     true},
    {"item_count", "items on the order", true, true},
    {"max_unit_price", "most expensive item on the order", true, true},
}};

// One row per order. Windows run over epoch seconds so ranges are exact.
// "Last hour/day" counts strictly earlier orders; the ±1 h count catches every
// order of a burst, its first one included.
constexpr std::string_view kFeatureSql = R"SQL(
CREATE OR REPLACE TEMP TABLE compliance_transaction_features AS
WITH country_offset(country, hours) AS (VALUES
  -- Standard time of each country's most populous zone: night is judged in the
  -- customer's local time (unknown countries: UTC).
  ('US', -5.0), ('CA', -5.0), ('MX', -6.0), ('BR', -3.0), ('AR', -3.0), ('CL', -4.0), ('CO', -5.0),
  ('GB', 0.0), ('IE', 0.0), ('PT', 0.0), ('DE', 1.0), ('FR', 1.0), ('ES', 1.0), ('IT', 1.0), ('NL', 1.0),
  ('BE', 1.0), ('AT', 1.0), ('CH', 1.0), ('SE', 1.0), ('NO', 1.0), ('DK', 1.0), ('PL', 1.0), ('FI', 2.0),
  ('GR', 2.0), ('ZA', 2.0), ('EG', 2.0), ('TR', 3.0), ('AE', 4.0), ('IN', 5.5), ('CN', 8.0), ('SG', 8.0),
  ('HK', 8.0), ('JP', 9.0), ('KR', 9.0), ('AU', 10.0), ('NZ', 12.0)),
payment_summary AS (
  SELECT order_id,
         count(*) FILTER (WHERE payment_status = 'failed') AS failed_payments,
         count(DISTINCT card_last_four) AS distinct_cards,
         arg_max(payment_id, payment_date) AS payment_id,
         arg_max(card_last_four, payment_date) AS last_card,
         max(epoch(updated_at)) FILTER (WHERE payment_status = 'refunded') AS refunded_epoch
  FROM curated.payments GROUP BY order_id),
delivery AS (
  SELECT order_id, max(epoch(actual_delivery_date)) AS delivered_epoch FROM curated.shipments GROUP BY order_id),
item_summary AS (
  SELECT order_id, sum(quantity) AS item_count, max(CAST(unit_price AS DOUBLE)) AS max_unit_price
  FROM curated.order_items GROUP BY order_id),
base AS (
  SELECT o.order_id, o.customer_id, o.order_date, CAST(o.total_amount AS DOUBLE) AS amount,
         o.order_status, o.payment_method, o.shipping_country, c.country AS customer_country,
         CAST(epoch(o.order_date) AS BIGINT) AS t, epoch(c.created_at) AS customer_created,
         coalesce(p.failed_payments, 0) AS failed_payments, coalesce(p.distinct_cards, 0) AS distinct_cards,
         p.payment_id, p.last_card, coalesce(i.item_count, 0) AS item_count,
         coalesce(i.max_unit_price, 0) AS max_unit_price,
         hour(o.order_date + to_seconds(CAST(coalesce(z.hours, 0) * 3600 AS BIGINT))) AS local_hour,
         CASE WHEN o.order_status = 'returned' AND p.refunded_epoch IS NOT NULL AND d.delivered_epoch IS NOT NULL
              THEN (p.refunded_epoch - d.delivered_epoch) / 86400.0 END AS days_to_return
  FROM curated.orders o
  JOIN curated.customers c USING (customer_id)
  LEFT JOIN country_offset z ON z.country = upper(c.country)
  LEFT JOIN payment_summary p USING (order_id)
  LEFT JOIN item_summary i USING (order_id)
  LEFT JOIN delivery d USING (order_id)),
usual_card AS (
  SELECT customer_id, mode(last_card) AS card FROM base WHERE last_card IS NOT NULL GROUP BY customer_id),
windowed AS (
  SELECT b.*,
    avg(amount) OVER customer_orders AS customer_mean_amount,
    stddev_samp(amount) OVER customer_orders AS customer_sd_amount,
    count(*) OVER (PARTITION BY customer_id ORDER BY t RANGE BETWEEN 3600 PRECEDING AND 1 PRECEDING) AS orders_last_hour,
    count(*) OVER (PARTITION BY customer_id ORDER BY t RANGE BETWEEN 86400 PRECEDING AND 1 PRECEDING) AS orders_last_day,
    count(*) OVER (PARTITION BY customer_id ORDER BY t RANGE BETWEEN 3600 PRECEDING AND 3600 FOLLOWING) - 1
      AS orders_within_hour,
    sum(failed_payments) OVER (PARTITION BY customer_id ORDER BY t RANGE BETWEEN 86400 PRECEDING AND CURRENT ROW)
      AS failed_payments_last_day,
    row_number() OVER (PARTITION BY customer_id, shipping_country ORDER BY t, order_id) AS nth_to_country,
    row_number() OVER (PARTITION BY customer_id ORDER BY t, order_id) AS nth_order,
    lag(payment_method) OVER (PARTITION BY customer_id ORDER BY t, order_id) AS previous_method,
    avg(CASE WHEN order_status = 'returned' THEN 1.0 ELSE 0.0 END) OVER (PARTITION BY customer_id)
      AS customer_return_rate
  FROM base b
  WINDOW customer_orders AS (PARTITION BY customer_id))
SELECT w.order_id, w.customer_id, coalesce(w.payment_id, '') AS payment_id, w.t AS order_epoch, w.amount,
  w.amount AS f_amount,
  ln(1 + greatest(w.amount, 0)) AS f_log_amount,
  coalesce((w.amount - w.customer_mean_amount) / nullif(w.customer_sd_amount, 0), 0) AS f_amount_z,
  CASE WHEN w.local_hour < 6 OR w.local_hour >= 22 THEN 1.0 ELSE 0.0 END AS f_is_night,
  CASE WHEN dayofweek(w.order_date) IN (0, 6) THEN 1.0 ELSE 0.0 END AS f_is_weekend,
  greatest(0.0, (w.t - w.customer_created) / 86400.0) AS f_customer_age_days,
  CAST(w.orders_last_hour AS DOUBLE) AS f_orders_last_hour,
  CAST(w.orders_last_day AS DOUBLE) AS f_orders_last_day,
  CAST(w.orders_within_hour AS DOUBLE) AS f_orders_within_hour,
  CAST(w.failed_payments AS DOUBLE) AS f_failed_payments,
  CAST(w.failed_payments_last_day AS DOUBLE) AS f_failed_payments_last_day,
  CAST(w.distinct_cards AS DOUBLE) AS f_distinct_cards,
  CASE WHEN w.shipping_country IS DISTINCT FROM w.customer_country THEN 1.0 ELSE 0.0 END AS f_ships_abroad,
  CASE WHEN w.nth_to_country = 1 AND w.nth_order > 1 THEN 1.0 ELSE 0.0 END AS f_new_destination,
  CASE WHEN w.previous_method IS NOT NULL AND w.previous_method IS DISTINCT FROM w.payment_method
       THEN 1.0 ELSE 0.0 END AS f_payment_method_changed,
  CASE WHEN w.last_card IS NOT NULL AND u.card IS NOT NULL AND w.last_card <> u.card THEN 1.0 ELSE 0.0 END
    AS f_card_changed,
  w.customer_return_rate AS f_customer_return_rate,
  CASE WHEN w.days_to_return IS NULL THEN 0.0 ELSE least(30.0, greatest(0.0, 30.0 - w.days_to_return)) END
    AS f_return_speed,
  CAST(w.item_count AS DOUBLE) AS f_item_count,
  w.max_unit_price AS f_max_unit_price
FROM windowed w LEFT JOIN usual_card u USING (customer_id)
ORDER BY w.t, w.order_id
)SQL";

}  // namespace

std::span<const FeatureSpec> TransactionFeatureSpecs() { return kFeatures; }

std::span<const double> TransactionFeatures::Row(size_t row) const {
  const size_t width = kFeatures.size();
  return std::span<const double>(matrix).subspan(row * width, width);
}

TransactionFeatures BuildTransactionFeatures(engine::Connection& lake) {
  lake.Execute(kFeatureSql);
  // Every feature read as DOUBLE: SQL literals such as 1.0 are DECIMALs.
  std::string select =
      "SELECT order_id, customer_id, payment_id, order_epoch, CAST(amount AS DOUBLE)";
  for (const auto& feature : kFeatures)
    select += ", CAST(f_" + std::string(feature.name) + " AS DOUBLE)";
  auto result = lake.Query(select + " FROM " + std::string(kTransactionFeatureTable) +
                           " ORDER BY order_epoch, order_id");
  constexpr size_t kLeading = 5;  // order_id, customer_id, payment_id, order_epoch, amount
  if (result.ColumnCount() != kLeading + kFeatures.size()) {
    throw std::logic_error("compliance features: the SQL and the feature list disagree");
  }
  TransactionFeatures features;
  while (auto chunk = result.NextChunk()) {
    const auto order_id = chunk->Column(0), customer_id = chunk->Column(1),
               payment_id = chunk->Column(2);
    const auto epoch = chunk->Column(3), amount = chunk->Column(4);
    for (idx_t row = 0; row < chunk->Size(); ++row) {
      features.order_ids.emplace_back(order_id.GetString(row));
      features.customer_ids.emplace_back(customer_id.GetString(row));
      features.payment_ids.emplace_back(payment_id.GetString(row));
      features.order_epoch_seconds.push_back(epoch.Get<int64_t>(row));
      features.amounts.push_back(amount.Get<double>(row));
      for (size_t f = 0; f < kFeatures.size(); ++f) {
        const auto column = chunk->Column(kLeading + f);
        features.matrix.push_back(column.IsNull(row) ? 0.0 : column.Get<double>(row));
      }
    }
  }
  return features;
}

}  // namespace futureim::systems::compliance
