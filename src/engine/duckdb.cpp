#include "engine/duckdb.h"

#include <cctype>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "engine/text.h"

namespace futureim::engine {
namespace {

template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

// The C API takes NUL-terminated strings, so a NUL inside would silently cut
// the text short (and could hide the rest of a statement from a review).
std::string CString(std::string_view text, const char* what) {
  if (text.find('\0') != std::string_view::npos) {
    throw DuckDbError(std::string(what) + " contains a NUL byte", DUCKDB_ERROR_INVALID_INPUT);
  }
  return std::string(text);
}

template <typename Handle>
Handle Require(Handle handle, const char* what) {
  if (handle == nullptr) throw std::logic_error(std::string("use of a moved-from ") + what);
  return handle;
}

// Takes ownership of a failed result.
[[noreturn]] void ThrowResultError(duckdb_result& result) {
  const char* message = duckdb_result_error(&result);
  DuckDbError error(message != nullptr ? message : "DuckDB failed without a message",
                    duckdb_result_error_type(&result));
  duckdb_destroy_result(&result);
  throw error;
}

// Pointer for a possibly empty view: the C API rejects nullptr data.
const char* Data(std::string_view bytes) { return bytes.data() != nullptr ? bytes.data() : ""; }

duckdb_hugeint ToHugeint(Int128 value) {
  return {static_cast<uint64_t>(value), static_cast<int64_t>(value >> 64)};
}

duckdb_uhugeint ToUhugeint(UInt128 value) {
  return {static_cast<uint64_t>(value), static_cast<uint64_t>(value >> 64)};
}

// DuckDB does not check these when binding or appending; a bad one would
// become a corrupt value rather than an error.
duckdb_decimal ToDuckDecimal(const Decimal& decimal) {
  if (decimal.width < 1 || decimal.width > 38 || decimal.scale > decimal.width) {
    throw DuckDbError("invalid DECIMAL(" + std::to_string(decimal.width) + "," +
                          std::to_string(decimal.scale) + "): width must be 1..38, scale <= width",
                      DUCKDB_ERROR_DECIMAL);
  }
  UInt128 limit = 1;
  for (int i = 0; i < decimal.width; ++i) limit *= 10;
  const UInt128 magnitude = decimal.value < 0 ? UInt128{0} - static_cast<UInt128>(decimal.value)
                                              : static_cast<UInt128>(decimal.value);
  if (magnitude >= limit) {
    throw DuckDbError("unscaled value " + FormatInt128(decimal.value) + " does not fit DECIMAL(" +
                          std::to_string(decimal.width) + "," + std::to_string(decimal.scale) + ")",
                      DUCKDB_ERROR_DECIMAL);
  }
  return {decimal.width, decimal.scale, ToHugeint(decimal.value)};
}

const char* KindName(const ValueRef& value) {
  static constexpr const char* kNames[] = {
      "NULL",      "BOOLEAN",  "TINYINT", "SMALLINT", "INTEGER",   "BIGINT",   "UTINYINT",
      "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT",  "UHUGEINT",  "FLOAT",    "DOUBLE",
      "VARCHAR",   "BLOB",     "DATE",    "TIME",     "TIMESTAMP", "INTERVAL", "DECIMAL"};
  static_assert(std::size(kNames) == std::variant_size_v<ValueRef>);
  return kNames[value.index()];
}

class LogicalType {
 public:
  explicit LogicalType(duckdb_logical_type type) : type_(type) {}
  ~LogicalType() { duckdb_destroy_logical_type(&type_); }
  LogicalType(const LogicalType&) = delete;
  LogicalType& operator=(const LogicalType&) = delete;
  duckdb_logical_type get() const { return type_; }

