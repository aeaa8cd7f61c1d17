#pragma once

// The incremental merge of one table: the previous curated state (published
// rows and quarantined rows of the current run) plus the raw changes not yet
// merged give the table's current state, in a DuckDB temporary table.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/duckdb.h"
#include "lake/parquet_files.h"

namespace futureim::pipeline {

// Helper columns of the state table next to the protected data columns.
inline constexpr const char* kOpColumn = "_op";    // 'S' previous state, else raw _op
inline constexpr const char* kSeqColumn = "_seq";  // the row's last change
inline constexpr const char* kCommitTsColumn = "_commit_ts";
inline constexpr const char* kRowRuleColumn = "_row_rule";  // first row rule failed, or NULL
inline constexpr const char* kRefRuleColumn = "_ref_rule";  // first reference rule failed, or NULL
// Columns of quarantine files.
inline constexpr const char* kRuleColumn = "_rule";
inline constexpr const char* kRuleKindColumn = "_rule_kind";  // 'row' or 'reference'

struct MergeInput {
  std::string table;                     // curated name (rules are looked up by it)
  std::vector<std::string> primary_key;  // empty: the whole row is the key
  std::vector<std::string> key_columns;  // primary and foreign key columns (kept verbatim)
  std::vector<std::filesystem::path> previous_files;       // published rows of the current run
  std::vector<std::filesystem::path> previous_quarantine;  // its quarantined rows
  std::vector<std::filesystem::path> raw_files;            // committed raw files not yet merged
};

struct MergedTable {
  std::string state;    // temp table: the current rows (data columns + helper columns)
  std::string deleted;  // temp table: rows deleted in this batch, with _del_seq
  std::vector<std::string> data_columns;  // protected columns, in order
  std::vector<std::string> key;           // what identifies a row (primary key or all columns)
  uint64_t changes = 0;                   // raw rows read
  uint64_t last_seq = 0;                  // highest _seq merged (0: none)
};

// Merges by _seq, never by file order: per key the change with the highest
// _seq wins (the previous state's row counts with its recorded _seq), a 'D'
// as the winner removes the key, and a 'T' at _seq S discards every row and
// change with a smaller _seq. Replaying changes already merged is harmless
// (same _seq, same row), which is what lets a run re-read from the oldest
// commit any table has merged. Raw values are protected (pii_protection.h)
// and checked against the row rules as they are read; the raw values never
// reach the state table.
class CuratedTableMerger {
 public:
  // `now_sql`: the run's clock as a TIMESTAMPTZ literal (row rules).
  CuratedTableMerger(engine::Connection& connection, const lake::ParquetFiles& files,
                     std::string now_sql)
      : connection_(connection), files_(files), now_sql_(std::move(now_sql)) {}

  // `prefix` names the temporary tables (unique per table in a run).
  MergedTable Merge(const MergeInput& input, const std::string& prefix);

 private:
  void LoadChanges(const MergeInput& input, const std::string& changes);
  void LoadPrevious(const MergeInput& input, const std::string& previous);

  engine::Connection& connection_;
  const lake::ParquetFiles& files_;
  std::string now_sql_;
};

// "a.x = b.x AND a.y = b.y" over the column lists (same length).
std::string ColumnsMatch(const std::string& left, const std::vector<std::string>& left_columns,
                         const std::string& right, const std::vector<std::string>& right_columns);

}  // namespace futureim::pipeline
