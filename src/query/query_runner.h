#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/duckdb.h"
#include "query/lake_views.h"
#include "query/read_only_query_guard.h"

namespace futureim::query {

// Limits of one query.
struct QueryLimits {
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  // Rows returned at most; the result says when there were more.
  uint64_t max_rows = 10'000;
};

// Limits of the query database (shared by all queries of a runner).
struct QueryDatabaseOptions {
  std::string memory_limit = "1GB";  // DuckDB syntax: "512MB", "2GB"
  uint32_t threads = 0;              // 0: DuckDB's default (one per core)
  size_t max_sql_bytes = ReadOnlyQueryGuard::kDefaultMaxSqlBytes;
  // The lake's Parquet key (secret lake.encryption_key, base64), to read
  // encrypted curated and prod runs; empty: those views are skipped.
  std::string lake_key = "";
};

// How a column's values are rendered as JSON (result_format.h).
enum class JsonKind {
  kBoolean,  // true / false
  kNumber,   // integers of every width, FLOAT, DOUBLE (non-finite as a string)
  kString,   // everything else, including DECIMAL (exact, as a string) and
             // nested types (LIST, STRUCT, MAP: DuckDB's text, "[1, 2]")
  kBlob,     // base64 string
};

struct QueryColumn {
  std::string name;
  std::string type;  // SQL spelling: "BIGINT", "DECIMAL(18,2)", "VARCHAR"
  JsonKind json_kind = JsonKind::kString;
};

// One value: nullopt for NULL, else its text as DuckDB's CAST(x AS VARCHAR)
// prints it (engine/text.h) — except BLOB columns, which hold the raw bytes.
using QueryValue = std::optional<std::string>;

struct QueryResult {
  std::vector<QueryColumn> columns;
  std::vector<std::vector<QueryValue>> rows;
  // More rows existed than QueryLimits::max_rows; only the first ones are here.
  bool truncated = false;
  std::chrono::microseconds elapsed{0};
};

// A connection to a query database for SQL the product writes itself (the
// analytics systems' on-demand answers behind their routes). It is not
// guarded (user SQL goes through QueryRunner::Run), but it is still bound by
// the database's lock-down: it reads only the lake views' files and writes
// no file; TEMP tables live in memory. One thread at a time; it keeps its
// database alive across QueryRunner::Refresh.
class LakeSession {
 public:
  engine::Connection& connection() { return connection_; }

 private:
  friend class QueryRunner;
  LakeSession(std::shared_ptr<const void> database, engine::Connection connection)
      : database_(std::move(database)), connection_(std::move(connection)) {}

  std::shared_ptr<const void> database_;  // declared first: outlives the connection
  engine::Connection connection_;
};

// Read-only SQL over the lake: the library call behind `futureim query` and
// POST /query. It owns one in-memory DuckDB with the lake views
// (lake_views.h), locked down to their files (connection_lockdown.h); each
// Run checks the SQL with ReadOnlyQueryGuard and runs it on a connection of
// its own, so Run may be called from several threads at once.
class QueryRunner {
 public:
  // Builds the views over the lake at `lake_root` as it is now.
  explicit QueryRunner(std::filesystem::path lake_root, QueryDatabaseOptions options = {});

  // Throws QueryError: kRejected, kInvalid, kTimedOut ("query timed out after
  // N s") or kFailed.
  QueryResult Run(std::string_view sql, const QueryLimits& limits) const;

  // A trusted connection on the current views (see LakeSession).
  LakeSession OpenSession() const;

  // Rebuilds the views over the lake as it is now (new commits, new runs).
  // Queries already running finish on the database they started with.
  void Refresh();

  // What the current views are, and which tables were skipped and why.
  LakeViewCatalog Catalog() const;

 private:
  struct QueryDatabase;
  std::shared_ptr<const QueryDatabase> Current() const;

  std::filesystem::path lake_root_;
  QueryDatabaseOptions options_;
  ReadOnlyQueryGuard guard_;
  mutable std::mutex mutex_;
  std::shared_ptr<const QueryDatabase> database_;
};

}  // namespace futureim::query
