#include "query/query_runner.h"

#include <algorithm>
#include <optional>

#include "engine/sql_text.h"
#include "lake/parquet_encryption.h"
#include "query/connection_lockdown.h"
#include "query/interrupt_watchdog.h"
#include "query/query_error.h"

namespace futureim::query {

using engine::QuoteIdentifier;
namespace {

JsonKind JsonKindOf(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
      return JsonKind::kBoolean;
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_UHUGEINT:
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
      return JsonKind::kNumber;
    case DUCKDB_TYPE_BLOB:
      return JsonKind::kBlob;
    default:
      return JsonKind::kString;
  }
}

std::string Seconds(std::chrono::milliseconds duration) {
  const auto millis = duration.count();
  if (millis % 1000 == 0) return std::to_string(millis / 1000) + " s";
  return std::to_string(millis / 1000) + "." + std::to_string(millis % 1000 / 100) + " s";
}

// Appends rows of `chunk` to `rows` until `max_rows` are there; returns
// whether the chunk had rows left over.
bool AppendRows(const engine::DataChunk& chunk, uint64_t max_rows,
                std::vector<std::vector<QueryValue>>& rows) {
  std::vector<engine::ColumnView> columns;
  for (idx_t c = 0; c < chunk.ColumnCount(); ++c) columns.push_back(chunk.Column(c));
  for (idx_t r = 0; r < chunk.Size(); ++r) {
    if (rows.size() >= max_rows) return true;
    auto& row = rows.emplace_back();
    row.reserve(columns.size());
    for (const engine::ColumnView& column : columns) {
      if (column.Info().type == DUCKDB_TYPE_BLOB) {
        row.push_back(column.IsNull(r) ? QueryValue{}
                                       : QueryValue{std::string(column.GetString(r))});
      } else {
        row.push_back(column.ToText(r));
      }
    }
  }
  return false;
}

bool NeedsTextCast(const engine::ColumnInfo& column) {
  return !engine::ColumnView::HasTextRendering(column.type);
}

// The query again, with each column the engine cannot render (LIST, STRUCT,
// MAP, BIT...) cast to VARCHAR by DuckDB itself. The inner text is DuckDB's
// own rendering of the already checked syntax tree (json_serialize_sql →
// json_deserialize_sql), so no user text is spliced; the result still goes
// through the guard like any query.
std::string TextProjection(engine::Connection& connection, std::string_view sql,
                           const std::vector<engine::ColumnInfo>& columns) {
  const auto canonical =
      connection.Query("SELECT json_deserialize_sql(json_serialize_sql($1::VARCHAR))", sql)
          .ScalarText();
  std::string select = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) select += ", ";
    select += "#" + std::to_string(i + 1);
    if (NeedsTextCast(columns[i])) select += "::VARCHAR";
    select += " AS " + QuoteIdentifier(columns[i].name);
  }
  return select + " FROM (" + canonical.value_or("") + ") AS query";
}

}  // namespace

struct QueryRunner::QueryDatabase {
  engine::Database database;
  LakeViewCatalog catalog;
};

namespace {

engine::Settings DatabaseSettings(const QueryDatabaseOptions& options) {
  engine::Settings settings = {
      {"memory_limit", options.memory_limit},
      // No spilling: the query database writes no file anywhere; a query
      // over the memory limit fails with DuckDB's out-of-memory error.
      {"temp_directory", ""},
      {"allow_community_extensions", "false"},
      {"allow_persistent_secrets", "false"},
  };
  if (options.threads > 0) settings.emplace_back("threads", std::to_string(options.threads));
  return settings;
}

}  // namespace

QueryRunner::QueryRunner(std::filesystem::path lake_root, QueryDatabaseOptions options)
    : lake_root_(std::move(lake_root)),
      options_(std::move(options)),
      guard_(options_.max_sql_bytes) {
  Refresh();
}

void QueryRunner::Refresh() {
  auto fresh = std::make_shared<QueryDatabase>(
      QueryDatabase{engine::Database("", DatabaseSettings(options_)), {}});
  {
    lake::InstallParquetCrypto(fresh->database);
    engine::Connection connection(fresh->database);
    std::string key_name;
    if (!options_.lake_key.empty()) {
      lake::RegisterParquetKey(connection, lake::kLakeKeyName, options_.lake_key,
                               "secret '" + std::string(lake::kLakeKeySecret) + "'");
      key_name = lake::kLakeKeyName;
    }
    fresh->catalog = CreateLakeViews(connection, lake_root_, key_name);
    LockDownToFiles(connection, fresh->catalog.files);
  }
  std::lock_guard lock(mutex_);
  database_ = std::move(fresh);
}

std::shared_ptr<const QueryRunner::QueryDatabase> QueryRunner::Current() const {
  std::lock_guard lock(mutex_);
  return database_;
}

LakeViewCatalog QueryRunner::Catalog() const { return Current()->catalog; }

LakeSession QueryRunner::OpenSession() const {
  auto database = Current();
  engine::Connection connection(database->database);
  return LakeSession(std::move(database), std::move(connection));
}

QueryResult QueryRunner::Run(std::string_view sql, const QueryLimits& limits) const {
  const auto start = std::chrono::steady_clock::now();
  const auto database = Current();
  engine::Connection connection(database->database);
  QueryResult output;
  std::optional<InterruptWatchdog> watchdog;
  watchdog.emplace(connection, limits.timeout);
  try {
    engine::PreparedStatement statement = guard_.Prepare(connection, sql);
    const auto columns = statement.ResultColumns();
    for (const auto& column : columns) {
      output.columns.push_back(
          {column.name, column.type_name,
           NeedsTextCast(column) ? JsonKind::kString : JsonKindOf(column.type)});
    }
    if (std::any_of(columns.begin(), columns.end(), NeedsTextCast)) {
      statement = guard_.Prepare(connection, TextProjection(connection, sql, columns));
    }
    engine::Result result = statement.ExecuteStreaming();
    while (std::optional<engine::DataChunk> chunk = result.NextChunk()) {
      if (AppendRows(*chunk, limits.max_rows, output.rows)) {
        output.truncated = true;
        break;
      }
      if (output.rows.size() >= limits.max_rows) {
        // Exactly at the limit: one more chunk tells whether rows were left.
        output.truncated = result.NextChunk().has_value();
        break;
      }
    }
  } catch (const core::Error& e) {
    // Past the limit, whatever failed failed because of the interrupts (some
    // steps, such as binding, report them without an error type).
    const bool timed_out = watchdog->Fired();
    watchdog.reset();
    if (timed_out) {
      throw QueryError(QueryErrorKind::kTimedOut,
                       "query timed out after " + Seconds(limits.timeout));
    }
    if (dynamic_cast<const QueryError*>(&e) != nullptr) throw;
    throw QueryError(QueryErrorKind::kFailed, std::string("query failed: ") + e.what());
  }
  watchdog.reset();
  output.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  return output;
}

}  // namespace futureim::query
