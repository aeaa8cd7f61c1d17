#include "pipeline/validation_rules.h"

#include "engine/sql_text.h"

namespace futureim::pipeline {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

namespace {

struct RuleTemplate {
  const char* table;
  const char* column;
  const char* suffix;  // rule name after "<table>."
  const char* kind;    // "positive", "non_negative", "not_future", "email", "rating"
};

// The original's rules (REFERENCE.md §2.3: orders total > 0 and no future
// order date, customers' email and created_at, products' price >= 0) plus
// the ones the schema implies (amounts never negative, quantities positive,
// ratings 1..5, event times not in the future).
constexpr RuleTemplate kRules[] = {
    {"orders", "total_amount", "total_amount_positive", "positive"},
    {"orders", "tax_amount", "tax_amount_non_negative", "non_negative"},
    {"orders", "shipping_amount", "shipping_amount_non_negative", "non_negative"},
    {"orders", "discount_amount", "discount_amount_non_negative", "non_negative"},
    {"orders", "order_date", "order_date_not_future", "not_future"},
    {"customers", "email", "email_well_formed", "email"},
    {"customers", "created_at", "created_at_not_future", "not_future"},
    {"products", "price", "price_non_negative", "non_negative"},
    {"products", "cost", "cost_non_negative", "non_negative"},
    {"order_items", "quantity", "quantity_positive", "positive"},
    {"order_items", "unit_price", "unit_price_non_negative", "non_negative"},
    {"order_items", "total_amount", "total_amount_non_negative", "non_negative"},
    {"payments", "amount", "amount_non_negative", "non_negative"},
    {"payments", "payment_date", "payment_date_not_future", "not_future"},
    {"shipments", "shipping_cost", "shipping_cost_non_negative", "non_negative"},
    {"shipments", "shipped_date", "shipped_date_not_future", "not_future"},
    {"reviews", "rating", "rating_between_1_and_5", "rating"},
    {"reviews", "created_at", "created_at_not_future", "not_future"},
    {"inventory", "quantity_available", "quantity_available_non_negative", "non_negative"},
    {"inventory", "quantity_reserved", "quantity_reserved_non_negative", "non_negative"},
    {"promotions", "discount_value", "discount_value_non_negative", "non_negative"},
};

std::string FailureSql(const std::string& kind, const std::string& column,
                       const std::string& now_sql) {
  if (kind == "positive") return column + " <= 0";
  if (kind == "non_negative") return column + " < 0";
  if (kind == "rating") return column + " NOT BETWEEN 1 AND 5";
  if (kind == "not_future") {
    return "CAST(" + column + " AS TIMESTAMPTZ) > " + now_sql + " + INTERVAL 1 HOUR";
  }
  // email: one '@', a non-empty local part, a dotted domain, no spaces.
  return "NOT regexp_full_match(CAST(" + column + " AS VARCHAR), '[^@\\s]+@[^@\\s]+\\.[^@\\s.]+')";
}

}  // namespace

std::vector<RowRule> RowRulesFor(const std::string& table, const std::set<std::string>& columns,
                                 const std::string& now_sql) {
  std::vector<RowRule> rules;
  for (const auto& rule : kRules) {
    if (table != rule.table || columns.count(rule.column) == 0) continue;
    rules.push_back(
        {table + "." + rule.suffix, FailureSql(rule.kind, QuoteIdentifier(rule.column), now_sql)});
  }
  return rules;
}

std::string FirstFailedRuleSql(const std::vector<RowRule>& rules) {
  if (rules.empty()) return "CAST(NULL AS VARCHAR)";
  std::string sql = "CASE";
  for (const auto& rule : rules) {
    sql += " WHEN coalesce(" + rule.failure_sql + ", false) THEN " + QuoteLiteral(rule.name);
  }
  return sql + " END";
}

std::string ReferenceRuleName(const std::string& fk_name) { return "foreign_key." + fk_name; }

}  // namespace futureim::pipeline
