#include "source/snapshot_reader.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include <mysqld_error.h>

#include "source/binlog_value_decoding.h"
#include "source/server_collations.h"

namespace futureim::source {
namespace {

namespace cv = column_value;

// How a column's value is fetched through the binary protocol.
enum class FetchAs {
  kSigned,    // MYSQL_TYPE_LONGLONG
  kUnsigned,  // MYSQL_TYPE_LONGLONG, unsigned
  kFloat,
  kDouble,
  kTime,   // MYSQL_TIME: DATE, DATETIME, TIMESTAMP, TIME
  kBytes,  // text or binary bytes, any length
};

FetchAs FetchKind(const BinlogColumn& column) {
  switch (column.type) {
    case BinlogColumnType::kTiny:
    case BinlogColumnType::kShort:
    case BinlogColumnType::kInt24:
    case BinlogColumnType::kLong:
    case BinlogColumnType::kLongLong:
      return column.is_unsigned ? FetchAs::kUnsigned : FetchAs::kSigned;
    case BinlogColumnType::kYear:
    case BinlogColumnType::kEnum:  // selected as `e`+0: the index
    case BinlogColumnType::kSet:   // selected as `s`+0: the bit mask
      return FetchAs::kUnsigned;
    case BinlogColumnType::kFloat:
      return FetchAs::kFloat;
    case BinlogColumnType::kDouble:
      return FetchAs::kDouble;
    case BinlogColumnType::kDate:
    case BinlogColumnType::kNewDate:
    case BinlogColumnType::kTime:
    case BinlogColumnType::kTime2:
    case BinlogColumnType::kDatetime:
    case BinlogColumnType::kDatetime2:
    case BinlogColumnType::kTimestamp:
    case BinlogColumnType::kTimestamp2:
      return FetchAs::kTime;
    default:
      return FetchAs::kBytes;  // DECIMAL text, BIT bytes, strings, JSON, GEOMETRY
  }
}

// The select-list expression for a column: ENUM/SET by number, so the
// names come from the TableMap exactly as the binlog decoder takes them.
std::string SelectExpression(const BinlogColumn& column) {
  const std::string name = QuoteMysqlIdentifier(column.name);
  if (column.type == BinlogColumnType::kEnum || column.type == BinlogColumnType::kSet) {
    return name + "+0";
  }
  return name;
}

bool IsBinaryString(const BinlogColumn& column) {
  return column.IsCharacter() && column.collation_id == kBinaryCollation;
}

int64_t MicrosFromCivil(const MYSQL_TIME& t) {
  const int64_t days = binlog_decoding::DaysFromCivil(
      static_cast<int>(t.year), static_cast<int>(t.month), static_cast<int>(t.day));
  return ((days * 24 + t.hour) * 60 + t.minute) * 60 * 1000000 + t.second * int64_t{1000000} +
         static_cast<int64_t>(t.second_part);
}

ColumnValue TemporalValue(const BinlogColumn& column, const MYSQL_TIME& t) {
  const cv::Date date{static_cast<int>(t.year), static_cast<int>(t.month), static_cast<int>(t.day)};
  switch (column.type) {
    case BinlogColumnType::kDate:
    case BinlogColumnType::kNewDate:
      return date;
    case BinlogColumnType::kTime:
    case BinlogColumnType::kTime2: {
      // Connector/C folds the protocol's days into `hour` (and leaves them
      // in `day` too): `hour` alone is the whole hours.
      const int64_t micros = (int64_t{t.hour} * 60 + t.minute) * 60 * 1000000 +
                             t.second * int64_t{1000000} + static_cast<int64_t>(t.second_part);
      return cv::Time{t.neg ? -micros : micros};
    }
    case BinlogColumnType::kTimestamp:
    case BinlogColumnType::kTimestamp2:
      // The session is in UTC; the zero TIMESTAMP arrives as all zeros.
      if (date.zero()) return cv::Timestamp{0};
      return cv::Timestamp{MicrosFromCivil(t)};
    default:
      return cv::DateTime{date, static_cast<int>(t.hour), static_cast<int>(t.minute),
                          static_cast<int>(t.second), static_cast<int>(t.second_part)};
  }
}

// The Key text of a key column's value (see SnapshotReader::Key).
std::string KeyText(const ColumnValue& value) {
  if (const auto* e = std::get_if<cv::Enum>(&value)) return std::to_string(e->index);
  if (const auto* s = std::get_if<cv::Set>(&value)) return std::to_string(s->bits);
  if (const auto* y = std::get_if<cv::Year>(&value)) return std::to_string(y->value);
  return FormatColumnValue(value, 6);
}

// Fixed-size storage for one column of the result row, bound once.
struct ResultSlot {
  FetchAs kind = FetchAs::kBytes;
  int64_t integer = 0;
  float single = 0;
  double real = 0;
  MYSQL_TIME time{};
  std::string bytes;  // the bound buffer (kBytes); grows after truncations
  unsigned long length = 0;
  my_bool is_null = 0;
  my_bool error = 0;
  uint32_t collation_id = 0;  // the result's, as the server reports it
};

// One parameter of the keyset condition.
struct KeyParam {
  int64_t integer = 0;
  double real = 0;
  std::string text;
  unsigned long length = 0;
};

constexpr size_t kInitialBytes = 256;
constexpr size_t kMaxBoundBytes = 64 * 1024;

}  // namespace

// One prepared chunk statement: a table's select with or without the keyset
// condition, its bound result row and parameters.
struct PreparedChunk {
  MYSQL_STMT* stmt = nullptr;
  std::vector<ResultSlot> slots;
  std::vector<MYSQL_BIND> result_binds;
  std::vector<KeyParam> params;
  std::vector<MYSQL_BIND> param_binds;
  uint64_t limit = 0;
  RowImage row;