 private:
  duckdb_logical_type type_;
};

// Owns a char* the C API allocated.
std::string TakeString(char* text) {
  std::string result = text != nullptr ? text : "";
  duckdb_free(text);
  return result;
}

std::string TypeName(duckdb_logical_type type) {
  if (char* alias = duckdb_logical_type_get_alias(type)) return TakeString(alias);
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
      return "TINYINT";
    case DUCKDB_TYPE_SMALLINT:
      return "SMALLINT";
    case DUCKDB_TYPE_INTEGER:
      return "INTEGER";
    case DUCKDB_TYPE_BIGINT:
      return "BIGINT";
    case DUCKDB_TYPE_UTINYINT:
      return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT:
      return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER:
      return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT:
      return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT:
      return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT:
      return "UHUGEINT";
    case DUCKDB_TYPE_FLOAT:
      return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIME:
      return "TIME";
    case DUCKDB_TYPE_TIME_NS:
      return "TIME_NS";
    case DUCKDB_TYPE_TIME_TZ:
      return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return "TIMESTAMP_NS";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_INTERVAL:
      return "INTERVAL";
    case DUCKDB_TYPE_UUID:
      return "UUID";
    case DUCKDB_TYPE_BIT:
      return "BIT";
    case DUCKDB_TYPE_BIGNUM:
      return "BIGNUM";
    case DUCKDB_TYPE_ENUM:
      return "ENUM";
    case DUCKDB_TYPE_SQLNULL:
      return "\"NULL\"";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(duckdb_decimal_width(type)) + "," +
             std::to_string(duckdb_decimal_scale(type)) + ")";
    case DUCKDB_TYPE_LIST: {
      LogicalType child(duckdb_list_type_child_type(type));
      return TypeName(child.get()) + "[]";
    }
    case DUCKDB_TYPE_ARRAY: {
      LogicalType child(duckdb_array_type_child_type(type));
      return TypeName(child.get()) + "[" + std::to_string(duckdb_array_type_array_size(type)) + "]";
    }
    case DUCKDB_TYPE_MAP: {
      LogicalType key(duckdb_map_type_key_type(type));
      LogicalType value(duckdb_map_type_value_type(type));
      return "MAP(" + TypeName(key.get()) + ", " + TypeName(value.get()) + ")";
    }
    case DUCKDB_TYPE_STRUCT:
    case DUCKDB_TYPE_UNION: {
      const bool is_struct = duckdb_get_type_id(type) == DUCKDB_TYPE_STRUCT;
      const idx_t count =
          is_struct ? duckdb_struct_type_child_count(type) : duckdb_union_type_member_count(type);
      std::string name = is_struct ? "STRUCT(" : "UNION(";
      for (idx_t i = 0; i < count; ++i) {
        if (i > 0) name += ", ";
        name += TakeString(is_struct ? duckdb_struct_type_child_name(type, i)
                                     : duckdb_union_type_member_name(type, i));
        LogicalType child(is_struct ? duckdb_struct_type_child_type(type, i)
                                    : duckdb_union_type_member_type(type, i));
        name += " " + TypeName(child.get());
      }
      return name + ")";
    }
    default:
      return "UNKNOWN";
  }
}

// `logical_type` is taken over (destroyed here).
ColumnInfo DescribeColumn(const char* name, duckdb_logical_type logical_type) {
  ColumnInfo info;
  info.name = name != nullptr ? name : "";
  LogicalType type(logical_type);
  info.type = duckdb_get_type_id(type.get());
  info.type_name = TypeName(type.get());
  info.storage_type = info.type;
  if (info.type == DUCKDB_TYPE_DECIMAL) {
    info.decimal_width = duckdb_decimal_width(type.get());
    info.decimal_scale = duckdb_decimal_scale(type.get());
    info.storage_type = duckdb_decimal_internal_type(type.get());
  } else if (info.type == DUCKDB_TYPE_ENUM) {
    info.storage_type = duckdb_enum_internal_type(type.get());
    const uint32_t size = duckdb_enum_dictionary_size(type.get());
    info.enum_values.reserve(size);
    for (uint32_t i = 0; i < size; ++i) {
      info.enum_values.push_back(TakeString(duckdb_enum_dictionary_value(type.get(), i)));
    }
  }
  return info;
}

ColumnInfo DescribeColumn(duckdb_result& result, idx_t column) {
  return DescribeColumn(duckdb_column_name(&result, column),
                        duckdb_column_logical_type(&result, column));
}

bool IsExtensionAutoSetting(std::string_view name) {
  auto equals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    }
    return true;
  };
  return equals(name, "autoinstall_known_extensions") || equals(name, "autoload_known_extensions");
}

class Config {
 public:
  Config() {
    if (duckdb_create_config(&config_) == DuckDBError) {
      duckdb_destroy_config(&config_);
      throw DuckDbError("cannot create a DuckDB configuration (out of memory?)");
    }
  }
  ~Config() { duckdb_destroy_config(&config_); }
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  void Set(const std::string& name, const std::string& value) {
    const std::string c_name = CString(name, "DuckDB setting name");
    const std::string c_value = CString(value, "DuckDB setting value");
    if (duckdb_set_config(config_, c_name.c_str(), c_value.c_str()) == DuckDBError) {
      throw DuckDbError("invalid value for DuckDB setting " + name + ": '" + value + "'",
                        DUCKDB_INVALID_CONFIGURATION);
    }
  }
  duckdb_config get() const { return config_; }

 private:
  duckdb_config config_ = nullptr;
};

[[noreturn]] void ThrowNotInt64(const ColumnInfo& info) {
  throw DuckDbError("value of column '" + info.name + "' (" + info.type_name +
                        ") does not fit in a 64-bit integer",
                    DUCKDB_ERROR_OUT_OF_RANGE);
}

int64_t CheckedInt64(Int128 value, const ColumnInfo& info) {
  if (value < std::numeric_limits<int64_t>::min() || value > std::numeric_limits<int64_t>::max()) {
    ThrowNotInt64(info);
  }
  return static_cast<int64_t>(value);
}

int64_t CheckedInt64(UInt128 value, const ColumnInfo& info) {
  if (value > static_cast<UInt128>(std::numeric_limits<int64_t>::max())) ThrowNotInt64(info);
  return static_cast<int64_t>(value);
}

}  // namespace

