#include "systems/copilot/semantic_plan.h"

#include <sstream>

#include "core/error.h"
#include "engine/sql_text.h"

namespace futureim::systems::copilot {

namespace {

using engine::QuoteLiteral;

const std::map<Measure, std::string>& MeasureNames() {
  static const std::map<Measure, std::string> names = {
      {Measure::kNone, "none"},
      {Measure::kRevenue, "revenue"},
      {Measure::kOrders, "orders"},
      {Measure::kUnits, "units"},
      {Measure::kAverageOrder, "average_order_value"},
      {Measure::kBuyers, "buyers"},
      {Measure::kCustomers, "customers"},
      {Measure::kProducts, "products"},
      {Measure::kAveragePrice, "average_price"},
      {Measure::kStock, "stock"},
      {Measure::kLowStock, "low_stock"},
      {Measure::kOutOfStock, "out_of_stock"}};
  return names;
}

const std::map<Dimension, std::string>& DimensionNames() {
  static const std::map<Dimension, std::string> names = {
      {Dimension::kNone, "none"},         {Dimension::kCountry, "country"},
      {Dimension::kCity, "city"},         {Dimension::kCategory, "category"},
      {Dimension::kBrand, "brand"},       {Dimension::kProduct, "product"},
      {Dimension::kStatus, "status"},     {Dimension::kPaymentMethod, "payment_method"},
      {Dimension::kCustomer, "customer"}, {Dimension::kDay, "day"},
      {Dimension::kWeek, "week"},         {Dimension::kMonth, "month"},
      {Dimension::kYear, "year"},         {Dimension::kWarehouse, "warehouse"}};
  return names;
}

const std::map<PlanShape, std::string>& ShapeNames() {
  static const std::map<PlanShape, std::string> names = {{PlanShape::kAggregate, "aggregate"},
                                                         {PlanShape::kRanking, "ranking"},
                                                         {PlanShape::kBreakdown, "breakdown"},
                                                         {PlanShape::kComparison, "comparison"},
                                                         {PlanShape::kListing, "listing"}};
  return names;
}

template <typename E>
E FromName(const std::map<E, std::string>& names, const std::string& name) {
  for (const auto& [value, text] : names)
    if (text == name) return value;
  throw core::Error("unknown plan value '" + name + "'");
}

nlohmann::json RangeJson(const std::optional<DayRange>& range) {
  if (!range) return nullptr;
  return {{"start", IsoDate(range->start)},
          {"end", IsoDate(range->end)},
          {"start_day", range->start},
          {"end_day", range->end},
          {"label", range->label}};
}

std::optional<DayRange> RangeFromJson(const nlohmann::json& json) {
  if (json.is_null()) return std::nullopt;
  return DayRange{json.at("start_day").get<int64_t>(), json.at("end_day").get<int64_t>(),
                  json.at("label").get<std::string>()};
}

std::string InList(const std::vector<std::string>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + QuoteLiteral(values[i]);
  return out + ")";
}

std::string Number(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

enum class Scope { kOrders, kItems, kCustomers, kProducts, kInventory };

bool NeedsProducts(const SemanticPlan& plan) {
  return plan.filters.count("category") || plan.filters.count("brand") ||
         plan.filters.count("product") || plan.dimension == Dimension::kCategory ||
         plan.dimension == Dimension::kBrand || plan.dimension == Dimension::kProduct;
}

Scope ScopeOf(const SemanticPlan& plan) {
  switch (plan.measure) {
    case Measure::kCustomers:
      return Scope::kCustomers;
    case Measure::kProducts:
    case Measure::kAveragePrice:
      return Scope::kProducts;
    case Measure::kStock:
    case Measure::kLowStock:
    case Measure::kOutOfStock:
      return Scope::kInventory;
    case Measure::kUnits:
      return Scope::kItems;
    default:
      return NeedsProducts(plan) ? Scope::kItems : Scope::kOrders;
  }
}

bool ExcludesUnsold(Measure measure) {
  return measure == Measure::kRevenue || measure == Measure::kUnits ||
         measure == Measure::kAverageOrder;
}

// The aggregate of a measure; `only` (a condition, may be empty) restricts
// every aggregate call with FILTER, so two periods share one scan.
std::string MeasureSql(Measure measure, Scope scope, const std::string& only = "") {
  const std::string f = only.empty() ? "" : " FILTER (WHERE " + only + ")";
  const bool items = scope == Scope::kItems;
  switch (measure) {
    case Measure::kRevenue:
      return (items ? "sum(i.total_amount)" : "sum(o.total_amount)") + f;
    case Measure::kOrders:
      return "count(DISTINCT o.order_id)" + f;
    case Measure::kUnits:
      return "sum(i.quantity)" + f;
    case Measure::kAverageOrder:
      return items ? "sum(i.total_amount)" + f + " / nullif(count(DISTINCT o.order_id)" + f + ", 0)"
                   : "avg(o.total_amount)" + f;
    case Measure::kBuyers:
      return "count(DISTINCT o.customer_id)" + f;
    case Measure::kCustomers:
      return "count(*)" + f;
    case Measure::kProducts:
      return "count(*)" + f;
    case Measure::kAveragePrice:
      return "avg(p.price)" + f;
    case Measure::kStock:
      return "sum(inv.quantity_available)" + f;
    case Measure::kLowStock:
      return "count(DISTINCT inv.product_id) FILTER (WHERE inv.quantity_available <= "
             "inv.reorder_point" +
             (only.empty() ? std::string() : " AND " + only) + ")";
    case Measure::kOutOfStock:
      return "count(DISTINCT inv.product_id) FILTER (WHERE inv.quantity_available = 0" +
             (only.empty() ? std::string() : " AND " + only) + ")";
    case Measure::kNone:
      break;
  }
  throw core::Error("the plan has no measure");
}

// The SQL of a dimension in a scope; empty when the scope does not have it.
std::string DimensionSql(Dimension dimension, Scope scope) {
  const bool orders = scope == Scope::kOrders || scope == Scope::kItems;
  const std::string date = scope == Scope::kCustomers ? "cu.created_at" : "o.order_date";
  switch (dimension) {
    case Dimension::kCountry:
      return scope == Scope::kCustomers ? "cu.country" : orders ? "o.shipping_country" : "";
    case Dimension::kCity:
      return scope == Scope::kCustomers ? "cu.city" : orders ? "o.shipping_city" : "";
    case Dimension::kCategory:
      return scope == Scope::kCustomers ? "" : "c.category_name";
    case Dimension::kBrand:
      return scope == Scope::kCustomers ? "" : "p.brand";
    case Dimension::kProduct:
      return scope == Scope::kCustomers ? "" : "p.product_name";
    case Dimension::kStatus:
      return orders ? "o.order_status" : "";
    case Dimension::kPaymentMethod:
      return orders ? "o.payment_method" : "";
    case Dimension::kCustomer:
      return orders ? "o.customer_id" : "";
    case Dimension::kDay:
      return orders || scope == Scope::kCustomers ? "CAST(" + date + " AS DATE)" : "";
    case Dimension::kWeek:
      return orders || scope == Scope::kCustomers ? "CAST(date_trunc('week', " + date + ") AS DATE)"
                                                  : "";
    case Dimension::kMonth:
      return orders || scope == Scope::kCustomers ? "strftime(" + date + ", '%Y-%m')" : "";
    case Dimension::kYear:
      return orders || scope == Scope::kCustomers ? "year(" + date + ")" : "";
    case Dimension::kWarehouse:
      return scope == Scope::kInventory ? "inv.warehouse_location" : "";
    case Dimension::kNone:
      break;
  }
  return "";
}

std::string PeriodCondition(const std::string& column, const DayRange& range) {
  return column + " >= DATE " + QuoteLiteral(IsoDate(range.start)) + " AND " + column + " < DATE " +
         QuoteLiteral(IsoDate(range.end));
}

}  // namespace

std::string MeasureName(Measure measure) { return MeasureNames().at(measure); }
std::string DimensionName(Dimension dimension) { return DimensionNames().at(dimension); }

nlohmann::json SemanticPlan::ToJson() const {
  nlohmann::json json = {{"shape", ShapeNames().at(shape)},
                         {"measure", MeasureName(measure)},
                         {"dimension", DimensionName(dimension)},
                         {"filters", filters},
                         {"category_sets", category_sets},
                         {"period", RangeJson(period)},
                         {"compared_with", RangeJson(compared_with)},
                         {"ascending", ascending},
                         {"limit", limit}};
  json["min_amount"] = min_amount ? nlohmann::json(*min_amount) : nlohmann::json(nullptr);
  json["max_amount"] = max_amount ? nlohmann::json(*max_amount) : nlohmann::json(nullptr);
  return json;
}

SemanticPlan SemanticPlan::FromJson(const nlohmann::json& json) {
  SemanticPlan plan;
  plan.shape = FromName(ShapeNames(), json.at("shape").get<std::string>());
  plan.measure = FromName(MeasureNames(), json.at("measure").get<std::string>());
  plan.dimension = FromName(DimensionNames(), json.at("dimension").get<std::string>());
  plan.filters = json.at("filters").get<std::map<std::string, std::vector<std::string>>>();
  plan.category_sets = json.value("category_sets", nlohmann::json::object())
                           .get<std::map<std::string, std::vector<std::string>>>();
  plan.period = RangeFromJson(json.at("period"));
  plan.compared_with = RangeFromJson(json.at("compared_with"));
  plan.ascending = json.at("ascending").get<bool>();
  plan.limit = json.at("limit").get<int64_t>();
  if (!json.at("min_amount").is_null()) plan.min_amount = json.at("min_amount").get<double>();
  if (!json.at("max_amount").is_null()) plan.max_amount = json.at("max_amount").get<double>();
  return plan;
}

std::string CompilePlan(const SemanticPlan& plan) {
  const Scope scope = ScopeOf(plan);
  std::string from;
  std::vector<std::string> where;
  std::string date_column;
  switch (scope) {
    case Scope::kOrders:
      from = "curated.orders o";
      date_column = "o.order_date";
      break;
    case Scope::kItems:
      from =
          "curated.order_items i JOIN curated.orders o ON o.order_id = i.order_id "
          "JOIN curated.products p ON p.product_id = i.product_id "
          "LEFT JOIN curated.categories c ON c.category_id = p.category_id";
      date_column = "o.order_date";
      break;
    case Scope::kCustomers:
      from = "curated.customers cu";
      date_column = "cu.created_at";
      break;
    case Scope::kProducts:
      from = "curated.products p LEFT JOIN curated.categories c ON c.category_id = p.category_id";
      break;
    case Scope::kInventory:
      from =
          "curated.inventory inv JOIN curated.products p ON p.product_id = inv.product_id "
          "LEFT JOIN curated.categories c ON c.category_id = p.category_id";
      break;
  }
  const bool has_orders = scope == Scope::kOrders || scope == Scope::kItems;
  for (const auto& [kind, values] : plan.filters) {
    if (kind == "country") {
      where.push_back((scope == Scope::kCustomers ? "cu.country" : "o.shipping_country") +
                      std::string(" IN ") + InList(values));
    } else if (kind == "city") {
      where.push_back((scope == Scope::kCustomers ? "cu.city" : "o.shipping_city") +
                      std::string(" IN ") + InList(values));
    } else if (kind == "category") {
      std::vector<std::string> all;
      for (const auto& value : values) {
        const auto set = plan.category_sets.find(value);
        if (set == plan.category_sets.end())
          all.push_back(value);
        else
          all.insert(all.end(), set->second.begin(), set->second.end());
      }
      where.push_back("c.category_name IN " + InList(all));
    } else if (kind == "brand") {
      where.push_back("p.brand IN " + InList(values));
    } else if (kind == "product") {
      where.push_back("p.product_name IN " + InList(values));
    } else if (kind == "status" && has_orders) {
      where.push_back("o.order_status IN " + InList(values));
    } else if (kind == "payment_method" && has_orders) {
      where.push_back("o.payment_method IN " + InList(values));
    } else {
      throw core::Error("a " + kind + " filter does not apply to " + MeasureName(plan.measure));
    }
  }
  if (has_orders && ExcludesUnsold(plan.measure) && !plan.filters.count("status")) {
    where.push_back("o.order_status NOT IN ('cancelled', 'returned')");
  }
  const std::string amount_column = has_orders                   ? "o.total_amount"
                                    : scope == Scope::kCustomers ? ""
                                                                 : "p.price";
  if ((plan.min_amount || plan.max_amount) && amount_column.empty()) {
    throw core::Error("an amount does not apply to " + MeasureName(plan.measure));
  }
  if (plan.min_amount) where.push_back(amount_column + " > " + Number(*plan.min_amount));
  if (plan.max_amount) where.push_back(amount_column + " < " + Number(*plan.max_amount));
  if ((plan.period || plan.compared_with) && date_column.empty()) {
    throw core::Error("a period does not apply to " + MeasureName(plan.measure));
  }
  const std::string measure = MeasureSql(plan.measure, scope);
  const auto where_sql = [&](std::vector<std::string> conditions) {
    if (conditions.empty()) return std::string();
    std::string out = " WHERE ";
    for (size_t i = 0; i < conditions.size(); ++i) out += (i ? " AND " : "") + conditions[i];
    return out;
  };

  if (plan.shape == PlanShape::kComparison) {
    if (!plan.period || !plan.compared_with) throw core::Error("a comparison needs two periods");
    const std::string filtered_current =
        MeasureSql(plan.measure, scope, PeriodCondition(date_column, *plan.period));
    const std::string filtered_previous =
        MeasureSql(plan.measure, scope, PeriodCondition(date_column, *plan.compared_with));
    return "SELECT " + filtered_current + " AS current, " + filtered_previous +
           " AS previous FROM " + from + where_sql(where);
  }
  if (plan.period) where.push_back(PeriodCondition(date_column, *plan.period));

  if (plan.shape == PlanShape::kListing) {
    if (!has_orders) throw core::Error("only orders can be listed");
    std::string sql =
        "SELECT DISTINCT o.order_id, o.order_date, o.order_status, o.total_amount, "
        "o.shipping_country FROM " +
        from + where_sql(where) + " ORDER BY o.order_date DESC, o.order_id";
    if (plan.limit > 0) sql += " LIMIT " + std::to_string(plan.limit);
    return sql;
  }
  if (plan.shape == PlanShape::kAggregate) {
    return "SELECT " + measure + " AS value FROM " + from + where_sql(where);
  }
  const std::string dimension = DimensionSql(plan.dimension, scope);
  if (dimension.empty()) {
    throw core::Error("cannot break " + MeasureName(plan.measure) + " down by " +
                      DimensionName(plan.dimension));
  }
  const bool by_time = plan.dimension == Dimension::kDay || plan.dimension == Dimension::kWeek ||
                       plan.dimension == Dimension::kMonth || plan.dimension == Dimension::kYear;
  std::string sql = "SELECT " + dimension + " AS " + DimensionName(plan.dimension) + ", " +
                    measure + " AS value FROM " + from + where_sql(where) + " GROUP BY 1";
  if (plan.shape == PlanShape::kBreakdown && by_time) {
    sql += " ORDER BY 1";
  } else {
    sql += std::string(" ORDER BY 2 ") + (plan.ascending ? "ASC" : "DESC") + " NULLS LAST, 1";
  }
  if (plan.limit > 0) sql += " LIMIT " + std::to_string(plan.limit);
  return sql;
}

}  // namespace futureim::systems::copilot
