#include "systems/demand_insights/price_response.h"

#include <map>

#include "core/error.h"
#include "systems/demand_insights/table_reader.h"

namespace futureim::systems::demand_insights {
namespace {

constexpr const char* kItems =
    "WITH items AS (SELECT CAST(i.product_id AS VARCHAR) AS product_id, "
    "CAST(p.category_id AS VARCHAR) AS category_id, CAST(i.quantity AS DOUBLE) AS q, "
    "CAST(i.unit_price AS DOUBLE) AS price, "
    "datediff('day', DATE '1970-01-01', CAST(o.order_date AS DATE)) // 7 AS week "
    "FROM curated.order_items i JOIN curated.orders o USING (order_id) "
    "JOIN curated.products p ON p.product_id = i.product_id "
    "WHERE o.order_status <> 'cancelled' AND i.unit_price > 0 AND i.quantity > 0 "
    "AND p.category_id IS NOT NULL), "
    "reference AS (SELECT product_id, median(price) AS reference FROM items GROUP BY product_id) ";

// Panel rows with their entity ids mapped to group numbers.
struct Panel {
  std::vector<ml::PriceQuantityObservation> observations;
  std::vector<std::string> ids;  // group number → id
};

Panel LoadPanel(engine::Connection& lake, const std::string& sql) {
  Panel panel;
  std::map<std::string, int> group_of;
  ForEachRow(lake, sql, [&](const RowView& row) {
    const auto [it, inserted] = group_of.emplace(row.Text(0), static_cast<int>(panel.ids.size()));
    if (inserted) panel.ids.push_back(row.Text(0));
    const double units = row.Number(3);
    panel.observations.push_back(
        {it->second, static_cast<int>(row.Number(1)), row.Number(2), units, units});
  });
  return panel;
}

std::map<std::string, std::pair<std::string, std::string>> LoadNames(engine::Connection& lake,
                                                                     const std::string& sql) {
  std::map<std::string, std::pair<std::string, std::string>> names;
  ForEachRow(lake, sql, [&](const RowView& row) {
    names[row.Text(0)] = {row.Text(1), row.Text(2)};
  });
  return names;
}

}  // namespace

std::vector<ElasticityRow> MeasurePriceElasticities(engine::Connection& lake) {
  const Panel categories = LoadPanel(
      lake, std::string(kItems) +
                "SELECT category_id, CAST(week AS DOUBLE), exp(avg(ln(price / reference))), sum(q) "
                "FROM items JOIN reference USING (product_id) GROUP BY category_id, week "
                "ORDER BY category_id, week");
  if (categories.observations.empty()) {
    throw core::Error("price elasticity: curated.order_items has no priced sales yet");
  }
  const auto category_names = LoadNames(
      lake, "SELECT CAST(category_id AS VARCHAR), category_name, '' FROM curated.categories");
  std::vector<ElasticityRow> rows;
  rows.push_back({"overall", "overall", "All categories", "",
                  ml::EstimateLogLogElasticity(categories.observations)});
  for (const auto& [group, estimate] : ml::EstimateElasticityByGroup(categories.observations)) {
    const auto& id = categories.ids[group];
    const auto name = category_names.find(id);
    rows.push_back(
        {"category", id, name == category_names.end() ? "" : name->second.first, id, estimate});
  }
  const Panel products = LoadPanel(
      lake, std::string(kItems) +
                "SELECT product_id, CAST(week AS DOUBLE), exp(avg(ln(price))), sum(q) FROM items "
                "GROUP BY product_id, week ORDER BY product_id, week");
  const auto product_names =
      LoadNames(lake,
                "SELECT CAST(product_id AS VARCHAR), product_name, CAST(category_id AS VARCHAR) "
                "FROM curated.products");
  ml::ElasticityOptions product_options;
  product_options.minimum_observations = 12;
  for (const auto& [group, estimate] :
       ml::EstimateElasticityByGroup(products.observations, product_options)) {
    const auto& id = products.ids[group];
    const auto name = product_names.find(id);
    rows.push_back({"product", id, name == product_names.end() ? "" : name->second.first,
                    name == product_names.end() ? "" : name->second.second, estimate});
  }
  return rows;
}

nlohmann::json ElasticityJson(const ElasticityRow& row) {
  const auto& e = row.estimate;
  return {{"scope", row.scope},
          {"entity_id", row.entity_id},
          {"entity_name", row.entity_name},
          {"elasticity_coefficient", e.elasticity},
          {"standard_error", e.standard_error},
          {"confidence_interval", {e.confidence_low, e.confidence_high}},
          {"confidence_level", e.confidence_level},
          {"r_squared", e.r_squared},
          {"elasticity_type", ml::ElasticityType(e.elasticity)},
          {"interpretation", ml::ElasticityInterpretation(e.elasticity)},
          {"sample_size", e.observations},
          {"price_range", {{"min", e.price_min}, {"max", e.price_max}, {"mean", e.price_mean}}},
          {"quantity_range",
           {{"min", e.quantity_min}, {"max", e.quantity_max}, {"mean", e.quantity_mean}}}};
}

}  // namespace futureim::systems::demand_insights
