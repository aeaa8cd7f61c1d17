#pragma once

// A thin RAII layer over DuckDB's C API (duckdb.h, version 1.4.4).
//
// Ownership: every class owns exactly one C handle and is move-only; a
// moved-from object may only be destroyed or assigned to (other calls throw
// std::logic_error). Connections and prepared statements keep the database
// instance alive inside DuckDB, so destruction order between Database,
// Connection and PreparedStatement does not matter. A DataChunk (and the
// ColumnViews and string_views taken from it) must not outlive the Result it
// came from: string data may live in the result's buffers.
//
// Threads: one thread at a time per Connection and everything made from it,
// except Connection::Interrupt, which any thread may call at any time.
//
// Errors: everything DuckDB reports is thrown as DuckDbError, carrying
// DuckDB's own message; misuse of this API (wrong C++ type for a column, row
// out of range, moved-from object) throws std::logic_error.

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <duckdb.h>

#include "core/error.h"
#include "engine/values.h"

namespace futureim::engine {

class DuckDbError : public core::Error {
 public:
  explicit DuckDbError(const std::string& message, duckdb_error_type type = DUCKDB_ERROR_INVALID)
      : core::Error(message), type_(type) {}

  // DUCKDB_ERROR_INVALID when DuckDB did not say (open, prepare, bind).
  duckdb_error_type Type() const noexcept { return type_; }
  // The query was stopped by Connection::Interrupt.
  bool IsInterrupt() const noexcept { return type_ == DUCKDB_ERROR_INTERRUPT; }

 private:
  duckdb_error_type type_;
};

// DuckDB configuration options ("threads", "memory_limit", ...) as name/value
// pairs, applied in order when the database opens.
using Settings = std::vector<std::pair<std::string, std::string>>;

class Database {
 public:
  // Opens a database file, or an in-memory database when `path` is empty or
  // ":memory:". Extension auto-install and auto-load are always off: nothing
  // can be downloaded here and every attempt would cost a network timeout, so
  // `settings` may not name them. Unknown settings fail with DuckDB's message.
  explicit Database(const std::string& path = "", const Settings& settings = {});
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // For C API calls this wrapper does not cover; stays owned by this object.
  duckdb_database Handle() const;

 private:
  duckdb_database db_ = nullptr;
};

class Result;
class PreparedStatement;
class ExtractedStatements;

class Connection {
 public:
  explicit Connection(const Database& database);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more ';'-separated statements, discarding any rows.
  void Execute(std::string_view sql);
  // Runs one or more statements and returns the last one's result, fully
  // materialized.
  Result Query(std::string_view sql);
  // Prepares `sql` and executes it with `args` bound to $1..$N (or ?s).
  template <typename... Args>
  requires(sizeof...(Args) > 0) Result Query(std::string_view sql, const Args&... args);
  PreparedStatement Prepare(std::string_view sql);
  // Splits `sql` into its statements with DuckDB's own parser (nothing is
  // bound or run). Comments alone give zero statements; a syntax error throws.
  ExtractedStatements ExtractStatements(std::string_view sql);

  // Asks the query running on this connection (if any) to stop; it then fails
  // with a DuckDbError whose IsInterrupt() is true. Safe from any thread. A
  // call that lands before the query starts may be forgotten when it starts,
  // so a watchdog should repeat it until the query has returned.
  void Interrupt() const noexcept;

  duckdb_connection Handle() const;

 private:
  duckdb_connection conn_ = nullptr;
};

// Column metadata of a Result, computed once when the result arrives.
struct ColumnInfo {
  std::string name;
  duckdb_type type = DUCKDB_TYPE_INVALID;
  // SQL spelling: "INTEGER", "DECIMAL(18,2)", "VARCHAR[]", alias such as "JSON".
  std::string type_name;
  // The in-vector representation: DECIMAL and ENUM are stored as integers
  // (per width / dictionary size); for all other types it equals `type`.
  duckdb_type storage_type = DUCKDB_TYPE_INVALID;
  uint8_t decimal_width = 0;
  uint8_t decimal_scale = 0;
  std::vector<std::string> enum_values;
};

// One column of a DataChunk. Cheap to copy; valid while its chunk lives.
class ColumnView {
 public:
  const ColumnInfo& Info() const { return *info_; }
  idx_t Size() const { return size_; }

