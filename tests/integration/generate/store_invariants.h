#pragma once

// The rules every row of a simulated store obeys, whoever wrote it (the bulk
// fill or live trading): each reference resolves, money adds up, payment,
// shipment and review states agree with their order, dates are in order.
// Shared by the fill's tests and the live-trading tests, so both hold the
// rows to the same standard.

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "source/mysql_connection.h"
#include "support/mariadb_suite.h"

namespace futureim::testing {

inline void ExpectEveryReferenceResolves(source::MysqlConnection& db) {
  struct Reference {
    const char* child;
    const char* column;
    const char* parent;
    const char* key;
  };
  for (const Reference& ref :
       std::vector<Reference>{{"orders", "customer_id", "customers", "customer_id"},
                              {"order_items", "order_id", "orders", "order_id"},
                              {"order_items", "product_id", "products", "product_id"},
                              {"payments", "order_id", "orders", "order_id"},
                              {"shipments", "order_id", "orders", "order_id"},
                              {"reviews", "product_id", "products", "product_id"},
                              {"reviews", "customer_id", "customers", "customer_id"},
                              {"inventory", "product_id", "products", "product_id"},
                              {"products", "category_id", "categories", "category_id"},
                              {"categories", "parent_category_id", "categories", "category_id"}}) {
    EXPECT_EQ(
        QueryInt(db, std::string("SELECT COUNT(*) FROM ") + ref.child + " c LEFT JOIN " +
                         ref.parent + " p ON c." + ref.column + " = p." + ref.key + " WHERE c." +
                         ref.column + " IS NOT NULL AND p." + ref.key + " IS NULL"),
        0)
        << ref.child << "." << ref.column;
  }
}

inline void ExpectMoneyAddsUp(source::MysqlConnection& db) {
  // item total = (unit_price − discount) × quantity + tax
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM order_items WHERE total_amount <> (unit_price - "
                     "discount_amount) * quantity + tax_amount OR quantity < 1 OR "
                     "discount_amount < 0 OR discount_amount >= unit_price"),
            0);
  // order total = Σ item totals + shipping − order discount; tax counted once.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM orders o LEFT JOIN (SELECT order_id, "
                     "SUM(total_amount) t, SUM(tax_amount) x, COUNT(*) n FROM order_items "
                     "GROUP BY order_id) i ON i.order_id = o.order_id WHERE i.n IS NULL OR "
                     "i.n > 5 OR o.total_amount <> i.t + o.shipping_amount - "
                     "o.discount_amount OR o.tax_amount <> i.x OR o.discount_amount < 0"),
            0);
  // Lifetime value: what the customer paid for orders they kept.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM customers c LEFT JOIN (SELECT customer_id, "
                     "SUM(total_amount) v FROM orders WHERE order_status NOT IN "
                     "('cancelled', 'returned') GROUP BY customer_id) o ON o.customer_id = "
                     "c.customer_id WHERE c.lifetime_value <> COALESCE(o.v, 0)"),
            0);
}

