#pragma once

// The data-quality score of one curated table, stored with each run
// (SPEC.md §3). Every measure is a fraction in [0, 1] over the table's
// current rows — published and quarantined together, since quality
// describes what the source holds — and 1 for an empty table:
//
//   completeness  1 − NULL cells / all cells (over the protected columns)
//   validity      rows that pass every row rule / rows
//   consistency   rows whose foreign keys resolve (reference rules) / rows
//   uniqueness    rows that are not a copy of another row apart from their
//                 primary key / rows (the merge makes keys unique, so this
//                 counts what the original counted as duplicate rows)
//   overall       0.3 completeness + 0.3 validity + 0.2 consistency
//                 + 0.2 uniqueness (the original's weights, REFERENCE.md §2.3)

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/duckdb.h"

namespace futureim::pipeline {

struct QualityScore {
  uint64_t rows = 0;
  double completeness = 1;
  double validity = 1;
  double consistency = 1;
  double uniqueness = 1;
  double overall = 1;

  nlohmann::json ToJson() const;
  static QualityScore FromJson(const nlohmann::json& json);
};

// Measures `table` (a DuckDB table or view) whose data columns are
// `columns`, key `key_columns`, and whose rule outcomes are in the columns
// `row_rule_column` and `reference_rule_column` (NULL: passed).
QualityScore MeasureQuality(engine::Connection& connection, const std::string& table,
                            const std::vector<std::string>& columns,
                            const std::vector<std::string>& key_columns,
                            const std::string& row_rule_column,
                            const std::string& reference_rule_column);

}  // namespace futureim::pipeline