  bool IsNull(idx_t row) const {
    CheckRow(row);
    return validity_ != nullptr && ((validity_[row / 64] >> (row % 64)) & 1) == 0;
  }

  // The value of a fixed-width column: T must be the column's exact C++ type
  // (bool, int8_t..int64_t, uint8_t..uint64_t, Int128, UInt128, float,
  // double, Date, Time, Timestamp (also TIMESTAMPTZ), Interval). Undefined
  // content for NULL rows: check IsNull first.
  template <typename T>
  T Get(idx_t row) const;

  // VARCHAR or BLOB bytes; valid while the chunk lives.
  std::string_view GetString(idx_t row) const;
  // A DECIMAL column's value with its width and scale.
  Decimal GetDecimal(idx_t row) const;
  // The value as DuckDB's CAST(... AS VARCHAR) would print it (see text.h;
  // TIMESTAMPTZ always in UTC, "+00"), or nullopt for NULL. Nested types (LIST, STRUCT, MAP...) are
  // not rendered: cast them to VARCHAR in SQL.
  std::optional<std::string> ToText(idx_t row) const;
  // Whether ToText renders columns of this type (false for nested types,
  // BIT, BIGNUM...: cast those to VARCHAR in SQL).
  static bool HasTextRendering(duckdb_type type);

 private:
  friend class DataChunk;
  ColumnView(const ColumnInfo* info, const void* data, const uint64_t* validity, idx_t size)
      : info_(info), data_(data), validity_(validity), size_(size) {}

  void CheckRow(idx_t row) const {
    if (row >= size_) ThrowRowOutOfRange(row);
  }
  [[noreturn]] void ThrowRowOutOfRange(idx_t row) const;
  [[noreturn]] void ThrowTypeMismatch(const char* requested) const;
  template <typename T>
  static bool Accepts(duckdb_type storage);
  template <typename T>
  static const char* CppName();

  const ColumnInfo* info_;
  const void* data_;
  const uint64_t* validity_;  // nullptr: no NULLs in this vector
  idx_t size_;
};

// Up to duckdb_vector_size() (2048) rows of a Result.
class DataChunk {
 public:
  ~DataChunk();
  DataChunk(DataChunk&& other) noexcept;
  DataChunk& operator=(DataChunk&& other) noexcept;
  DataChunk(const DataChunk&) = delete;
  DataChunk& operator=(const DataChunk&) = delete;

  idx_t Size() const;
  idx_t ColumnCount() const { return columns_->size(); }
  ColumnView Column(idx_t column) const;

 private:
  friend class Result;
  DataChunk(duckdb_data_chunk chunk, std::shared_ptr<const std::vector<ColumnInfo>> columns)
      : chunk_(chunk), columns_(std::move(columns)) {}

  duckdb_data_chunk chunk_ = nullptr;
  std::shared_ptr<const std::vector<ColumnInfo>> columns_;
};

// A materialized query result, read forward once, chunk by chunk.
class Result {
 public:
  ~Result();
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  idx_t ColumnCount() const { return columns_->size(); }
  const ColumnInfo& Column(idx_t column) const;
  const std::string& ColumnName(idx_t column) const { return Column(column).name; }
  duckdb_type ColumnType(idx_t column) const { return Column(column).type; }
  const std::string& ColumnTypeName(idx_t column) const { return Column(column).type_name; }
  std::vector<std::string> ColumnNames() const;

  // Rows inserted, updated or deleted; 0 for other statements.
  idx_t RowsChanged() const { return rows_changed_; }

  // The next non-empty chunk, or nullopt at the end. A streaming result
  // (PreparedStatement::ExecuteStreaming) computes rows here, so this may
  // throw DuckDbError (e.g. when interrupted).
  std::optional<DataChunk> NextChunk();

  // The remaining rows as text (ColumnView::ToText); for tests and the CLI,
  // not for large results.
  std::vector<std::vector<std::optional<std::string>>> FetchAllAsText();
  // The first column of the first remaining row (nullopt for NULL or no
  // rows). ScalarInt64 accepts any integer column whose value fits, and
  // DECIMAL with scale 0.
  std::optional<int64_t> ScalarInt64();
  std::optional<std::string> ScalarText();

 private:
  friend class Connection;
  friend class PreparedStatement;
  explicit Result(duckdb_result result);

