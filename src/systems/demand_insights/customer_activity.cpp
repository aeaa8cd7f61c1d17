#include "systems/demand_insights/customer_activity.h"

#include <cmath>

#include "core/error.h"
#include "systems/demand_insights/table_reader.h"

namespace futureim::systems::demand_insights {
namespace {

constexpr const char* kDay = "datediff('day', DATE '1970-01-01', CAST(order_date AS DATE))";

}  // namespace

std::vector<CustomerActivity> LoadCustomerActivity(engine::Connection& lake, int64_t cutoff_day) {
  const std::string cutoff = DateLiteral(cutoff_day);
  const std::string c = std::to_string(cutoff_day);
  const std::string sql =
      "WITH o AS (SELECT order_id, customer_id, order_status, CAST(total_amount AS DOUBLE) AS "
      "amount, " +
      std::string(kDay) + " AS day FROM curated.orders WHERE order_date < " + cutoff +
      "), p AS (SELECT * FROM o WHERE order_status <> 'cancelled'), "
      "per AS (SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(*) AS n, "
      "count(DISTINCT day) AS n_days, "
      "coalesce(sum(amount) FILTER (WHERE order_status <> 'returned'), 0) AS spend, "
      "count(*) FILTER (WHERE order_status = 'returned') AS returned, "
      "count(*) FILTER (WHERE day >= " +
      c +
      " - 30) AS n30, "
      "count(*) FILTER (WHERE day >= " +
      c +
      " - 90) AS n90, "
      "count(*) FILTER (WHERE day >= " +
      c +
      " - 180) AS n180, "
      "count(*) FILTER (WHERE day >= " +
      c +
      " - 365) AS n365, "
      "coalesce(sum(amount) FILTER (WHERE day >= " +
      c +
      " - 90 AND order_status <> 'returned'), 0) AS s90, "
      "coalesce(sum(amount) FILTER (WHERE day >= " +
      c +
      " - 365 AND order_status <> 'returned'), 0) AS s365 "
      "FROM p GROUP BY customer_id), "
      "cancels AS (SELECT customer_id, count(*) AS cancelled FROM o WHERE order_status = "
      "'cancelled' "
      "GROUP BY customer_id), "
      "variety AS (SELECT p.customer_id, count(DISTINCT i.product_id) AS products, "
      "count(DISTINCT pr.category_id) AS categories FROM p JOIN curated.order_items i USING "
      "(order_id) "
      "LEFT JOIN curated.products pr USING (product_id) GROUP BY p.customer_id), "
      "ratings AS (SELECT customer_id, avg(rating) AS rating FROM curated.reviews WHERE created_at "
      "< " +
      cutoff +
      " GROUP BY customer_id), "
      "accounts AS (SELECT customer_id, datediff('day', CAST(created_at AS DATE), " +
      cutoff +
      ") AS age FROM curated.customers) "
      "SELECT CAST(per.customer_id AS VARCHAR), CAST(first_day AS DOUBLE), CAST(last_day AS "
      "DOUBLE), "
      "CAST(n AS DOUBLE), CAST(n_days AS DOUBLE), CAST(spend AS DOUBLE), CAST(returned AS DOUBLE), "
      "CAST(coalesce(cancelled, 0) AS DOUBLE), CAST(n30 AS DOUBLE), CAST(n90 AS DOUBLE), "
      "CAST(n180 AS DOUBLE), CAST(n365 AS DOUBLE), CAST(s90 AS DOUBLE), CAST(s365 AS DOUBLE), "
      "CAST(coalesce(products, 0) AS DOUBLE), CAST(coalesce(categories, 0) AS DOUBLE), "
      "CAST(rating AS DOUBLE), CAST(coalesce(age, 0) AS DOUBLE) "
      "FROM per LEFT JOIN cancels USING (customer_id) LEFT JOIN variety USING (customer_id) "
      "LEFT JOIN ratings USING (customer_id) LEFT JOIN accounts USING (customer_id) "
      "ORDER BY per.customer_id";
  std::vector<CustomerActivity> customers;
  ForEachRow(lake, sql, [&](const RowView& row) {
    CustomerActivity a;
    a.customer_id = row.Text(0);
    a.first_day = static_cast<int64_t>(row.Number(1));
    a.last_day = static_cast<int64_t>(row.Number(2));
    a.purchases = row.Number(3);
    a.purchase_days = row.Number(4);
    a.spend = row.Number(5);
    a.returned = row.Number(6);
    a.cancelled = row.Number(7);
    a.purchases_30 = row.Number(8);
    a.purchases_90 = row.Number(9);
    a.purchases_180 = row.Number(10);
    a.purchases_365 = row.Number(11);
    a.spend_90 = row.Number(12);
    a.spend_365 = row.Number(13);
    a.distinct_products = row.Number(14);
    a.distinct_categories = row.Number(15);
    a.average_rating = row.Number(16);
    a.account_age_days = std::max(0.0, row.Number(17));
    customers.push_back(std::move(a));
  });
  return customers;
}

std::unordered_map<std::string, PeriodPurchases> LoadPurchasesBetween(engine::Connection& lake,
                                                                      int64_t from_day,
                                                                      int64_t to_day) {
  const std::string sql =
      "SELECT CAST(customer_id AS VARCHAR), CAST(count(*) AS DOUBLE), "
      "CAST(coalesce(sum(total_amount) FILTER (WHERE order_status <> 'returned'), 0) AS DOUBLE) "
      "FROM curated.orders WHERE order_status <> 'cancelled' AND order_date >= " +
      DateLiteral(from_day) + " AND order_date < " + DateLiteral(to_day) + " GROUP BY customer_id";
  std::unordered_map<std::string, PeriodPurchases> purchases;
  ForEachRow(lake, sql, [&](const RowView& row) {
    purchases[row.Text(0)] = {row.Number(1), row.Number(2)};
  });
  return purchases;
}

int64_t StoreAsOfDay(engine::Connection& lake) {
  double latest = std::nan("");
  ForEachRow(lake,
             "SELECT CAST(max(" + std::string(kDay) +
                 ") AS DOUBLE) FROM curated.orders WHERE order_status <> 'cancelled'",
             [&](const RowView& row) { latest = row.Number(0); });
  if (std::isnan(latest)) {
    throw core::Error(
        "demand insights: curated.orders has no purchases yet; run the pipeline "
        "after the store has orders");
  }
  return static_cast<int64_t>(latest) + 1;
}

}  // namespace futureim::systems::demand_insights
