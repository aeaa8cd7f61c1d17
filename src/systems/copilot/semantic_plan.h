#pragma once

// What a question asks, independent of its wording: a measure over a scope
// of rows, optional dimensions, filters, a period (and one to compare with),
// ordering and a limit. The plan is what a conversation remembers for
// follow-ups ("and in France?") and what compiles to SQL over the curated
// views. Every value a plan holds came from the store vocabulary or the
// period parser, and every literal is quoted when compiled.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "systems/copilot/period_parser.h"

namespace futureim::systems::copilot {

enum class Measure {
  kNone,
  kRevenue,       // Σ sales (cancelled and returned orders excluded)
  kOrders,        // number of orders
  kUnits,         // Σ quantity sold (cancelled and returned excluded)
  kAverageOrder,  // revenue / orders (cancelled and returned excluded)
  kBuyers,        // distinct customers who ordered
  kCustomers,     // registered customers (period: created_at)
  kProducts,      // products in the catalog
  kAveragePrice,  // mean list price of products
  kStock,         // Σ quantity available in inventory
  kLowStock,      // products with a warehouse at or below its reorder point
  kOutOfStock,    // products with a warehouse holding none
};

enum class Dimension {
  kNone,
  kCountry,
  kCity,
  kCategory,
  kBrand,
  kProduct,
  kStatus,
  kPaymentMethod,
  kCustomer,
  kDay,
  kWeek,
  kMonth,
  kYear,
  kWarehouse
};

enum class PlanShape {
  kAggregate,   // one number
  kRanking,     // top/bottom N of a dimension
  kBreakdown,   // the measure for every value of a dimension
  kComparison,  // the measure in two periods
  kListing,     // rows of orders
};

struct SemanticPlan {
  PlanShape shape = PlanShape::kAggregate;
  Measure measure = Measure::kNone;
  Dimension dimension = Dimension::kNone;
  // Filters: kind name ("country", "city", "category", "brand", "product",
  // "status", "payment_method") → the values allowed (OR within a kind).
  std::map<std::string, std::vector<std::string>> filters;
  // Category filters expanded to the categories below them (same key set).
  std::map<std::string, std::vector<std::string>> category_sets;
  std::optional<double> min_amount;  // order total (or price for products) >
  std::optional<double> max_amount;  // order total (or price for products) <
  std::optional<DayRange> period;
  std::optional<DayRange> compared_with;
  bool ascending = false;
  int64_t limit = 0;  // 0: no limit

  nlohmann::json ToJson() const;
  static SemanticPlan FromJson(const nlohmann::json& json);
};

std::string MeasureName(Measure measure);        // "revenue"
std::string DimensionName(Dimension dimension);  // "country"

// The SELECT for the plan over curated.* views. Output columns:
//   aggregate:  value
//   ranking / breakdown: <dimension label>, value
//   comparison: current, previous
//   listing:    order_id, order_date, order_status, total_amount, shipping_country
std::string CompilePlan(const SemanticPlan& plan);

}  // namespace futureim::systems::copilot
