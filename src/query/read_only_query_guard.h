#pragma once

#include <cstddef>
#include <string_view>

#include "engine/duckdb.h"

namespace futureim::query {

// Decides whether a SQL text is exactly one read-only query and, if so,
// prepares it. Every decision is DuckDB's own parser or binder, never a
// pattern over the text:
//
//   1. the text itself: not empty, not over the size limit, valid UTF-8,
//      no NUL byte (DuckDB's C API would cut the text at a NUL);
//   2. DuckDB splits it into statements (duckdb_extract_statements): exactly
//      one, so "SELECT 1; DROP ..." and comment-only texts are refused;
//   3. DuckDB's parser serializes it (json_serialize_sql), which it only does
//      for a SELECT; the syntax tree is then walked: table functions must be
//      on a short allow-list (range, unnest, catalog listings), so read_csv,
//      read_parquet, read_text, glob, query(), sniff_csv, parquet_metadata,
//      duckdb_settings... are refused wherever they appear (CTE, subquery,
//      join); scalar functions and built-in views that read the
//      configuration (current_setting, pg_settings) are refused; FROM
//      '<file>' (a replacement scan) is refused;
//   4. DuckDB binds it (duckdb_prepare_extracted_statement) and must classify
//      it as DUCKDB_STATEMENT_TYPE_SELECT.
//
// Accepted: SELECT, WITH … SELECT, VALUES, a parenthesised query, FROM-first
// queries, DESCRIBE/SHOW/SUMMARIZE of a view. Refused: everything else,
// including EXPLAIN (EXPLAIN ANALYZE runs the query with no row limit) and
// PIVOT without an explicit IN list (DuckDB runs it as two statements, the
// first creating a type; PIVOT … ON col IN (…) is one query and works).
//
// The connection must already be locked down (connection_lockdown.h):
// binding resolves views and reads Parquet footers, and the lock-down is
// what keeps even a statement this guard let through away from any file
// that is not part of a lake view.
class ReadOnlyQueryGuard {
 public:
  static constexpr size_t kDefaultMaxSqlBytes = size_t{1} << 20;

  explicit ReadOnlyQueryGuard(size_t max_sql_bytes = kDefaultMaxSqlBytes)
      : max_sql_bytes_(max_sql_bytes) {}

  // The statement, prepared and ready to execute. Throws QueryError
  // (kRejected, or kInvalid for SQL DuckDB cannot parse or bind); a
  // DuckDbError that IsInterrupt() passes through unchanged.
  engine::PreparedStatement Prepare(engine::Connection& connection, std::string_view sql) const;

 private:
  size_t max_sql_bytes_;
};

}  // namespace futureim::query
