#include "systems/compliance/compliance_answers.h"

#include <string_view>

#include "engine/sql_text.h"
#include "systems/compliance/fraud_review_store.h"

namespace futureim::systems::compliance {
namespace {

void RequireRange(std::string_view name, double value, double low, double high) {
  if (!(value >= low && value <= high)) {
    throw std::invalid_argument(std::string(name) + " must be between " +
                                nlohmann::json(low).dump() + " and " + nlohmann::json(high).dump());
  }
}

// Rows as JSON objects: numbers and booleans as such, JSON-text columns named
// *_factors / issues_found / findings parsed, everything else as text.
nlohmann::json RowsAsJson(engine::Result result) {
  nlohmann::json rows = nlohmann::json::array();
  const auto names = result.ColumnNames();
  while (auto chunk = result.NextChunk()) {
    for (idx_t row = 0; row < chunk->Size(); ++row) {
      nlohmann::json object = nlohmann::json::object();
      for (idx_t c = 0; c < chunk->ColumnCount(); ++c) {
        const auto column = chunk->Column(c);
        const std::string& name = names[c];
        if (column.IsNull(row)) {
          object[name] = nullptr;
          continue;
        }
        switch (column.Info().type) {
          case DUCKDB_TYPE_DOUBLE:
            object[name] = column.Get<double>(row);
            break;
          case DUCKDB_TYPE_BIGINT:
            object[name] = column.Get<int64_t>(row);
            break;
          case DUCKDB_TYPE_BOOLEAN:
            object[name] = column.Get<bool>(row);
            break;
          default: {
            const std::string text = column.ToText(row).value_or("");
            if (name == "risk_factors" || name == "issues_found") {
              object[name] = nlohmann::json::parse(text, nullptr, false);
            } else {
              object[name] = text;
            }
          }
        }
      }
      rows.push_back(std::move(object));
    }
  }
  return rows;
}

void RequireRun(engine::Connection& lake) {
  const auto present =
      lake.Query(
              "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
              "'compliance_guardian' AND table_name = 'risk_scores'")
          .ScalarInt64();
  if (present.value_or(0) == 0) throw NoComplianceRun();
}

// The scored orders of the period (and of the given ids, when any), as a
// subquery over compliance_guardian.risk_scores.
std::string PeriodScores(int64_t days, const std::vector<std::string>& ids) {
  RequireRange("days", static_cast<double>(days), 1, 3650);
  std::string sql =
      "(SELECT * FROM compliance_guardian.risk_scores WHERE order_date > (SELECT max(order_date) "
      "FROM "
      "compliance_guardian.risk_scores) - INTERVAL " +
      std::to_string(days) + " DAY";
  if (!ids.empty()) {
    if (ids.size() > 1000) throw std::invalid_argument("transaction_ids holds at most 1000 ids");
    sql += " AND order_id IN (";
    for (size_t i = 0; i < ids.size(); ++i) sql += (i ? ", " : "") + engine::QuoteLiteral(ids[i]);
    sql += ")";
  }
  return sql + ")";
}

nlohmann::json Distribution(engine::Connection& lake, const std::string& scores) {
  nlohmann::json distribution = {{"low", 0}, {"medium", 0}, {"high", 0}, {"critical", 0}};
  for (const auto& row : RowsAsJson(
           lake.Query("SELECT risk_category, count(*) AS n FROM " + scores + " GROUP BY 1"))) {
    distribution[row["risk_category"].get<std::string>()] = row["n"];
  }
  return distribution;
}

}  // namespace

nlohmann::json FraudDetection(engine::Connection& lake, const TransactionQuery& query) {
  RequireRun(lake);
  const std::string scores = PeriodScores(query.days, query.transaction_ids);
  const std::string probability = "round(coalesce(fraud_probability, risk_score / 100.0), 4)";
  auto predictions =
      RowsAsJson(lake.Query("SELECT order_id AS transaction_id, " + probability +
                            " AS fraud_probability, risk_category AS fraud_risk_level, "
                            "is_high_risk AS is_anomaly, risk_factors FROM " +
                            scores + " ORDER BY risk_score DESC, order_id LIMIT 1000"));
  auto top =
      RowsAsJson(lake.Query("SELECT order_id AS transaction_id, " + probability +
                            " AS fraud_probability, round(amount, 2) AS amount FROM " + scores +
                            " WHERE is_high_risk ORDER BY risk_score DESC, order_id LIMIT 50"));
  auto patterns = RowsAsJson(lake.Query(
      "SELECT count(*) AS total, count(*) FILTER (WHERE is_high_risk) AS high_risk_count, "
      "round(100.0 * count(*) FILTER (WHERE is_high_risk) / greatest(count(*), 1), 2) AS "
      "high_risk_pct, "
      "round(avg(amount) FILTER (WHERE is_high_risk), 2) AS avg_amount_high_risk, "
      "round(median(amount) FILTER (WHERE is_high_risk), 2) AS median_amount_high_risk, "
      "round(avg(coalesce(fraud_probability, risk_score / 100.0)), 4) AS avg_probability FROM " +
      scores));
  if (patterns.at(0).at("total").get<int64_t>() == 0) {
    throw std::out_of_range("no scored transactions in the period");
  }
  nlohmann::json pattern = patterns.at(0);
  pattern["risk_distribution"] = Distribution(lake, scores);
  nlohmann::json hours = nlohmann::json::array();
  for (const auto& row : RowsAsJson(
           lake.Query("SELECT CAST(hour(order_date) AS BIGINT) AS hour, count(*) AS n FROM " +
                      scores + " WHERE is_high_risk GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3"))) {
    hours.push_back(row["hour"]);
  }
  pattern["common_hours_utc"] = hours;
  return {{"predictions", predictions}, {"fraudulent_transactions", top}, {"patterns", pattern}};
}

nlohmann::json RiskScores(engine::Connection& lake, const TransactionQuery& query) {
  RequireRun(lake);
  const std::string scores = PeriodScores(query.days, query.transaction_ids);
  auto rows = RowsAsJson(
      lake.Query("SELECT order_id AS transaction_id, round(risk_score, 2) AS risk_score, "
                 "risk_category AS risk_level, is_high_risk, risk_factors FROM " +
                 scores + " ORDER BY risk_score DESC, order_id LIMIT 1000"));
  if (rows.empty()) throw std::out_of_range("no scored transactions in the period");
  auto top = RowsAsJson(
      lake.Query("SELECT order_id AS transaction_id, round(risk_score, 2) AS risk_score, "
                 "round(amount, 2) AS amount FROM " +
                 scores + " WHERE is_high_risk ORDER BY risk_score DESC, order_id LIMIT 50"));
  return {{"risk_scores", rows},
          {"high_risk_transactions", top},
          {"distribution", Distribution(lake, scores)}};
}

nlohmann::json HighRiskTransactions(engine::Connection& lake, int64_t days, double threshold,
                                    int64_t limit) {
  RequireRange("threshold", threshold, 0, 100);
  RequireRange("limit", static_cast<double>(limit), 1, 1000);
  RequireRun(lake);
  auto rows = RowsAsJson(
      lake.Query("SELECT order_id AS transaction_id, customer_id, round(amount, 2) AS amount, "
                 "round(risk_score, 2) AS "
                 "risk_score, risk_category AS risk_level, CAST(order_date AS VARCHAR) AS "
                 "order_date, risk_factors FROM " +
                     PeriodScores(days, {}) +
                     " WHERE risk_score >= $1 ORDER BY risk_score DESC, order_id LIMIT $2",
                 threshold, limit));
  const size_t count = rows.size();
  return {{"high_risk_transactions", std::move(rows)}, {"count", count}, {"threshold", threshold}};
}

nlohmann::json FraudStatistics(engine::Connection& lake, int64_t days) {
  RequireRun(lake);
  const std::string scores = PeriodScores(days, {});
  const std::string measures =
      "count(*) AS total_transactions, round(sum(amount), 2) AS total_amount, "
      "count(*) FILTER (WHERE is_high_risk) AS flagged_transactions, "
      "round(coalesce(sum(amount) FILTER (WHERE is_high_risk), 0), 2) AS flagged_amount, "
      "round(avg(risk_score), 2) AS avg_risk_score";
  auto summary = RowsAsJson(lake.Query("SELECT " + measures + " FROM " + scores)).at(0);
  const auto total = summary["total_transactions"].get<int64_t>();
  if (total == 0) throw std::out_of_range("no scored transactions in the period");
  nlohmann::json out_summary = {
      {"total_transactions", total},
      {"total_amount", summary["total_amount"]},
      {"total_flagged", summary["flagged_transactions"]},
      {"total_flagged_amount", summary["flagged_amount"]},
      {"fraud_rate",
       100.0 * summary["flagged_transactions"].get<double>() / static_cast<double>(total)},
      {"avg_risk_score", summary["avg_risk_score"]}};
  auto daily = RowsAsJson(lake.Query("SELECT CAST(CAST(order_date AS DATE) AS VARCHAR) AS date, " +
                                     measures + " FROM " + scores + " GROUP BY 1 ORDER BY 1"));
  return {{"summary", out_summary}, {"daily_statistics", daily}, {"period_days", days}};
}

nlohmann::json ComplianceReport(engine::Connection& lake, int64_t days) {
  RequireRun(lake);
  auto checks =
      RowsAsJson(lake.Query("SELECT check_id, requirement, compliance_status, severity, "
                            "issues_found, remediation_notes FROM "
                            "compliance_guardian.compliance_checks ORDER BY check_id"));
  size_t passed = 0;
  for (const auto& check : checks) passed += check["compliance_status"] == "compliant" ? 1 : 0;
  const double score =
      checks.empty() ? 0.0
                     : 100.0 * static_cast<double>(passed) / static_cast<double>(checks.size());
  const std::string scores = PeriodScores(days, {});
  auto fraud =
      RowsAsJson(
          lake.Query(
              "SELECT count(*) AS detections, count(*) FILTER (WHERE investigation_status = "
              "'confirmed') AS confirmed, count(*) FILTER (WHERE investigation_status = "
              "'dismissed') AS dismissed, count(*) FILTER (WHERE investigation_status = 'pending') "
              "AS pending FROM compliance_guardian.fraud_detections WHERE order_id IN (SELECT "
              "order_id FROM " +
              scores + ")"))
          .at(0);
  fraud["by_type"] =
      RowsAsJson(lake.Query("SELECT fraud_type, count(*) AS detections FROM "
                            "compliance_guardian.fraud_detections WHERE order_id IN "
                            "(SELECT order_id FROM " +
                            scores + ") GROUP BY 1 ORDER BY 2 DESC, 1"));
  auto risk =
      RowsAsJson(
          lake.Query(
              "SELECT count(*) AS transactions, round(avg(risk_score), 2) AS avg_risk_score, "
              "round(max(risk_score), 2) AS max_risk_score FROM " +
              scores))
          .at(0);
  risk["distribution"] = Distribution(lake, scores);
  return {{"pci_compliance",
           {{"compliance_score", score},
            {"overall_compliant", passed == checks.size()},
            {"checks", checks}}},
          {"fraud_analysis", fraud},
          {"risk_analysis", risk},
          {"report_period_days", days}};
}

nlohmann::json ReviewDetection(engine::Connection& lake, metadata::MetadataDb& metadata,
                               const std::string& detection_id, const std::string& verdict,
                               const std::string& reviewer, const std::string& notes,
                               int64_t now_ms) {
  const ReviewVerdict parsed = ParseReviewVerdict(verdict);
  RequireRun(lake);
  const auto order =
      lake.Query(
              "SELECT order_id FROM compliance_guardian.fraud_detections WHERE detection_id = $1",
              detection_id)
          .ScalarText();
  if (!order) throw std::out_of_range("no fraud detection " + detection_id);
  FraudReviewStore(metadata).Record(*order, parsed, reviewer, notes, now_ms);
  return {{"detection_id", detection_id},
          {"order_id", *order},
          {"verdict", verdict},
          {"reviewer", reviewer},
          {"used_from", "the next compliance_guardian run"}};
}

}  // namespace futureim::systems::compliance