// ---------------------------------------------------------------------------
// Database

Database::Database(const std::string& path, const Settings& settings) {
  for (const auto& [name, value] : settings) {
    if (IsExtensionAutoSetting(name)) {
      throw DuckDbError("DuckDB setting " + name +
                            " cannot be changed: it is always false because extensions cannot "
                            "be downloaded here",
                        DUCKDB_INVALID_CONFIGURATION);
    }
  }
  Config config;
  config.Set("autoinstall_known_extensions", "false");
  config.Set("autoload_known_extensions", "false");
  for (const auto& [name, value] : settings) config.Set(name, value);

  const std::string c_path = CString(path, "database path");
  char* error = nullptr;
  duckdb_database db = nullptr;
  if (duckdb_open_ext(c_path.empty() ? nullptr : c_path.c_str(), &db, config.get(), &error) ==
      DuckDBError) {
    const std::string message = error != nullptr ? error : "unknown error";
    duckdb_free(error);
    throw DuckDbError("cannot open DuckDB database " +
                      (c_path.empty() ? std::string("in memory") : "'" + c_path + "'") + ": " +
                      message);
  }
  db_ = db;
}

Database::~Database() {
  if (db_ != nullptr) duckdb_close(&db_);
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) duckdb_close(&db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

duckdb_database Database::Handle() const { return Require(db_, "Database"); }

// ---------------------------------------------------------------------------
// Connection

Connection::Connection(const Database& database) {
  if (duckdb_connect(database.Handle(), &conn_) == DuckDBError) {
    conn_ = nullptr;
    throw DuckDbError("cannot connect to the DuckDB database", DUCKDB_ERROR_CONNECTION);
  }
}

Connection::~Connection() {
  if (conn_ != nullptr) duckdb_disconnect(&conn_);
}

Connection::Connection(Connection&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) duckdb_disconnect(&conn_);
    conn_ = std::exchange(other.conn_, nullptr);
  }
  return *this;
}

duckdb_connection Connection::Handle() const { return Require(conn_, "Connection"); }

void Connection::Execute(std::string_view sql) { Query(sql); }

Result Connection::Query(std::string_view sql) {
  const std::string c_sql = CString(sql, "SQL text");
  duckdb_result result;
  if (duckdb_query(Handle(), c_sql.c_str(), &result) == DuckDBError) ThrowResultError(result);
  return Result(result);
}

PreparedStatement Connection::Prepare(std::string_view sql) {
  const std::string c_sql = CString(sql, "SQL text");
  duckdb_prepared_statement statement = nullptr;
  if (duckdb_prepare(Handle(), c_sql.c_str(), &statement) == DuckDBError) {
    const char* message = duckdb_prepare_error(statement);
    DuckDbError error(message != nullptr ? message : "DuckDB could not prepare the statement");
    duckdb_destroy_prepare(&statement);
    throw error;
  }
  return PreparedStatement(statement);
}

ExtractedStatements Connection::ExtractStatements(std::string_view sql) {
  const std::string c_sql = CString(sql, "SQL text");
  duckdb_extracted_statements statements = nullptr;
  const idx_t count = duckdb_extract_statements(Handle(), c_sql.c_str(), &statements);
  // 0 means a parse error or no statement at all: only the error tells them apart.
  if (count == 0) {
    const char* message = duckdb_extract_statements_error(statements);
    if (message != nullptr) {
      DuckDbError error(message, DUCKDB_ERROR_PARSER);
      duckdb_destroy_extracted(&statements);
      throw error;
    }
  }
  return ExtractedStatements(Handle(), statements, count);
}

void Connection::Interrupt() const noexcept {
  if (conn_ != nullptr) duckdb_interrupt(conn_);
}

// ---------------------------------------------------------------------------
// PreparedStatement

PreparedStatement::~PreparedStatement() {
  if (statement_ != nullptr) duckdb_destroy_prepare(&statement_);
}

PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)) {}

PreparedStatement& PreparedStatement::operator=(PreparedStatement&& other) noexcept {
  if (this != &other) {
    if (statement_ != nullptr) duckdb_destroy_prepare(&statement_);
    statement_ = std::exchange(other.statement_, nullptr);
  }
  return *this;
}

duckdb_prepared_statement PreparedStatement::Handle() const {
  return Require(statement_, "PreparedStatement");
}

idx_t PreparedStatement::ParameterCount() const { return duckdb_nparams(Handle()); }

void PreparedStatement::CheckArgumentCount(size_t count) const {
  const idx_t expected = ParameterCount();
  if (count != expected) {
    throw DuckDbError("the statement has " + std::to_string(expected) + " parameter(s) but " +
                          std::to_string(count) + " value(s) were given",
                      DUCKDB_ERROR_INVALID_INPUT);
  }
}

