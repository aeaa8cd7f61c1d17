#include "systems/copilot/retail_copilot.h"

#include <cmath>
#include <cstdio>

#include "query/query_error.h"
#include "query/result_format.h"

namespace futureim::systems::copilot {

namespace {

// "12,345.67" (two decimals for money, none for counts).
std::string FormatValue(const std::optional<std::string>& text, bool money) {
  if (!text) return "none";
  double value = 0;
  try {
    value = std::stod(*text);
  } catch (const std::exception&) {
    return *text;
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, money ? "%.2f" : "%.0f", value);
  std::string digits(buffer);
  const size_t point = digits.find('.');
  size_t end = point == std::string::npos ? digits.size() : point;
  const size_t first = digits[0] == '-' ? 1 : 0;
  for (size_t i = end; i > first + 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

bool IsMoney(Measure measure) {
  return measure == Measure::kRevenue || measure == Measure::kAverageOrder ||
         measure == Measure::kAveragePrice;
}

std::string MeasureLabel(Measure measure) {
  switch (measure) {
    case Measure::kRevenue:
      return "revenue (excluding cancelled and returned orders)";
    case Measure::kOrders:
      return "orders";
    case Measure::kUnits:
      return "units sold";
    case Measure::kAverageOrder:
      return "average order value";
    case Measure::kBuyers:
      return "customers who ordered";
    case Measure::kCustomers:
      return "customers";
    case Measure::kProducts:
      return "products";
    case Measure::kAveragePrice:
      return "average list price";
    case Measure::kStock:
      return "units in stock";
    case Measure::kLowStock:
      return "products at or below their reorder point in a warehouse";
    case Measure::kOutOfStock:
      return "products out of stock in a warehouse";
    case Measure::kNone:
      break;
  }
  return "value";
}

std::string Scope(const SemanticPlan& plan) {
  std::string out;
  for (const auto& [kind, values] : plan.filters) {
    std::string list;
    for (size_t i = 0; i < values.size(); ++i) list += (i ? " or " : "") + values[i];
    out += ", " + kind + " " + list;
  }
  if (plan.min_amount)
    out += ", amount over " + FormatValue(std::to_string(*plan.min_amount), true);
  if (plan.max_amount)
    out += ", amount under " + FormatValue(std::to_string(*plan.max_amount), true);
  if (plan.period && plan.shape != PlanShape::kComparison) {
    out += ", " + plan.period->label + " (" + IsoDate(plan.period->start) + " to " +
           IsoDate(plan.period->end - 1) + ")";
  } else if (!plan.period) {
    out += ", all time";
  }
  return out;
}

}  // namespace

std::string DescribeAnswer(const SemanticPlan& plan, const query::QueryResult& result) {
  const bool money = IsMoney(plan.measure);
  std::string label = MeasureLabel(plan.measure);
  label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  const std::string scope = Scope(plan);
  switch (plan.shape) {
    case PlanShape::kAggregate:
      return label + scope + ": " + FormatValue(result.rows.at(0).at(0), money) + ".";
    case PlanShape::kComparison: {
      const auto& row = result.rows.at(0);
      std::string text = label + scope + ": " + FormatValue(row[0], money) + " in " +
                         plan.period->label + " vs " + FormatValue(row[1], money) + " in " +
                         plan.compared_with->label;
      if (row[0] && row[1] && std::stod(*row[1]) != 0) {
        const double change = 100.0 * (std::stod(*row[0]) / std::stod(*row[1]) - 1.0);
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, " (%+.1f%%)", change);
        text += buffer;
      }
      return text + ".";
    }
    case PlanShape::kListing:
      return std::to_string(result.rows.size()) + (result.rows.size() == 1 ? " order" : " orders") +
             scope +
             (plan.limit > 0 && result.rows.size() == static_cast<size_t>(plan.limit)
                  ? " (the " + std::to_string(plan.limit) + " most recent)"
                  : "") +
             ".";
    case PlanShape::kRanking:
    case PlanShape::kBreakdown: {
      if (result.rows.empty())
        return "No " + DimensionName(plan.dimension) + " has any " + MeasureLabel(plan.measure) +
               scope + ".";
      std::string text = label + " by " + DimensionName(plan.dimension) + scope + ": ";
      const size_t shown = std::min<size_t>(result.rows.size(), 5);
      for (size_t i = 0; i < shown; ++i) {
        text += (i ? "; " : "") + result.rows[i][0].value_or("(none)") + " " +
                FormatValue(result.rows[i][1], money);
      }
      if (result.rows.size() > shown)
        text += "; and " + std::to_string(result.rows.size() - shown) + " more";
      return text + ".";
    }
  }
  return "";
}

nlohmann::json CopilotReply::ToJson() const {
  nlohmann::json json = {{"kind", kind},
                         {"answer", text},
                         {"sql", sql},
                         {"intent", intent},
                         {"confidence", confidence}};
  if (kind == "answer") {
    json["columns"] = nlohmann::json::array();
    for (const auto& column : result.columns) json["columns"].push_back(column.name);
    json["rows"] = nlohmann::json::parse(query::FormatAsJson(result));
    json["truncated"] = result.truncated;
  } else {
    json["columns"] = nlohmann::json::array();
    json["rows"] = nlohmann::json::array();
    json["truncated"] = false;
  }
  json["plan"] = plan ? plan->ToJson() : nlohmann::json(nullptr);
  return json;
}

RetailCopilot::RetailCopilot(const query::QueryRunner& runner, CopilotLimits limits)
    : runner_(runner),
      limits_(limits),
      understanding_(StoreVocabulary::Load(runner), ml::TextClassifier::Train(IntentCorpus())) {}

CopilotReply RetailCopilot::Answer(std::string_view question,
                                   const std::optional<SemanticPlan>& previous,
                                   int64_t today) const {
  const Understanding understanding = understanding_.Understand(question, previous, today);
  CopilotReply reply;
  reply.intent = understanding.intent;
  reply.confidence = understanding.confidence;
  switch (understanding.outcome) {
    case Understanding::Outcome::kRefuse:
      reply.kind = "refusal";
      reply.text = understanding.message;
      return reply;
    case Understanding::Outcome::kClarify:
    case Understanding::Outcome::kSmallTalk:
      reply.kind = "clarification";
      reply.text = understanding.message;
      reply.plan = previous;  // the conversation keeps its context
      return reply;
    case Understanding::Outcome::kInsight: {
      auto insight = AnswerInsight(understanding.insight_topic);
      insight.intent = reply.intent;
      insight.confidence = reply.confidence;
      return insight;
    }
    case Understanding::Outcome::kPlan:
      break;
  }
  reply.plan = understanding.plan;
  reply.sql = CompilePlan(understanding.plan);
  try {
    reply.result =
        runner_.Run(reply.sql, {.timeout = limits_.timeout, .max_rows = limits_.max_rows});
  } catch (const query::QueryError& e) {
    reply.kind = "clarification";
    reply.text = std::string("I could not compute that: ") + e.what() + ".";
    return reply;
  }
  reply.kind = "answer";
  reply.text = DescribeAnswer(understanding.plan, reply.result);
  return reply;
}

CopilotReply RetailCopilot::AnswerInsight(const std::string& topic) const {
  // The analytics systems' outputs, when their batch runs have published them.
  struct Source {
    const char* topic;
    const char* schema;
    const char* table;
    std::vector<const char*> order_columns;
  };
  static const Source kSources[] = {
      {"churn", "demand_insights_engine", "customer_lifetime_value", {"churn_probability"}},
      {"lifetime_value",
       "demand_insights_engine",
       "customer_lifetime_value",
       {"predicted_clv", "clv", "lifetime_value"}},
      {"segments", "demand_insights_engine", "customer_segments", {"monetary", "segment"}},
      {"fraud", "compliance_guardian", "fraud_detections", {"risk_score", "anomaly_score"}},
      {"forecast",
       "market_intelligence_hub",
       "market_intelligence_forecasts",
       {"forecast_date", "date"}},
      {"opportunities",
       "global_market_pulse",
       "market_opportunities",
       {"opportunity_score", "score"}},
      {"recommendations", "retail_copilot", "product_recommendations", {"score"}},
  };
  CopilotReply reply;
  for (const auto& source : kSources) {
    if (topic != source.topic) continue;
    const auto catalog = runner_.Catalog();
    bool present = false;
    for (const auto& view : catalog.views)
      present |= view.schema == source.schema && view.name == source.table;
    const std::string name = std::string(source.schema) + "." + source.table;
    if (!present) {
      reply.kind = "clarification";
      reply.text = "That comes from " + name +
                   ", which has not been published yet (run `futureim systems run all`).";
      return reply;
    }
    const auto columns = runner_.Run("SELECT * FROM " + name + " LIMIT 0", {}).columns;
    std::string order;
    for (const char* wanted : source.order_columns)
      for (const auto& column : columns)
        if (order.empty() && column.name == wanted) order = column.name;
    reply.sql = "SELECT * FROM " + name +
                (order.empty() ? "" : " ORDER BY \"" + order + "\" DESC") + " LIMIT 20";
    try {
      reply.result =
          runner_.Run(reply.sql, {.timeout = limits_.timeout, .max_rows = limits_.max_rows});
    } catch (const query::QueryError& e) {
      reply.kind = "clarification";
      reply.text = std::string("I could not read ") + name + ": " + e.what() + ".";
      return reply;
    }
    reply.kind = "answer";
    reply.text = "The first " + std::to_string(reply.result.rows.size()) + " rows of " + name +
                 (order.empty() ? "" : " by " + order) + ".";
    return reply;
  }
  reply.kind = "clarification";
  reply.text = "I don't have that analysis.";
  return reply;
}

}  // namespace futureim::systems::copilot