  duckdb_result result_;
  bool owned_ = true;
  std::shared_ptr<const std::vector<ColumnInfo>> columns_;
  idx_t rows_changed_ = 0;
};

class PreparedStatement {
 public:
  ~PreparedStatement();
  PreparedStatement(PreparedStatement&& other) noexcept;
  PreparedStatement& operator=(PreparedStatement&& other) noexcept;
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  idx_t ParameterCount() const;

  // Binds parameter `index` (1-based). Any type ToValueRef accepts; the
  // value is copied, and converted to the parameter's type at execution
  // (so a mismatch such as 'abc' for an INTEGER fails in Execute).
  template <typename T>
  void Bind(idx_t index, const T& value) {
    BindValue(index, ToValueRef(value));
  }
  void BindValue(idx_t index, const ValueRef& value);
  // Binds $1..$N; N must equal ParameterCount().
  template <typename... Args>
  void BindAll(const Args&... args);
  void ClearBindings();

  Result Execute();
  // Executes without materializing: rows are computed as NextChunk asks for
  // them, so a caller that stops early (a row limit) never pays for the
  // rest. Destroying the Result stops the query. The connection runs nothing
  // else while the Result is alive.
  Result ExecuteStreaming();
  // What DuckDB's binder made of the statement (SELECT, INSERT, PRAGMA...).
  duckdb_statement_type StatementType() const;
  // The columns Execute will return, known before executing.
  std::vector<ColumnInfo> ResultColumns() const;
  template <typename... Args>
  requires(sizeof...(Args) > 0) Result Execute(const Args&... args) {
    BindAll(args...);
    return Execute();
  }

  duckdb_prepared_statement Handle() const;

 private:
  friend class Connection;
  friend class ExtractedStatements;
  explicit PreparedStatement(duckdb_prepared_statement statement) : statement_(statement) {}
  void CheckArgumentCount(size_t count) const;

  duckdb_prepared_statement statement_ = nullptr;
};

// The statements of one SQL text, parsed but not bound
// (Connection::ExtractStatements). Valid while its Connection lives.
class ExtractedStatements {
 public:
  ~ExtractedStatements();
  ExtractedStatements(ExtractedStatements&& other) noexcept;
  ExtractedStatements& operator=(ExtractedStatements&& other) noexcept;
  ExtractedStatements(const ExtractedStatements&) = delete;
  ExtractedStatements& operator=(const ExtractedStatements&) = delete;

  idx_t Count() const { return count_; }
  // Binds and plans statement `index` (0-based) on the connection it came
  // from; nothing is executed.
  PreparedStatement Prepare(idx_t index) const;

 private:
  friend class Connection;
  ExtractedStatements(duckdb_connection connection, duckdb_extracted_statements statements,
                      idx_t count)
      : connection_(connection), statements_(statements), count_(count) {}

  duckdb_connection connection_ = nullptr;
  duckdb_extracted_statements statements_ = nullptr;
  idx_t count_ = 0;
};

// Fast bulk insert into one table, row by row: Append one value per column
// (in table order), then EndRow. Rows reach the table in batches; constraint
// violations show up at Flush or Close (or when an internal batch fills).
class Appender {
 public:
  Appender(Connection& connection, std::string_view table);
  Appender(Connection& connection, std::string_view schema, std::string_view table);
  // Flushes and closes like Close, but swallows errors: call Close to learn
  // whether the last rows made it.
  ~Appender();
  Appender(Appender&& other) noexcept;
  Appender& operator=(Appender&& other) noexcept;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  idx_t ColumnCount() const;

  template <typename T>
  Appender& Append(const T& value) {
    AppendValue(ToValueRef(value));
    return *this;
  }
  void AppendValue(const ValueRef& value);
  void EndRow();
  // Appends one value per argument, then ends the row.
  template <typename... Args>
  void AppendRow(const Args&... args) {
    (AppendValue(ToValueRef(args)), ...);
    EndRow();
  }

  void Flush();
  // Flushes the remaining rows; no appends afterwards. Idempotent.
  void Close();

 private:
  void Check(duckdb_state state, const char* action);
  void Release() noexcept;