void PreparedStatement::BindValue(idx_t index, const ValueRef& value) {
  duckdb_prepared_statement s = Handle();
  // Checked here rather than left to DuckDB: its own check records the error
  // in the statement, where a later, unrelated bind failure would find it.
  const idx_t count = duckdb_nparams(s);
  if (index < 1 || index > count) {
    throw DuckDbError("Invalid Input Error: Can not bind to parameter number " +
                          std::to_string(index) + ", statement only has " + std::to_string(count) +
                          " parameter(s)",
                      DUCKDB_ERROR_INVALID_INPUT);
  }
  const duckdb_state state = std::visit(
      Overloaded{
          [&](Null) { return duckdb_bind_null(s, index); },
          [&](bool v) { return duckdb_bind_boolean(s, index, v); },
          [&](int8_t v) { return duckdb_bind_int8(s, index, v); },
          [&](int16_t v) { return duckdb_bind_int16(s, index, v); },
          [&](int32_t v) { return duckdb_bind_int32(s, index, v); },
          [&](int64_t v) { return duckdb_bind_int64(s, index, v); },
          [&](uint8_t v) { return duckdb_bind_uint8(s, index, v); },
          [&](uint16_t v) { return duckdb_bind_uint16(s, index, v); },
          [&](uint32_t v) { return duckdb_bind_uint32(s, index, v); },
          [&](uint64_t v) { return duckdb_bind_uint64(s, index, v); },
          [&](Int128 v) { return duckdb_bind_hugeint(s, index, ToHugeint(v)); },
          [&](UInt128 v) { return duckdb_bind_uhugeint(s, index, ToUhugeint(v)); },
          [&](float v) { return duckdb_bind_float(s, index, v); },
          [&](double v) { return duckdb_bind_double(s, index, v); },
          [&](std::string_view v) {
            return duckdb_bind_varchar_length(s, index, Data(v), v.size());
          },
          [&](Blob v) { return duckdb_bind_blob(s, index, Data(v.bytes), v.bytes.size()); },
          [&](Date v) { return duckdb_bind_date(s, index, duckdb_date{v.days}); },
          [&](Time v) { return duckdb_bind_time(s, index, duckdb_time{v.micros}); },
          [&](Timestamp v) { return duckdb_bind_timestamp(s, index, duckdb_timestamp{v.micros}); },
          [&](Interval v) {
            return duckdb_bind_interval(s, index, duckdb_interval{v.months, v.days, v.micros});
          },
          [&](const Decimal& v) { return duckdb_bind_decimal(s, index, ToDuckDecimal(v)); },
      },
      value);
  if (state == DuckDBError) {
    // DuckDB gives no reason here (its message slot may hold an older one).
    std::string message = "cannot bind parameter " + std::to_string(index) + " as " +
                          KindName(value) + ": DuckDB rejected the value";
    if (std::holds_alternative<std::string_view>(value)) {
      message += " (VARCHAR must be valid UTF-8; bind raw bytes as Blob)";
    }
    throw DuckDbError(message, DUCKDB_ERROR_INVALID_INPUT);
  }
}

void PreparedStatement::ClearBindings() {
  if (duckdb_clear_bindings(Handle()) == DuckDBError) {
    throw DuckDbError("cannot clear the bindings of a prepared statement");
  }
}

Result PreparedStatement::Execute() {
  duckdb_result result;
  if (duckdb_execute_prepared(Handle(), &result) == DuckDBError) ThrowResultError(result);
  return Result(result);
}

Result PreparedStatement::ExecuteStreaming() {
  duckdb_result result;
  if (duckdb_execute_prepared_streaming(Handle(), &result) == DuckDBError) {
    ThrowResultError(result);
  }
  return Result(result);
}

std::vector<ColumnInfo> PreparedStatement::ResultColumns() const {
  duckdb_prepared_statement s = Handle();
  std::vector<ColumnInfo> columns;
  const idx_t count = duckdb_prepared_statement_column_count(s);
  columns.reserve(count);
  for (idx_t i = 0; i < count; ++i) {
    // This name, unlike a result's, is the caller's to free.
    const std::string name =
        TakeString(const_cast<char*>(duckdb_prepared_statement_column_name(s, i)));
    columns.push_back(
        DescribeColumn(name.c_str(), duckdb_prepared_statement_column_logical_type(s, i)));
  }
  return columns;
}

duckdb_statement_type PreparedStatement::StatementType() const {
  return duckdb_prepared_statement_type(Handle());
}

// ---------------------------------------------------------------------------
// ExtractedStatements

ExtractedStatements::~ExtractedStatements() {
  if (statements_ != nullptr) duckdb_destroy_extracted(&statements_);
}

