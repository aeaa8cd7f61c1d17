#pragma once

// The per-order transaction features the Compliance Guardian scores, computed
// in one SQL pass over the curated tables (orders, payments, customers,
// order_items). Every feature is a number, and for each the direction in
// which it is riskier is known, so a score can be explained by the features
// that deviate most in that direction.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/duckdb.h"

namespace futureim::systems::compliance {

struct FeatureSpec {
  std::string_view name;
  std::string_view description;  // for explanations ("failed payment attempts on the order")
  bool higher_is_riskier;        // false: lower values are riskier (customer age)
  // Whether the isolation forest sees it. Features that vary widely among
  // ordinary orders (weekends are 2/7 of them, one order in seven changes
  // payment method) would spend the forest's random splits on ordinary
  // variation and dilute the rare deviations it exists to find; they still
  // explain scores and feed the supervised model.
  bool isolates;
};

// The features, in matrix column order.
std::span<const FeatureSpec> TransactionFeatureSpecs();

struct TransactionFeatures {
  std::vector<std::string> order_ids;
  std::vector<std::string> customer_ids;
  std::vector<std::string> payment_ids;  // the order's last payment; empty when it has none
  std::vector<int64_t> order_epoch_seconds;
  std::vector<double> amounts;
  std::vector<double> matrix;  // order_ids.size() × TransactionFeatureSpecs().size(), row-major

  size_t Rows() const { return order_ids.size(); }
  std::span<const double> Row(size_t row) const;
};

// The name of the TEMP table BuildTransactionFeatures leaves on the connection
// (one row per order: order_id, customer_id, payment_id, order_date, amount,
// then one DOUBLE column per feature), for later SQL over the same rows.
inline constexpr std::string_view kTransactionFeatureTable = "compliance_transaction_features";

// Computes the features of every curated order (reading `curated.*` through
// `lake`), leaves them in kTransactionFeatureTable and returns them ordered by
// order date then order id. Throws when a curated table is missing.
TransactionFeatures BuildTransactionFeatures(engine::Connection& lake);

}  // namespace futureim::systems::compliance