inline void ExpectStatesAndDatesAgree(source::MysqlConnection& db) {
  // Completed payments only for orders that can be paid, for the order's total.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM payments p JOIN orders o ON o.order_id = "
                     "p.order_id WHERE p.payment_status = 'completed' AND (o.order_status "
                     "NOT IN ('processing', 'shipped', 'delivered') OR p.amount <> "
                     "o.total_amount)"),
            0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM orders o WHERE o.order_status IN ('processing', "
                     "'shipped', 'delivered') AND NOT EXISTS (SELECT 1 FROM payments p WHERE "
                     "p.order_id = o.order_id AND p.payment_status = 'completed')"),
            0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM "
                     "payments p WHERE p.order_id = o.order_id)"),
            0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM orders o WHERE o.order_status = 'returned' AND "
                     "NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.order_id AND "
                     "p.payment_status = 'refunded')"),
            0);
  // Card fields exactly on card payments.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM payments WHERE (payment_method IN "
                     "('credit_card', 'debit_card')) <> (card_last_four IS NOT NULL AND "
                     "card_type IS NOT NULL) OR (card_last_four IS NULL) <> (card_type IS "
                     "NULL)"),
            0);
  // Shipments exactly for orders that left the warehouse, dates in order.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.order_id = "
                     "s.order_id WHERE o.order_status NOT IN ('shipped', 'delivered', "
                     "'returned')"),
            0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM orders o WHERE o.order_status IN ('shipped', "
                     "'delivered', 'returned') AND (SELECT COUNT(*) FROM shipments s WHERE "
                     "s.order_id = o.order_id) <> 1"),
            0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.order_id = "
                     "s.order_id WHERE s.created_at < o.order_date OR s.shipped_date < "
                     "s.created_at OR s.actual_delivery_date < s.shipped_date OR "
                     "s.estimated_delivery_date < s.shipped_date OR (o.order_status = "
                     "'delivered') <> (s.shipment_status = 'delivered') OR "
                     "(s.actual_delivery_date IS NULL) <> (o.order_status = 'shipped')"),
            0);
  // Verified reviews by buyers of the product, after the order.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM reviews r WHERE r.is_verified_purchase AND NOT "
                     "EXISTS (SELECT 1 FROM orders o JOIN order_items i ON i.order_id = "
                     "o.order_id WHERE o.customer_id = r.customer_id AND i.product_id = "
                     "r.product_id AND o.order_date < r.created_at)"),
            0);
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM reviews WHERE rating NOT BETWEEN 1 AND 5"), 0);
  // Order and customer timestamps are in order.
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM orders o JOIN customers c ON c.customer_id = "
                     "o.customer_id WHERE o.order_date < c.created_at OR o.updated_at < "
                     "o.order_date"),
            0);
}

// Orders with a discount (those matching `filter`, a condition on `o`, the
// orders row) and how many of them carry exactly what some promotion active
// at the order's moment gives their subtotal (percentage or fixed, minimum
// purchase, maximum discount, never above the subtotal).
inline std::pair<int64_t, int64_t> CountDiscountsExplainedByAPromotion(
    source::MysqlConnection& db, const std::string& filter = "TRUE") {
  struct Promotion {
    std::string start, end;
    bool percentage;
    int64_t value, min_purchase, max_discount;
  };
  std::vector<Promotion> promotions;
  for (const auto& row : db.Query(
           "SELECT start_date, end_date, discount_type, ROUND(discount_value * 100), "
           "ROUND(min_purchase_amount * 100), ROUND(COALESCE(max_discount_amount, 0) * 100) FROM "
           "promotions")) {
    promotions.push_back({*row[0], *row[1], *row[2] == "percentage", std::stoll(*row[3]),
                          std::stoll(*row[4]), std::stoll(*row[5])});
  }
  int64_t discounted = 0, explained = 0;
  for (const auto& row :
       db.Query("SELECT o.order_date, ROUND(o.discount_amount * 100), ROUND(SUM((i.unit_price - "
                "i.discount_amount) * i.quantity) * 100) FROM orders o JOIN order_items i ON "
                "i.order_id = o.order_id WHERE o.discount_amount > 0 AND (" +
                filter + ") GROUP BY o.order_id")) {
    const int64_t discount = std::stoll(*row[1]), subtotal = std::stoll(*row[2]);
    ++discounted;
    bool matches = false;
    for (const Promotion& p : promotions) {
      if (*row[0] < p.start || *row[0] > p.end || subtotal < p.min_purchase) continue;
      // percentage: value is percent × 100 (e.g. 2000 = 20 %); fixed: cents.
      int64_t expected = p.percentage ? subtotal * (p.value / 100) / 100 : p.value;
      if (p.max_discount > 0) expected = std::min(expected, p.max_discount);
      expected = std::min(expected, subtotal);
      matches |= expected == discount;
    }
    explained += matches ? 1 : 0;
  }
  return {discounted, explained};
}

inline void ExpectStoreInvariants(source::MysqlConnection& db) {
  ExpectEveryReferenceResolves(db);
  ExpectMoneyAddsUp(db);
  ExpectStatesAndDatesAgree(db);
}

}  // namespace futureim::testing