ExtractedStatements::ExtractedStatements(ExtractedStatements&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      statements_(std::exchange(other.statements_, nullptr)),
      count_(std::exchange(other.count_, 0)) {}

ExtractedStatements& ExtractedStatements::operator=(ExtractedStatements&& other) noexcept {
  if (this != &other) {
    if (statements_ != nullptr) duckdb_destroy_extracted(&statements_);
    connection_ = std::exchange(other.connection_, nullptr);
    statements_ = std::exchange(other.statements_, nullptr);
    count_ = std::exchange(other.count_, 0);
  }
  return *this;
}

PreparedStatement ExtractedStatements::Prepare(idx_t index) const {
  if (index >= count_) {
    throw std::out_of_range("statement " + std::to_string(index) + " of " + std::to_string(count_) +
                            " extracted");
  }
  duckdb_prepared_statement statement = nullptr;
  if (duckdb_prepare_extracted_statement(Require(connection_, "ExtractedStatements"), statements_,
                                         index, &statement) == DuckDBError) {
    const char* message = duckdb_prepare_error(statement);
    DuckDbError error(message != nullptr ? message : "DuckDB could not prepare the statement");
    duckdb_destroy_prepare(&statement);
    throw error;
  }
  return PreparedStatement(statement);
}

// ---------------------------------------------------------------------------
// Appender

Appender::Appender(Connection& connection, std::string_view table)
    : Appender(connection, std::string_view(), table) {}

Appender::Appender(Connection& connection, std::string_view schema, std::string_view table)
    : table_(schema.empty() ? std::string(table) : std::string(schema) + "." + std::string(table)) {
  const std::string c_schema = CString(schema, "schema name");
  const std::string c_table = CString(table, "table name");
  const duckdb_state state =
      duckdb_appender_create(connection.Handle(), schema.empty() ? nullptr : c_schema.c_str(),
                             c_table.c_str(), &appender_);
  if (state == DuckDBError) {
    try {
      Check(state, "create");
    } catch (...) {
      Release();
      throw;
    }
  }
}

Appender::~Appender() { Release(); }

Appender::Appender(Appender&& other) noexcept
    : appender_(std::exchange(other.appender_, nullptr)),
      table_(std::move(other.table_)),
      closed_(other.closed_),
      failure_(std::move(other.failure_)) {}

Appender& Appender::operator=(Appender&& other) noexcept {
  if (this != &other) {
    Release();
    appender_ = std::exchange(other.appender_, nullptr);
    table_ = std::move(other.table_);
    closed_ = other.closed_;
    failure_ = std::move(other.failure_);
  }
  return *this;
}

void Appender::Release() noexcept {
  // duckdb_appender_destroy flushes (unless closed) and frees; its failure is
  // reported only through the return value, which a destructor must drop.
  if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
  appender_ = nullptr;
}

void Appender::Check(duckdb_state state, const char* action) {
  if (state == DuckDBSuccess) return;
  // Creation can fail before DuckDB allocates an appender to hold the error.
  duckdb_error_data data = appender_ != nullptr ? duckdb_appender_error_data(appender_) : nullptr;
  std::string message = "DuckDB failed without a message";
  duckdb_error_type type = DUCKDB_ERROR_INVALID;
  if (data != nullptr && duckdb_error_data_has_error(data)) {
    message = duckdb_error_data_message(data);
    type = duckdb_error_data_error_type(data);
  }
  if (data != nullptr) duckdb_destroy_error_data(&data);
  failure_.emplace("appender for table " + table_ + " failed to " + action + ": " + message, type);
  throw *failure_;
}

idx_t Appender::ColumnCount() const {
  return duckdb_appender_column_count(Require(appender_, "Appender"));
}

void Appender::AppendValue(const ValueRef& value) {
  duckdb_appender a = Require(appender_, "Appender");
  if (failure_) throw *failure_;
  if (closed_) throw std::logic_error("append to a closed Appender");
  const duckdb_state state = std::visit(
      Overloaded{
          [&](Null) { return duckdb_append_null(a); },
          [&](bool v) { return duckdb_append_bool(a, v); },
          [&](int8_t v) { return duckdb_append_int8(a, v); },
          [&](int16_t v) { return duckdb_append_int16(a, v); },
          [&](int32_t v) { return duckdb_append_int32(a, v); },
          [&](int64_t v) { return duckdb_append_int64(a, v); },
          [&](uint8_t v) { return duckdb_append_uint8(a, v); },
          [&](uint16_t v) { return duckdb_append_uint16(a, v); },
          [&](uint32_t v) { return duckdb_append_uint32(a, v); },
          [&](uint64_t v) { return duckdb_append_uint64(a, v); },
          [&](Int128 v) { return duckdb_append_hugeint(a, ToHugeint(v)); },
          [&](UInt128 v) { return duckdb_append_uhugeint(a, ToUhugeint(v)); },
          [&](float v) { return duckdb_append_float(a, v); },
          [&](double v) { return duckdb_append_double(a, v); },
          [&](std::string_view v) { return duckdb_append_varchar_length(a, Data(v), v.size()); },
          [&](Blob v) { return duckdb_append_blob(a, Data(v.bytes), v.bytes.size()); },
          [&](Date v) { return duckdb_append_date(a, duckdb_date{v.days}); },
          [&](Time v) { return duckdb_append_time(a, duckdb_time{v.micros}); },
          [&](Timestamp v) { return duckdb_append_timestamp(a, duckdb_timestamp{v.micros}); },
          [&](Interval v) {
            return duckdb_append_interval(a, duckdb_interval{v.months, v.days, v.micros});
          },
          [&](const Decimal& v) {
            // The C API has no duckdb_append_decimal; go through a Value.
            duckdb_value boxed = duckdb_create_decimal(ToDuckDecimal(v));
            const duckdb_state appended = duckdb_append_value(a, boxed);
            duckdb_destroy_value(&boxed);
            return appended;
          },
      },
      value);
  Check(state, "append a value");
}

void Appender::EndRow() {
  duckdb_appender a = Require(appender_, "Appender");
  if (failure_) throw *failure_;
  if (closed_) throw std::logic_error("EndRow on a closed Appender");
  Check(duckdb_appender_end_row(a), "end the row");
}

void Appender::Flush() {
  duckdb_appender a = Require(appender_, "Appender");
  if (failure_) throw *failure_;
  if (closed_) return;
  Check(duckdb_appender_flush(a), "flush");
}

void Appender::Close() {
  duckdb_appender a = Require(appender_, "Appender");
  if (failure_) throw *failure_;
  if (closed_) return;
  Check(duckdb_appender_close(a), "close");
  closed_ = true;
}

// ---------------------------------------------------------------------------
// Result

Result::Result(duckdb_result result) : result_(result) {
  try {
    auto columns = std::make_shared<std::vector<ColumnInfo>>();
    const idx_t count = duckdb_column_count(&result_);
    columns->reserve(count);
    for (idx_t i = 0; i < count; ++i) columns->push_back(DescribeColumn(result_, i));
    columns_ = std::move(columns);
    if (duckdb_result_return_type(result_) == DUCKDB_RESULT_TYPE_CHANGED_ROWS) {
      rows_changed_ = duckdb_rows_changed(&result_);
    }
  } catch (...) {
    duckdb_destroy_result(&result_);
    throw;
  }
}

Result::~Result() {
  if (owned_) duckdb_destroy_result(&result_);
}

// The moved-from result keeps the column metadata (cheap, shared) so that
// its accessors stay safe; only reading rows requires ownership.
Result::Result(Result&& other) noexcept
    : result_(other.result_),
      owned_(std::exchange(other.owned_, false)),
      columns_(other.columns_),
      rows_changed_(other.rows_changed_) {}

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (owned_) duckdb_destroy_result(&result_);
    result_ = other.result_;
    owned_ = std::exchange(other.owned_, false);
    columns_ = other.columns_;
    rows_changed_ = other.rows_changed_;
  }
  return *this;
}