  PreparedChunk() = default;
  PreparedChunk(const PreparedChunk&) = delete;
  PreparedChunk& operator=(const PreparedChunk&) = delete;
  ~PreparedChunk() {
    if (stmt != nullptr) mysql_stmt_close(stmt);
  }
};

struct SnapshotReader::Statements {
  std::map<std::string, std::unique_ptr<PreparedChunk>> by_shape;
  // Collations whose text the server sends unchanged to a utf8mb4 session
  // (utf8mb4, utf8mb3, ascii): values keep the column's collation id, so
  // they equal the binlog's exactly.
  std::set<uint32_t> unchanged_collations;
};

namespace {

std::string TableName(const TableMap& table) { return table.schema + "." + table.table; }

[[noreturn]] void ThrowStatementError(MYSQL_STMT* stmt, const MysqlConnection& connection,
                                      const TableMap& table, std::string_view what) {
  const unsigned int code = mysql_stmt_errno(stmt);
  std::string message(what);
  message += " table " + TableName(table) + " failed on " + connection.endpoint().Describe() +
             ": " + mysql_stmt_error(stmt) + " (error " + std::to_string(code) + ")";
  if (code == ER_NO_SUCH_TABLE || code == ER_TABLE_DEF_CHANGED) {
    message += "; the table was dropped or altered after the snapshot began: take a new snapshot";
  }
  throw SourceError(message, static_cast<int>(code));
}

// The key columns' condition "strictly after the key", written as the
// expanded disjunction the optimizer turns into one index range:
// (a > ?) OR (a = ? AND b > ?) OR ...
std::string KeysetCondition(const TableMap& table) {
  std::string where;
  auto placeholder = [&](uint32_t index) {
    return IsBinaryString(table.columns[index]) ? std::string("CAST(? AS BINARY)")
                                                : std::string("?");
  };
  for (size_t i = 0; i < table.primary_key.size(); ++i) {
    where += i == 0 ? "(" : " OR (";
    for (size_t k = 0; k < i; ++k) {
      const uint32_t index = table.primary_key[k];
      where +=
          QuoteMysqlIdentifier(table.columns[index].name) + " = " + placeholder(index) + " AND ";
    }
    const uint32_t index = table.primary_key[i];
    where += QuoteMysqlIdentifier(table.columns[index].name) + " > " + placeholder(index) + ")";
  }
  return where;
}

void BindParam(MYSQL_BIND& bind, KeyParam& param, const BinlogColumn& column,
               const std::string& text) {
  std::memset(&bind, 0, sizeof bind);
  switch (FetchKind(column)) {
    case FetchAs::kSigned:
      param.integer = std::strtoll(text.c_str(), nullptr, 10);
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &param.integer;
      return;
    case FetchAs::kUnsigned:
      param.integer = static_cast<int64_t>(std::strtoull(text.c_str(), nullptr, 10));
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.is_unsigned = 1;
      bind.buffer = &param.integer;
      return;
    case FetchAs::kFloat:
      // Widened from the float's own value, so the column (compared as a
      // double) equals it exactly.
      param.real = static_cast<double>(std::strtof(text.c_str(), nullptr));
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &param.real;
      return;
    case FetchAs::kDouble:
      param.real = std::strtod(text.c_str(), nullptr);
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &param.real;
      return;
    default:
      if (column.type == BinlogColumnType::kBit) {
        // BIT keys compare as numbers; the key text is the number.
        param.integer = static_cast<int64_t>(std::strtoull(text.c_str(), nullptr, 10));
        bind.buffer_type = MYSQL_TYPE_LONGLONG;
        bind.is_unsigned = 1;
        bind.buffer = &param.integer;
        return;
      }
      param.text = text;
      param.length = static_cast<unsigned long>(param.text.size());
      bind.buffer_type =
          column.type == BinlogColumnType::kNewDecimal ? MYSQL_TYPE_NEWDECIMAL : MYSQL_TYPE_STRING;
      bind.buffer = param.text.data();
      bind.buffer_length = param.length;
      bind.length = &param.length;
      return;
  }
}

void BindSlot(MYSQL_BIND& bind, ResultSlot& slot) {
  std::memset(&bind, 0, sizeof bind);
  bind.is_null = &slot.is_null;
  bind.error = &slot.error;
  bind.length = &slot.length;
  switch (slot.kind) {
    case FetchAs::kSigned:
    case FetchAs::kUnsigned:
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.is_unsigned = slot.kind == FetchAs::kUnsigned;
      bind.buffer = &slot.integer;
      break;
    case FetchAs::kFloat:
      bind.buffer_type = MYSQL_TYPE_FLOAT;
      bind.buffer = &slot.single;
      break;
    case FetchAs::kDouble:
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &slot.real;
      break;
    case FetchAs::kTime:
      bind.buffer_type = MYSQL_TYPE_DATETIME;
      bind.buffer = &slot.time;
      break;
    case FetchAs::kBytes:
      bind.buffer_type = MYSQL_TYPE_BLOB;
      bind.buffer = slot.bytes.data();
      bind.buffer_length = static_cast<unsigned long>(slot.bytes.size());
      break;
  }
}

std::unique_ptr<PreparedChunk> Prepare(MysqlConnection& connection, const TableMap& table,
                                       bool continuing,
                                       const std::set<uint32_t>& unchanged_collations) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    sql += (i ? ", " : "") + SelectExpression(table.columns[i]);
  }
  sql += " FROM " + QuoteMysqlIdentifier(table.schema) + "." + QuoteMysqlIdentifier(table.table);
  if (!table.primary_key.empty()) {
    if (continuing) sql += " WHERE " + KeysetCondition(table);
    sql += " ORDER BY ";
    for (size_t i = 0; i < table.primary_key.size(); ++i) {
      sql += (i ? ", " : "") + QuoteMysqlIdentifier(table.columns[table.primary_key[i]].name);
    }
    sql += " LIMIT ?";
  }