  duckdb_appender appender_ = nullptr;
  std::string table_;
  bool closed_ = false;
  // After DuckDB reports an error the appender is invalid: later calls
  // repeat this error instead of touching it.
  std::optional<DuckDbError> failure_;
};

// ---------------------------------------------------------------------------
// Template definitions.

template <typename... Args>
requires(sizeof...(Args) > 0) Result Connection::Query(std::string_view sql, const Args&... args) {
  return Prepare(sql).Execute(args...);
}

template <typename... Args>
void PreparedStatement::BindAll(const Args&... args) {
  CheckArgumentCount(sizeof...(Args));
  idx_t index = 0;
  (BindValue(++index, ToValueRef(args)), ...);
}

template <typename T>
bool ColumnView::Accepts(duckdb_type storage) {
  if constexpr (std::is_same_v<T, bool>) return storage == DUCKDB_TYPE_BOOLEAN;
  if constexpr (std::is_same_v<T, int8_t>) return storage == DUCKDB_TYPE_TINYINT;
  if constexpr (std::is_same_v<T, int16_t>) return storage == DUCKDB_TYPE_SMALLINT;
  if constexpr (std::is_same_v<T, int32_t>) return storage == DUCKDB_TYPE_INTEGER;
  if constexpr (std::is_same_v<T, int64_t>) return storage == DUCKDB_TYPE_BIGINT;
  if constexpr (std::is_same_v<T, uint8_t>) return storage == DUCKDB_TYPE_UTINYINT;
  if constexpr (std::is_same_v<T, uint16_t>) return storage == DUCKDB_TYPE_USMALLINT;
  if constexpr (std::is_same_v<T, uint32_t>) return storage == DUCKDB_TYPE_UINTEGER;
  if constexpr (std::is_same_v<T, uint64_t>) return storage == DUCKDB_TYPE_UBIGINT;
  if constexpr (std::is_same_v<T, Int128>) return storage == DUCKDB_TYPE_HUGEINT;
  if constexpr (std::is_same_v<T, UInt128>) return storage == DUCKDB_TYPE_UHUGEINT;
  if constexpr (std::is_same_v<T, float>) return storage == DUCKDB_TYPE_FLOAT;
  if constexpr (std::is_same_v<T, double>) return storage == DUCKDB_TYPE_DOUBLE;
  if constexpr (std::is_same_v<T, Date>) return storage == DUCKDB_TYPE_DATE;
  if constexpr (std::is_same_v<T, Time>) return storage == DUCKDB_TYPE_TIME;
  if constexpr (std::is_same_v<T, Timestamp>) {
    return storage == DUCKDB_TYPE_TIMESTAMP || storage == DUCKDB_TYPE_TIMESTAMP_TZ;
  }
  if constexpr (std::is_same_v<T, Interval>) return storage == DUCKDB_TYPE_INTERVAL;
  return false;
}

template <typename T>
const char* ColumnView::CppName() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  if constexpr (std::is_same_v<T, int8_t>) return "int8_t";
  if constexpr (std::is_same_v<T, int16_t>) return "int16_t";
  if constexpr (std::is_same_v<T, int32_t>) return "int32_t";
  if constexpr (std::is_same_v<T, int64_t>) return "int64_t";
  if constexpr (std::is_same_v<T, uint8_t>) return "uint8_t";
  if constexpr (std::is_same_v<T, uint16_t>) return "uint16_t";
  if constexpr (std::is_same_v<T, uint32_t>) return "uint32_t";
  if constexpr (std::is_same_v<T, uint64_t>) return "uint64_t";
  if constexpr (std::is_same_v<T, Int128>) return "Int128";
  if constexpr (std::is_same_v<T, UInt128>) return "UInt128";
  if constexpr (std::is_same_v<T, float>) return "float";
  if constexpr (std::is_same_v<T, double>) return "double";
  if constexpr (std::is_same_v<T, Date>) return "Date";
  if constexpr (std::is_same_v<T, Time>) return "Time";
  if constexpr (std::is_same_v<T, Timestamp>) return "Timestamp";
  if constexpr (std::is_same_v<T, Interval>) return "Interval";
  return "unsupported type";
}

template <typename T>
T ColumnView::Get(idx_t row) const {
  static_assert(std::is_trivially_copyable_v<T>);
  CheckRow(row);
  if (!Accepts<T>(info_->storage_type)) ThrowTypeMismatch(CppName<T>());
  T value;
  std::memcpy(&value, static_cast<const char*>(data_) + row * sizeof(T), sizeof(T));
  return value;
}

}  // namespace futureim::engine