const ColumnInfo& Result::Column(idx_t column) const {
  if (column >= columns_->size()) {
    throw std::out_of_range("column " + std::to_string(column) + " of a result with " +
                            std::to_string(columns_->size()) + " column(s)");
  }
  return (*columns_)[column];
}

std::vector<std::string> Result::ColumnNames() const {
  std::vector<std::string> names;
  names.reserve(columns_->size());
  for (const ColumnInfo& column : *columns_) names.push_back(column.name);
  return names;
}

std::optional<DataChunk> Result::NextChunk() {
  if (!owned_) throw std::logic_error("use of a moved-from Result");
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result_)) {
    if (duckdb_data_chunk_get_size(chunk) > 0) return DataChunk(chunk, columns_);
    duckdb_destroy_data_chunk(&chunk);
  }
  // A streaming result reports a failure during execution (an interrupt, a
  // memory limit) only here: as the end of the chunks plus an error.
  if (const char* message = duckdb_result_error(&result_)) {
    throw DuckDbError(message, duckdb_result_error_type(&result_));
  }
  return std::nullopt;
}

std::vector<std::vector<std::optional<std::string>>> Result::FetchAllAsText() {
  std::vector<std::vector<std::optional<std::string>>> rows;
  while (std::optional<DataChunk> chunk = NextChunk()) {
    std::vector<ColumnView> columns;
    for (idx_t c = 0; c < chunk->ColumnCount(); ++c) columns.push_back(chunk->Column(c));
    for (idx_t r = 0; r < chunk->Size(); ++r) {
      std::vector<std::optional<std::string>>& row = rows.emplace_back();
      row.reserve(columns.size());
      for (const ColumnView& column : columns) row.push_back(column.ToText(r));
    }
  }
  return rows;
}