  auto chunk = std::make_unique<PreparedChunk>();
  chunk->stmt = mysql_stmt_init(connection.handle());
  if (chunk->stmt == nullptr) throw SourceError("out of memory creating a statement", 0);
  if (mysql_stmt_prepare(chunk->stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    ThrowStatementError(chunk->stmt, connection, table, "preparing a read of");
  }
  if (mysql_stmt_field_count(chunk->stmt) != table.columns.size()) {
    throw SourceError("table " + TableName(table) +
                          " has changed: its description no longer matches the server's",
                      ER_TABLE_DEF_CHANGED);
  }
  MYSQL_RES* metadata = mysql_stmt_result_metadata(chunk->stmt);
  const MYSQL_FIELD* fields = metadata != nullptr ? mysql_fetch_fields(metadata) : nullptr;
  chunk->slots.resize(table.columns.size());
  chunk->result_binds.resize(table.columns.size());
  for (size_t i = 0; i < table.columns.size(); ++i) {
    auto& slot = chunk->slots[i];
    slot.kind = FetchKind(table.columns[i]);
    if (slot.kind == FetchAs::kBytes) slot.bytes.resize(kInitialBytes);
    // Text in the column's own collation when the server sent it unchanged,
    // else in the collation the server converted it to (utf8mb4's).
    const auto& own = table.columns[i].collation_id;
    slot.collation_id = own && (*own == kBinaryCollation || unchanged_collations.contains(*own))
                            ? *own
                            : (fields != nullptr ? fields[i].charsetnr : 0);
    BindSlot(chunk->result_binds[i], slot);
  }
  if (metadata != nullptr) mysql_free_result(metadata);
  if (mysql_stmt_bind_result(chunk->stmt, chunk->result_binds.data()) != 0) {
    ThrowStatementError(chunk->stmt, connection, table, "binding the result of");
  }
  const size_t key_columns = table.primary_key.size();
  const size_t key_params = continuing ? key_columns * (key_columns + 1) / 2 : 0;
  chunk->params.resize(key_params + (key_columns > 0 ? 1 : 0));
  chunk->param_binds.resize(chunk->params.size());
  chunk->row.resize(table.columns.size());
  return chunk;
}

// Sets `out` to `bytes` as alternative T (cv::String, cv::Decimal or
// cv::Json), reusing the buffer `out` already holds when it is a T: the row
// image is reused from row to row, so text values cost no allocation.
template <typename T>
void AssignText(ColumnValue& out, std::string_view bytes, std::string T::*text) {
  T* existing = std::get_if<T>(&out);
  if (existing == nullptr) existing = &out.emplace<T>();
  (existing->*text).assign(bytes.data(), bytes.size());
}

// The ColumnValue of the fetched slot of column `column`, for every type but
// the text ones AssignValue fills in place.
ColumnValue SlotValue(const BinlogColumn& column, const ResultSlot& slot, std::string_view bytes) {
  if (slot.is_null) return cv::Null{};
  switch (column.type) {
    case BinlogColumnType::kYear:
      return cv::Year{static_cast<int>(slot.integer)};
    case BinlogColumnType::kEnum: {
      const auto index = static_cast<uint32_t>(slot.integer);
      cv::Enum out{index, ""};
      if (index >= 1 && index <= column.enum_values.size()) {
        out.name = column.enum_values[index - 1];
      }
      return out;
    }
    case BinlogColumnType::kSet:
      return binlog_decoding::DecodeSet(static_cast<uint64_t>(slot.integer), column.set_values);
    case BinlogColumnType::kBit: {
      const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
      return binlog_decoding::DecodeBit(std::span<const uint8_t>(data, bytes.size()),
                                        column.bit_width);
    }
    case BinlogColumnType::kGeometry:
      return cv::Unsupported{"GEOMETRY"};
    default:
      break;
  }
  switch (slot.kind) {
    case FetchAs::kSigned:
      return slot.integer;
    case FetchAs::kUnsigned:
      return static_cast<uint64_t>(slot.integer);
    case FetchAs::kFloat:
      return slot.single;
    case FetchAs::kDouble:
      return slot.real;
    case FetchAs::kTime:
      return TemporalValue(column, slot.time);
    case FetchAs::kBytes:
      break;
  }
  return cv::String{std::string(bytes), slot.collation_id};
}

// Converts the fetched slot of column `column` into its ColumnValue, into
// `out`.
void AssignValue(const BinlogColumn& column, const ResultSlot& slot, std::string_view bytes,
                 ColumnValue& out) {
  switch (slot.is_null ? BinlogColumnType::kNull : column.type) {
    case BinlogColumnType::kNewDecimal:
      return AssignText(out, bytes, &cv::Decimal::text);
    case BinlogColumnType::kJson:
      return AssignText(out, bytes, &cv::Json::text);
    default:
      break;
  }
  if (!slot.is_null && slot.kind == FetchAs::kBytes && column.IsCharacter()) {
    AssignText(out, bytes, &cv::String::bytes);
    std::get<cv::String>(out).collation_id = slot.collation_id;
    return;
  }
  out = SlotValue(column, slot, bytes);
}

}  // namespace

