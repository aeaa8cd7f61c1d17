#include "pipeline/quality_score.h"

#include <algorithm>

#include "engine/sql_text.h"

namespace futureim::pipeline {

using engine::QuoteIdentifier;

nlohmann::json QualityScore::ToJson() const {
  return {{"rows", rows},
          {"completeness", completeness},
          {"validity", validity},
          {"consistency", consistency},
          {"uniqueness", uniqueness},
          {"overall", overall},
          // The catalog's contract (docs/ARCHITECTURE.md, "Catalog"): a run's
          // quality.score is the table's one figure.
          {"score", overall}};
}

QualityScore QualityScore::FromJson(const nlohmann::json& json) {
  QualityScore score;
  score.rows = json.value("rows", uint64_t{0});
  score.completeness = json.value("completeness", 1.0);
  score.validity = json.value("validity", 1.0);
  score.consistency = json.value("consistency", 1.0);
  score.uniqueness = json.value("uniqueness", 1.0);
  score.overall = json.value("overall", 1.0);
  return score;
}

QualityScore MeasureQuality(engine::Connection& connection, const std::string& table,
                            const std::vector<std::string>& columns,
                            const std::vector<std::string>& key_columns,
                            const std::string& row_rule_column,
                            const std::string& reference_rule_column) {
  std::string null_cells = "0";
  for (const auto& column : columns) {
    null_cells += " + CAST(" + QuoteIdentifier(column) + " IS NULL AS BIGINT)";
  }
  auto counts =
      connection
          .Query("SELECT count(*), coalesce(sum(" + null_cells + "), 0), count(*) FILTER (WHERE " +
                 QuoteIdentifier(row_rule_column) + " IS NULL), count(*) FILTER (WHERE " +
                 QuoteIdentifier(reference_rule_column) + " IS NULL) FROM " + table)
          .FetchAllAsText();
  const auto number = [&](size_t column) { return std::stod(counts.at(0).at(column).value()); };
  QualityScore score;
  score.rows = static_cast<uint64_t>(number(0));
  if (score.rows == 0) return score;
  const double rows = static_cast<double>(score.rows);

  std::string non_key;
  for (const auto& column : columns) {
    if (std::find(key_columns.begin(), key_columns.end(), column) != key_columns.end()) continue;
    non_key += (non_key.empty() ? "" : ", ") + QuoteIdentifier(column);
  }
  double distinct = rows;
  if (!non_key.empty()) {
    distinct = static_cast<double>(
        *connection
             .Query("SELECT count(*) FROM (SELECT DISTINCT " + non_key + " FROM " + table + ")")
             .ScalarInt64());
  }
  const double cells = rows * static_cast<double>(std::max<size_t>(columns.size(), 1));
  score.completeness = columns.empty() ? 1.0 : 1.0 - number(1) / cells;
  score.validity = number(2) / rows;
  score.consistency = number(3) / rows;
  score.uniqueness = distinct / rows;
  score.overall = 0.3 * score.completeness + 0.3 * score.validity + 0.2 * score.consistency +
                  0.2 * score.uniqueness;
  return score;
}

}  // namespace futureim::pipeline
