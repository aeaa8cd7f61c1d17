#pragma once

#include <cstdint>

#include "generate/ground_truth.h"
#include "generate/row_sink.h"

namespace futureim::generate {

// What to simulate. The store is a pure function of these values.
struct SimulationParameters {
  uint64_t seed = 1;
  // Multiplies customers and orders (scale 1: ~10k customers, ~50k orders).
  // Products (5k), categories (50) and promotions (100) do not scale.
  double scale = 1.0;
  // Orders are placed in the history_days before 00:00 UTC of this day
  // (days since 1970-01-01); nothing in the store is later than that moment.
  int64_t as_of_day = 0;
  int history_days = 730;
};

// Target sizes at scale 1 (SPEC.md §1).
inline constexpr int kCustomersAtScale1 = 10000;
inline constexpr int kOrdersAtScale1 = 50000;
inline constexpr int kProducts = 5000;
inline constexpr int kPromotions = 100;

// Builds the simulated store — categories, products with their price
// histories, customers with behaviour archetypes, orders placed on the demand
// calendar with items, payments, shipments and reviews, promotions,
// inventory, and injected fraud — and streams every row into a RowSink.
//
// Invariants every row satisfies (tests check them on the loaded data):
//   item.total = (unit_price − discount) × quantity + tax, unit_price = the
//   product's price on the order day; order.total = Σ item totals + shipping −
//   order discount and order.tax = Σ item tax (tax counted once); a completed
//   payment only for processing/shipped/delivered orders; card fields only on
//   card payments; shipments only for orders that left the warehouse
//   (shipped, delivered, returned) with created ≤ shipped ≤ delivered; no
//   timestamp after the as-of moment; every key a UUID and every reference
//   resolves.
class StoreModelGenerator {
 public:
  explicit StoreModelGenerator(SimulationParameters parameters);
  // Generates the store into `sink` (without calling sink.Finish()) and
  // returns its ground truth. Single-threaded and deterministic.
  GroundTruth Generate(RowSink& sink);

 private:
  SimulationParameters parameters_;
};

}  // namespace futureim::generate