SnapshotReader SnapshotReader::Begin(const SourceEndpoint& endpoint) {
  auto connection = MysqlConnection::Connect(endpoint);
  if (connection.ServerFlavor() == BinlogFlavor::kMysql) {
    throw SourceError(
        "the source is MySQL " + connection.ServerVersion() +
            ": a full load needs the binlog position of its consistent snapshot, which only "
            "MariaDB reports without a lock (binlog_snapshot_file/position). The MySQL 8 "
            "equivalent (a brief FLUSH TABLES WITH READ LOCK, START TRANSACTION WITH "
            "CONSISTENT SNAPSHOT, SHOW MASTER STATUS or performance_schema.log_status for "
            "file, position and GTID_EXECUTED, UNLOCK TABLES; needs RELOAD) is documented in "
            "docs/ARCHITECTURE.md but not implemented: use a MariaDB source",
        0);
  }
  connection.Execute("SET SESSION time_zone = '+00:00'");
  connection.Execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  connection.Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  std::map<std::string, std::string> status;
  for (auto& row : connection.Query("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
    if (row.size() == 2 && row[0] && row[1]) status[*row[0]] = *row[1];
  }
  const std::string file = status["Binlog_snapshot_file"];
  const std::string offset = status["Binlog_snapshot_position"];
  if (file.empty() || offset.empty()) {
    throw SourceError("the source at " + endpoint.Describe() +
                          " reports no binlog snapshot position: is binary logging on "
                          "(log_bin)?",
                      0);
  }
  // UNIX_TIMESTAMP(NOW(6)) is "seconds.micros" in the session (UTC).
  const std::string now = connection.QueryScalar("SELECT UNIX_TIMESTAMP(NOW(6))").value_or("0");
  const size_t dot = now.find('.');
  int64_t started_at_us = std::stoll(now.substr(0, dot)) * 1000000;
  if (dot != std::string::npos) {
    std::string fraction = now.substr(dot + 1);
    fraction.resize(6, '0');
    started_at_us += std::stoll(fraction);
  }
  std::set<uint32_t> unchanged_collations;
  for (const auto& collation : ReadServerCollations(connection)) {
    if (collation.charset == "utf8mb4" || collation.charset == "utf8mb3" ||
        collation.charset == "utf8" || collation.charset == "ascii") {
      unchanged_collations.insert(collation.id);
    }
  }
  SnapshotReader reader(std::move(connection), BinlogPosition{file, std::stoull(offset)},
                        started_at_us);
  reader.statements_->unchanged_collations = std::move(unchanged_collations);
  return reader;
}

SnapshotReader::SnapshotReader(MysqlConnection connection, BinlogPosition position,
                               int64_t started_at_us)
    : connection_(std::make_unique<MysqlConnection>(std::move(connection))),
      position_(std::move(position)),
      started_at_us_(started_at_us),
      statements_(std::make_unique<Statements>()) {}

SnapshotReader::SnapshotReader(SnapshotReader&&) noexcept = default;
SnapshotReader& SnapshotReader::operator=(SnapshotReader&&) noexcept = default;
SnapshotReader::~SnapshotReader() {
  // Statements before their connection.
  statements_.reset();
}

uint64_t SnapshotReader::ReadChunk(const TableMap& table, const Key& after, uint64_t limit,
                                   const std::function<void(const RowImage&)>& on_row,
                                   Key& last_key) {
  const bool keyed = !table.primary_key.empty();
  const bool continuing = keyed && !after.empty();
  if (continuing && after.size() != table.primary_key.size()) {
    throw std::logic_error("ReadChunk: the key has " + std::to_string(after.size()) +
                           " values, the table's primary key " +
                           std::to_string(table.primary_key.size()) + " columns");
  }
  // One statement per table, shape (first or continuing chunk) and column
  // list, so a changed description gets a fresh statement.
  std::string shape = TableName(table) + (continuing ? "\n>" : "\n=");
  for (const auto& column : table.columns) shape += "\n" + column.name;
  auto& chunk = statements_->by_shape[shape];
  if (chunk == nullptr) {
    chunk = Prepare(*connection_, table, continuing, statements_->unchanged_collations);
  }
  MYSQL_STMT* stmt = chunk->stmt;

  if (keyed) {
    size_t p = 0;
    if (continuing) {
      for (size_t i = 0; i < table.primary_key.size(); ++i) {
        for (size_t k = 0; k <= i; ++k) {
          const auto& column = table.columns[table.primary_key[k]];
          BindParam(chunk->param_binds[p], chunk->params[p], column, after[k]);
          ++p;
        }
      }
    }
    chunk->params[p].integer = static_cast<int64_t>(limit);
    std::memset(&chunk->param_binds[p], 0, sizeof(MYSQL_BIND));
    chunk->param_binds[p].buffer_type = MYSQL_TYPE_LONGLONG;
    chunk->param_binds[p].is_unsigned = 1;
    chunk->param_binds[p].buffer = &chunk->params[p].integer;
    if (mysql_stmt_bind_param(stmt, chunk->param_binds.data()) != 0) {
      ThrowStatementError(stmt, *connection_, table, "binding the key of");
    }
  }
  if (mysql_stmt_execute(stmt) != 0) ThrowStatementError(stmt, *connection_, table, "reading");

  // Rows are fetched one at a time off the wire (no mysql_stmt_store_result):
  // memory stays bounded by the widest row. Whatever happens below, the rest
  // of the result is drained so the connection stays usable.
  struct FreeResult {
    MYSQL_STMT* stmt;
    ~FreeResult() { mysql_stmt_free_result(stmt); }
  } free_result{stmt};

  uint64_t rows = 0;
  RowImage& row = chunk->row;
  bool rebind = false;
  std::string long_value;  // a value longer than its bound buffer
  for (;;) {
    const int status = mysql_stmt_fetch(stmt);
    if (status == MYSQL_NO_DATA) break;
    if (status == 1) ThrowStatementError(stmt, *connection_, table, "reading");
    for (size_t i = 0; i < table.columns.size(); ++i) {
      auto& slot = chunk->slots[i];
      std::string_view bytes;
      if (slot.kind == FetchAs::kBytes && !slot.is_null) {
        if (slot.length <= slot.bytes.size()) {
          bytes = std::string_view(slot.bytes.data(), slot.length);
        } else {
          // Longer than the bound buffer: fetch the whole value now, and
          // bind a larger buffer for the rows after (up to a cap, so one
          // huge value does not pin memory).
          long_value.resize(slot.length);
          bytes = long_value;
          MYSQL_BIND whole;
          std::memset(&whole, 0, sizeof whole);
          whole.buffer_type = MYSQL_TYPE_BLOB;
          whole.buffer = long_value.data();
          whole.buffer_length = slot.length;
          unsigned long length = 0;
          whole.length = &length;
          if (mysql_stmt_fetch_column(stmt, &whole, static_cast<unsigned int>(i), 0) != 0) {
            ThrowStatementError(stmt, *connection_, table, "reading a long value of");
          }
          const size_t wanted = std::min<size_t>(slot.length, kMaxBoundBytes);
          if (wanted > slot.bytes.size()) {
            slot.bytes.resize(wanted);
            rebind = true;
          }
        }
      }
      AssignValue(table.columns[i], slot, bytes, row[i]);
    }
    if (rebind) {
      for (size_t i = 0; i < chunk->slots.size(); ++i) {
        BindSlot(chunk->result_binds[i], chunk->slots[i]);
      }
      if (mysql_stmt_bind_result(stmt, chunk->result_binds.data()) != 0) {
        ThrowStatementError(stmt, *connection_, table, "binding the result of");
      }
      rebind = false;
    }
    ++rows;
    on_row(row);
  }
  // The row image still holds the last row: its key is formatted once per
  // chunk, not per row.
  if (keyed && rows > 0) {
    last_key.resize(table.primary_key.size());
    for (size_t k = 0; k < table.primary_key.size(); ++k) {
      last_key[k] = KeyText(row[table.primary_key[k]]);
    }
  }
  if (!keyed) last_key.clear();
  return rows;
}

void SnapshotReader::End() {
  statements_->by_shape.clear();
  connection_->Execute("COMMIT");
}

}  // namespace futureim::source