std::optional<int64_t> Result::ScalarInt64() {
  if (ColumnCount() == 0) {
    throw DuckDbError("the statement returned no columns, so it has no scalar value");
  }
  std::optional<DataChunk> chunk = NextChunk();
  if (!chunk) return std::nullopt;
  const ColumnView column = chunk->Column(0);
  if (column.IsNull(0)) return std::nullopt;
  const ColumnInfo& info = column.Info();
  switch (info.type) {
    case DUCKDB_TYPE_TINYINT:
      return column.Get<int8_t>(0);
    case DUCKDB_TYPE_SMALLINT:
      return column.Get<int16_t>(0);
    case DUCKDB_TYPE_INTEGER:
      return column.Get<int32_t>(0);
    case DUCKDB_TYPE_BIGINT:
      return column.Get<int64_t>(0);
    case DUCKDB_TYPE_UTINYINT:
      return column.Get<uint8_t>(0);
    case DUCKDB_TYPE_USMALLINT:
      return column.Get<uint16_t>(0);
    case DUCKDB_TYPE_UINTEGER:
      return column.Get<uint32_t>(0);
    case DUCKDB_TYPE_UBIGINT:
      return CheckedInt64(UInt128{column.Get<uint64_t>(0)}, info);
    case DUCKDB_TYPE_HUGEINT:
      return CheckedInt64(column.Get<Int128>(0), info);
    case DUCKDB_TYPE_UHUGEINT:
      return CheckedInt64(column.Get<UInt128>(0), info);
    case DUCKDB_TYPE_DECIMAL:
      if (info.decimal_scale == 0) return CheckedInt64(column.GetDecimal(0).value, info);
      break;
    default:
      break;
  }
  throw DuckDbError("column '" + info.name + "' has type " + info.type_name +
                        ", not an integer type; cast it in the query",
                    DUCKDB_ERROR_MISMATCH_TYPE);
}

std::optional<std::string> Result::ScalarText() {
  if (ColumnCount() == 0) {
    throw DuckDbError("the statement returned no columns, so it has no scalar value");
  }
  std::optional<DataChunk> chunk = NextChunk();
  if (!chunk) return std::nullopt;
  return chunk->Column(0).ToText(0);
}

// ---------------------------------------------------------------------------
// DataChunk and ColumnView

DataChunk::~DataChunk() {
  if (chunk_ != nullptr) duckdb_destroy_data_chunk(&chunk_);
}

DataChunk::DataChunk(DataChunk&& other) noexcept
    : chunk_(std::exchange(other.chunk_, nullptr)), columns_(other.columns_) {}

DataChunk& DataChunk::operator=(DataChunk&& other) noexcept {
  if (this != &other) {
    if (chunk_ != nullptr) duckdb_destroy_data_chunk(&chunk_);
    chunk_ = std::exchange(other.chunk_, nullptr);
    columns_ = other.columns_;
  }
  return *this;
}

idx_t DataChunk::Size() const { return duckdb_data_chunk_get_size(Require(chunk_, "DataChunk")); }

ColumnView DataChunk::Column(idx_t column) const {
  duckdb_data_chunk chunk = Require(chunk_, "DataChunk");
  if (column >= columns_->size()) {
    throw std::out_of_range("column " + std::to_string(column) + " of a chunk with " +
                            std::to_string(columns_->size()) + " column(s)");
  }
  duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, column);
  return ColumnView(&(*columns_)[column], duckdb_vector_get_data(vector),
                    duckdb_vector_get_validity(vector), duckdb_data_chunk_get_size(chunk));
}

void ColumnView::ThrowRowOutOfRange(idx_t row) const {
  throw std::out_of_range("row " + std::to_string(row) + " of column '" + info_->name +
                          "' in a chunk of " + std::to_string(size_) + " row(s)");
}

void ColumnView::ThrowTypeMismatch(const char* requested) const {
  throw std::logic_error(std::string("column '") + info_->name + "' has type " + info_->type_name +
                         ", which cannot be read as " + requested);
}

namespace {

// Reads the in-vector representation without the type check of Get.
template <typename T>
T Raw(const void* data, idx_t row) {
  T value;
  std::memcpy(&value, static_cast<const char*>(data) + row * sizeof(T), sizeof(T));
  return value;
}

// DuckDB's TIMESTAMP_S/_MS infinities use the int64 limits, as TIMESTAMP does.
Timestamp ScaleToMicros(int64_t value, int64_t factor) {
  constexpr int64_t kInfinity = std::numeric_limits<int64_t>::max();
  if (value == kInfinity || value == -kInfinity) return Timestamp{value};
  return Timestamp{value * factor};
}

}  // namespace

std::string_view ColumnView::GetString(idx_t row) const {
  CheckRow(row);
  if (info_->storage_type != DUCKDB_TYPE_VARCHAR && info_->storage_type != DUCKDB_TYPE_BLOB) {
    ThrowTypeMismatch("a string");
  }
  // duckdb_string_t: up to 12 bytes live inline after the length; longer
  // strings keep a 4-byte prefix and a pointer into the result's heap.
  const auto& value = static_cast<const duckdb_string_t*>(data_)[row];
  const uint32_t length = value.value.inlined.length;
  constexpr uint32_t kInlineLength = sizeof(value.value.inlined.inlined);
  return {length <= kInlineLength ? value.value.inlined.inlined : value.value.pointer.ptr, length};
}

Decimal ColumnView::GetDecimal(idx_t row) const {
  CheckRow(row);
  if (info_->type != DUCKDB_TYPE_DECIMAL) ThrowTypeMismatch("Decimal");
  Decimal decimal{info_->decimal_width, info_->decimal_scale, 0};
  switch (info_->storage_type) {
    case DUCKDB_TYPE_SMALLINT:
      decimal.value = Raw<int16_t>(data_, row);
      break;
    case DUCKDB_TYPE_INTEGER:
      decimal.value = Raw<int32_t>(data_, row);
      break;
    case DUCKDB_TYPE_BIGINT:
      decimal.value = Raw<int64_t>(data_, row);
      break;
    case DUCKDB_TYPE_HUGEINT:
      decimal.value = Raw<Int128>(data_, row);
      break;
    default:
      ThrowTypeMismatch("Decimal");
  }
  return decimal;
}

