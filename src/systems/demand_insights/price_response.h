#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/duckdb.h"
#include "ml/price_elasticity.h"

namespace futureim::systems::demand_insights {

// Price elasticities measured on the curated sales: weekly cells of units
// sold and the price paid (order_items.unit_price of non-cancelled orders).
// A category's cell price is the geometric mean, over its items sold that
// week, of each item's price relative to the product's median price, so a
// category-wide repricing moves it and the product mix does not. Category and
// overall estimates come from the category × week panel with category and
// week fixed effects (the week effects take out seasonality, holidays and
// store growth); product estimates from the product × week panel with
// product and week effects. Weeks without a sale carry no price and are
// left out.
struct ElasticityRow {
  std::string scope;  // "overall", "category", "product"
  std::string entity_id;
  std::string entity_name;
  std::string category_id;  // products: their category
  ml::ElasticityEstimate estimate;
};

std::vector<ElasticityRow> MeasurePriceElasticities(engine::Connection& lake);

// The answer of POST /demand-insights/price-elasticity and the table's row
// shape: coefficient, interval, type, interpretation, ranges.
nlohmann::json ElasticityJson(const ElasticityRow& row);

}  // namespace futureim::systems::demand_insights
