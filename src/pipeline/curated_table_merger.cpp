#include "pipeline/curated_table_merger.h"

#include <algorithm>
#include <set>

#include "core/error.h"
#include "engine/sql_text.h"
#include "pipeline/pii_protection.h"
#include "pipeline/validation_rules.h"

namespace futureim::pipeline {

using engine::QuoteIdentifier;

namespace {

bool IsHelperColumn(const std::string& name) {
  static const std::set<std::string> kHelpers = {kOpColumn,       kSeqColumn,     kCommitTsColumn,
                                                 kRowRuleColumn,  kRefRuleColumn, kRuleColumn,
                                                 kRuleKindColumn, "_del_seq",     "commit_date"};
  return kHelpers.count(name) > 0;
}

std::vector<std::pair<std::string, std::string>> Describe(engine::Connection& connection,
                                                          const std::string& relation) {
  std::vector<std::pair<std::string, std::string>> columns;
  for (auto& row : connection.Query("DESCRIBE " + relation).FetchAllAsText()) {
    columns.emplace_back(row.at(0).value_or(""), row.at(1).value_or(""));
  }
  return columns;
}

std::string ColumnList(const std::vector<std::string>& columns, const std::string& qualifier = "") {
  std::string list;
  for (const auto& column : columns) {
    list += (list.empty() ? "" : ", ") + qualifier + QuoteIdentifier(column);
  }
  return list;
}

}  // namespace

std::string ColumnsMatch(const std::string& left, const std::vector<std::string>& left_columns,
                         const std::string& right, const std::vector<std::string>& right_columns) {
  std::string sql;
  for (size_t i = 0; i < left_columns.size() && i < right_columns.size(); ++i) {
    if (!sql.empty()) sql += " AND ";
    sql += left + "." + QuoteIdentifier(left_columns[i]) + " = " + right + "." +
           QuoteIdentifier(right_columns[i]);
  }
  return sql.empty() ? "true" : sql;
}

void CuratedTableMerger::LoadChanges(const MergeInput& input, const std::string& changes) {
  const std::string scan = files_.Scan(input.raw_files);
  std::vector<SourceColumn> columns;
  std::set<std::string> names;
  for (const auto& [name, type] : Describe(connection_, "SELECT * FROM " + scan)) {
    if (IsHelperColumn(name)) continue;
    const bool is_key = std::find(input.key_columns.begin(), input.key_columns.end(), name) !=
                        input.key_columns.end();
    columns.push_back({name, type, is_key});
    names.insert(name);
  }
  const auto rules = RowRulesFor(input.table, names, now_sql_);
  connection_.Execute("CREATE OR REPLACE TEMP TABLE " + changes + " AS SELECT " +
                      ProtectedSelectList(columns) + ", CAST(_op AS VARCHAR) AS _op, " +
                      "CAST(_seq AS BIGINT) AS _seq, _commit_ts, " + FirstFailedRuleSql(rules) +
                      " AS " + kRowRuleColumn + " FROM " + scan);
}

void CuratedTableMerger::LoadPrevious(const MergeInput& input, const std::string& previous) {
  std::string select = "SELECT *, 'S' AS _op, CAST(NULL AS VARCHAR) AS " +
                       std::string(kRowRuleColumn) + " FROM " + files_.Scan(input.previous_files);
  if (!input.previous_quarantine.empty()) {
    // Row-rule outcomes stick with the row until it changes; reference
    // outcomes are recomputed by every run.
    select += " UNION ALL BY NAME SELECT * EXCLUDE (" + std::string(kRuleColumn) + ", " +
              kRuleKindColumn + "), 'S' AS _op, CASE WHEN " + kRuleKindColumn + " = 'row' THEN " +
              kRuleColumn + " END AS " + kRowRuleColumn + " FROM " +
              files_.Scan(input.previous_quarantine);
  }
  connection_.Execute("CREATE OR REPLACE TEMP TABLE " + previous + " AS " + select);
}

MergedTable CuratedTableMerger::Merge(const MergeInput& input, const std::string& prefix) {
  if (input.previous_files.empty() && input.raw_files.empty()) {
    throw core::Error("internal: nothing to merge for " + input.table);
  }
  MergedTable merged;
  merged.state = prefix + "_state";
  merged.deleted = prefix + "_deleted";
  const std::string previous = prefix + "_previous";
  const std::string changes = prefix + "_changes";

  if (!input.previous_files.empty()) LoadPrevious(input, previous);
  if (!input.raw_files.empty()) LoadChanges(input, changes);

  // The data columns: those of the previous state and of the changes
  // together (a column added on the source appears; one dropped stays NULL
  // for new rows).
  std::vector<std::string> data_columns;
  for (const auto& relation : {previous, changes}) {
    const bool exists =
        relation == previous ? !input.previous_files.empty() : !input.raw_files.empty();
    if (!exists) continue;
    for (const auto& [name, type] : Describe(connection_, relation)) {
      if (!IsHelperColumn(name) &&
          std::find(data_columns.begin(), data_columns.end(), name) == data_columns.end()) {
        data_columns.push_back(name);
      }
    }
  }
  merged.data_columns = data_columns;
  merged.key = input.primary_key.empty() ? data_columns : input.primary_key;
  const std::string key = ColumnList(merged.key, "all_rows.");

  std::string all_rows;
  if (!input.previous_files.empty()) all_rows = "SELECT * FROM " + previous;
  if (!input.raw_files.empty()) {
    if (!all_rows.empty()) all_rows += " UNION ALL BY NAME ";
    all_rows += "SELECT * FROM " + changes + " WHERE _op <> 'T'";
  }
  const std::string truncated =
      input.raw_files.empty() ? "(SELECT CAST(NULL AS BIGINT) AS seq)"
                              : "(SELECT max(_seq) AS seq FROM " + changes + " WHERE _op = 'T')";
  // Ties on _seq only come from replayed changes (the same row twice):
  // either copy is right; prefer the previous state's for determinism.
  connection_.Execute("CREATE OR REPLACE TEMP TABLE " + merged.state +
                      " AS SELECT all_rows.* FROM (" + all_rows + ") AS all_rows, " + truncated +
                      " AS truncated WHERE truncated.seq IS NULL OR all_rows._seq > truncated.seq "
                      "QUALIFY row_number() OVER (PARTITION BY " +
                      key + " ORDER BY all_rows._seq DESC, all_rows._op = 'S' DESC) = 1");
  connection_.Execute("DELETE FROM " + merged.state + " WHERE _op = 'D'");

  // Deleted in this batch, for the ON DELETE actions of child tables: every
  // 'D' (its last image) and the rows a 'T' removed that did not come back.
  if (input.raw_files.empty()) {
    connection_.Execute("CREATE OR REPLACE TEMP TABLE " + merged.deleted + " AS SELECT *, " +
                        "CAST(NULL AS BIGINT) AS _del_seq FROM " + merged.state + " LIMIT 0");
  } else {
    std::string deleted = "SELECT *, _seq AS _del_seq FROM " + changes + " WHERE _op = 'D'";
    if (!input.previous_files.empty()) {
      deleted += " UNION ALL BY NAME SELECT previous.*, truncated.seq AS _del_seq FROM " +
                 previous + " AS previous, " + truncated +
                 " AS truncated WHERE previous._seq < truncated.seq AND NOT EXISTS (SELECT 1 "
                 "FROM " +
                 merged.state + " AS kept WHERE " +
                 ColumnsMatch("kept", merged.key, "previous", merged.key) + ")";
    }
    connection_.Execute("CREATE OR REPLACE TEMP TABLE " + merged.deleted + " AS " + deleted);
    auto stats = connection_.Query("SELECT count(*), coalesce(max(_seq), 0) FROM " + changes)
                     .FetchAllAsText();
    merged.changes = std::stoull(stats.at(0).at(0).value_or("0"));
    merged.last_seq = std::stoull(stats.at(0).at(1).value_or("0"));
    connection_.Execute("DROP TABLE " + changes);
  }
  if (!input.previous_files.empty()) connection_.Execute("DROP TABLE " + previous);
  connection_.Execute("ALTER TABLE " + merged.state + " ADD COLUMN " + kRefRuleColumn + " VARCHAR");
  return merged;
}

}  // namespace futureim::pipeline