// Keep in step with ToText's switch.
bool ColumnView::HasTextRendering(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UHUGEINT:
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL:
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB:
    case DUCKDB_TYPE_DATE:
    case DUCKDB_TYPE_TIME:
    case DUCKDB_TYPE_TIME_TZ:
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
    case DUCKDB_TYPE_INTERVAL:
    case DUCKDB_TYPE_UUID:
    case DUCKDB_TYPE_ENUM:
      return true;
    default:
      return false;
  }
}

std::optional<std::string> ColumnView::ToText(idx_t row) const {
  if (IsNull(row)) return std::nullopt;
  switch (info_->type) {
    case DUCKDB_TYPE_BOOLEAN:
      return Get<bool>(row) ? "true" : "false";
    case DUCKDB_TYPE_TINYINT:
      return std::to_string(Get<int8_t>(row));
    case DUCKDB_TYPE_SMALLINT:
      return std::to_string(Get<int16_t>(row));
    case DUCKDB_TYPE_INTEGER:
      return std::to_string(Get<int32_t>(row));
    case DUCKDB_TYPE_BIGINT:
      return std::to_string(Get<int64_t>(row));
    case DUCKDB_TYPE_UTINYINT:
      return std::to_string(Get<uint8_t>(row));
    case DUCKDB_TYPE_USMALLINT:
      return std::to_string(Get<uint16_t>(row));
    case DUCKDB_TYPE_UINTEGER:
      return std::to_string(Get<uint32_t>(row));
    case DUCKDB_TYPE_UBIGINT:
      return std::to_string(Get<uint64_t>(row));
    case DUCKDB_TYPE_HUGEINT:
      return FormatInt128(Get<Int128>(row));
    case DUCKDB_TYPE_UHUGEINT:
      return FormatUInt128(Get<UInt128>(row));
    case DUCKDB_TYPE_FLOAT:
      return FormatFloat(Get<float>(row));
    case DUCKDB_TYPE_DOUBLE:
      return FormatDouble(Get<double>(row));
    case DUCKDB_TYPE_DECIMAL:
      return FormatDecimal(GetDecimal(row));
    case DUCKDB_TYPE_VARCHAR:
      return std::string(GetString(row));
    case DUCKDB_TYPE_BLOB:
      return FormatBlob(GetString(row));
    case DUCKDB_TYPE_DATE:
      return FormatDate(Get<Date>(row));
    case DUCKDB_TYPE_TIME:
      return FormatTime(Get<Time>(row));
    case DUCKDB_TYPE_TIME_TZ: {
      const duckdb_time_tz_struct parts = duckdb_from_time_tz(Raw<duckdb_time_tz>(data_, row));
      const int64_t micros =
          ((parts.time.hour * 60LL + parts.time.min) * 60 + parts.time.sec) * 1'000'000 +
          parts.time.micros;
      return FormatTimeWithOffset(Time{micros}, parts.offset);
    }
    case DUCKDB_TYPE_TIMESTAMP:
      return FormatTimestamp(Get<Timestamp>(row));
    // DuckDB prints TIMESTAMPTZ in the session time zone; here it is always UTC.
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return FormatTimestamp(Get<Timestamp>(row)) + "+00";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return FormatTimestamp(ScaleToMicros(Raw<int64_t>(data_, row), 1'000'000));
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return FormatTimestamp(ScaleToMicros(Raw<int64_t>(data_, row), 1'000));
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return FormatTimestampNanos(Raw<int64_t>(data_, row));
    case DUCKDB_TYPE_INTERVAL:
      return FormatInterval(Get<Interval>(row));
    case DUCKDB_TYPE_UUID:
      return FormatUuid(Raw<Int128>(data_, row));
    case DUCKDB_TYPE_ENUM: {
      uint64_t index = 0;
      switch (info_->storage_type) {
        case DUCKDB_TYPE_UTINYINT:
          index = Raw<uint8_t>(data_, row);
          break;
        case DUCKDB_TYPE_USMALLINT:
          index = Raw<uint16_t>(data_, row);
          break;
        case DUCKDB_TYPE_UINTEGER:
          index = Raw<uint32_t>(data_, row);
          break;
        default:
          index = info_->enum_values.size();
      }
      if (index < info_->enum_values.size()) return info_->enum_values[index];
      break;
    }
    default:
      break;
  }
  throw DuckDbError("column '" + info_->name + "' has type " + info_->type_name +
                        ", which cannot be shown as text here; CAST it to VARCHAR in the query",
                    DUCKDB_ERROR_NOT_IMPLEMENTED);
}

}  // namespace futureim::engine
