#include "replicate/raw_change_writer.h"

#include <chrono>
#include <random>
#include <type_traits>

#include <unistd.h>

#include "core/error.h"
#include "engine/sql_text.h"

namespace futureim::replicate {
namespace fs = std::filesystem;
namespace cv = source::column_value;
using engine::QuoteIdentifier;
using engine::QuoteLiteral;

namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

// ZSTD level of the raw tier's Parquet files. Level 1 costs ~25 % less CPU
// than DuckDB's default (3) for files ~20 % larger (measured on the full-load
// benchmark's rows); the raw tier is written once per change and read by the
// curation run, so write speed matters more than the last bytes. Any Parquet
// reader (DuckDB, Spark, Trino, Athena) reads every level alike.
constexpr int kZstdLevel = 1;

int64_t DaysFromCivil(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

// A random id so two processes (or a crashed and a restarted one) never pick
// the same staged file name.
std::string RandomWriterId() {
  std::random_device device;
  char id[32];
  std::snprintf(id, sizeof(id), "w%d-%08x", static_cast<int>(::getpid()), device());
  return id;
}

}  // namespace

engine::Decimal ParseDecimalText(const std::string& text, uint8_t width, uint8_t scale) {
  engine::Decimal decimal{width, scale, 0};
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int integer_digits = 0;
  int fraction_digits = 0;
  bool in_fraction = false;
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any_digit = true;
    if (in_fraction) {
      if (fraction_digits == scale) {
        if (c != '0') break;  // more precision than the column has: refuse below
        continue;
      }
      ++fraction_digits;
    } else if (integer_digits > 0 || c != '0') {
      ++integer_digits;
    }
    decimal.value = decimal.value * 10 + (c - '0');
  }
  if (i != text.size() || !any_digit || integer_digits > width - scale) {
    throw core::Error("value '" + text + "' does not fit DECIMAL(" + std::to_string(width) + "," +
                      std::to_string(scale) + ")");
  }
  for (; fraction_digits < scale; ++fraction_digits) decimal.value *= 10;
  if (negative) decimal.value = -decimal.value;
  return decimal;
}

uint64_t AppendRawValue(engine::Appender& appender, const RawColumn& column,
                        const source::ColumnValue& value,
                        const source::CharsetTranscoder& transcoder, ConversionWarnings& warnings) {
  uint64_t bytes = 0;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, cv::Absent>) {
          throw core::Error("column " + column.name +
                            " is missing from a binlog row image: the source must use "
                            "binlog_row_image=FULL");
        } else if constexpr (std::is_same_v<T, cv::Null>) {
          appender.AppendValue(engine::Null{});
        } else if constexpr (std::is_same_v<T, int64_t>) {
          appender.Append(v);
          bytes += 8;
        } else if constexpr (std::is_same_v<T, uint64_t>) {
          if (column.kind == RawValueKind::kUnsignedBigInt) {
            appender.Append(engine::Decimal{20, 0, static_cast<engine::Int128>(v)});
          } else {
            appender.Append(v);
          }
          bytes += 8;
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          appender.Append(v);
          bytes += sizeof(T);
        } else if constexpr (std::is_same_v<T, cv::Decimal>) {
          if (column.kind != RawValueKind::kWideDecimal) {
            // Checked here (a value that does not fit is an error, never a
            // rounded number), then handed over as its text: DuckDB parses
            // exact decimal text into the column's scaled integer without
            // the boxed Value a decimal append would allocate per row.
            ParseDecimalText(v.text, column.decimal_width, column.decimal_scale);
          }
          appender.Append(std::string_view(v.text));
          bytes += 16;
        } else if constexpr (std::is_same_v<T, cv::String>) {
          if (column.kind == RawValueKind::kBlob) {
            appender.Append(engine::Blob{v.bytes});
          } else {
            const std::string text = transcoder.ToUtf8(v.bytes, v.collation_id);
            appender.Append(std::string_view(text));
          }
          bytes += v.bytes.size() + 16;
        } else if constexpr (std::is_same_v<T, cv::Date>) {
          if (v.zero()) {
            ++warnings.zero_dates;
            appender.AppendValue(engine::Null{});
          } else {
            appender.Append(
                engine::Date{static_cast<int32_t>(DaysFromCivil(v.year, v.month, v.day))});
          }
          bytes += 4;
        } else if constexpr (std::is_same_v<T, cv::Time>) {
          appender.Append(v.microseconds);
          bytes += 8;
        } else if constexpr (std::is_same_v<T, cv::DateTime>) {
          if (v.zero()) {
            ++warnings.zero_dates;
            appender.AppendValue(engine::Null{});
          } else {
            const int64_t days = DaysFromCivil(v.date.year, v.date.month, v.date.day);
            const int64_t micros = days * kMicrosPerDay +
                                   ((v.hour * 60LL + v.minute) * 60LL + v.second) * 1'000'000LL +
                                   v.microsecond;
            appender.Append(engine::Timestamp{micros});
          }
          bytes += 8;
        } else if constexpr (std::is_same_v<T, cv::Timestamp>) {
          if (v.zero()) {
            ++warnings.zero_dates;
            appender.AppendValue(engine::Null{});
          } else {
            appender.Append(engine::Timestamp{v.utc_microseconds});
          }
          bytes += 8;
        } else if constexpr (std::is_same_v<T, cv::Year>) {
          appender.Append(static_cast<int16_t>(v.value));
          bytes += 2;
        } else if constexpr (std::is_same_v<T, cv::Bit>) {
          if (column.kind == RawValueKind::kUnsignedBigInt) {
            appender.Append(engine::Decimal{20, 0, static_cast<engine::Int128>(v.value)});
          } else {
            appender.Append(static_cast<int64_t>(v.value));
          }
          bytes += 8;
        } else if constexpr (std::is_same_v<T, cv::Enum>) {
          appender.Append(std::string_view(v.name));
          bytes += v.name.size() + 16;
        } else if constexpr (std::is_same_v<T, cv::Set>) {
          std::string text;
          for (const auto& name : v.names) {
            if (!text.empty()) text += ',';
            text += name;
          }
          appender.Append(std::string_view(text));
          bytes += text.size() + 16;
        } else if constexpr (std::is_same_v<T, cv::Json>) {
          appender.Append(std::string_view(v.text));
          bytes += v.text.size() + 16;
        } else if constexpr (std::is_same_v<T, cv::Unsupported>) {
          ++warnings.unsupported_values;
          appender.AppendValue(engine::Null{});
        } else {
          static_assert(std::is_void_v<T>, "every ColumnValue alternative is handled");
        }
      },
      value);
  return bytes;
}

// One source table's rows since the last spill, in a DuckDB temp table of the
// table's raw schema (change columns last).
struct RawChangeWriter::TableBuffer {
  RawTableSchema schema;
  std::string buffer_table;
  std::optional<engine::Appender> appender;
  uint64_t rows = 0;
  // Rows per partition day (UTC days since 1970-01-01 of `_commit_ts`),
  // counted as rows arrive so a spill needs no scan of the buffer to find
  // its partitions.
  std::map<int64_t, uint64_t> rows_per_day;
};

RawChangeWriter::RawChangeWriter(engine::Database& database, lake::RawTierLayout layout,
                                 const source::CharsetTranscoder& transcoder, Options options)
    : connection_(database),
      layout_(std::move(layout)),
      transcoder_(transcoder),
      options_(options),
      writer_id_(RandomWriterId()) {
  // Partition dates and TIMESTAMPTZ values are in UTC, whatever the host's zone.
  connection_.Execute("SET TimeZone='UTC'");
}

RawChangeWriter::~RawChangeWriter() {
  try {
    Discard();
  } catch (...) {  // NOLINT(bugprone-empty-catch): best effort; a restart cleans up
  }
}

RawChangeWriter::TableBuffer& RawChangeWriter::BufferFor(const RawTableSchema& table) {
  // Consecutive rows nearly always belong to the table of the row before:
  // reuse its buffer without building the map key.
  if (last_buffer_ != nullptr && last_buffer_->appender &&
      last_buffer_->schema.table == table.table && last_buffer_->schema.schema == table.schema &&
      last_buffer_->schema.SameColumns(table)) {
    return *last_buffer_;
  }
  auto& slot = buffers_[table.QualifiedName()];
  if (slot && !slot->schema.SameColumns(table)) SpillTable(*slot);
  if (!slot || !slot->appender) {
    if (!slot) slot = std::make_unique<TableBuffer>();
    slot->schema = table;
    slot->buffer_table = "raw_buffer_" + std::to_string(++buffer_counter_);
    std::string sql = "CREATE TEMP TABLE " + slot->buffer_table + " (";
    for (const auto& column : table.columns) {
      sql += QuoteIdentifier(column.name) + " " + column.sql_type + ", ";
    }
    sql += std::string(kOpColumn) + " VARCHAR, " + kCommitTsColumn + " TIMESTAMPTZ, " + kSeqColumn +
           " BIGINT)";
    connection_.Execute(sql);
    slot->appender.emplace(connection_, slot->buffer_table);
    slot->rows = 0;
    slot->rows_per_day.clear();
  }
  last_buffer_ = slot.get();
  return *slot;
}

void RawChangeWriter::Append(const RawTableSchema& table, char op, int64_t commit_ts_us,
                             uint64_t seq, const source::RowImage& row) {
  if (!row.empty() && row.size() != table.columns.size()) {
    throw core::Error("table " + table.QualifiedName() + ": a row has " +
                      std::to_string(row.size()) + " values for " +
                      std::to_string(table.columns.size()) + " columns");
  }
  TableBuffer& buffer = BufferFor(table);
  engine::Appender& appender = *buffer.appender;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (row.empty()) {
      appender.AppendValue(engine::Null{});
    } else {
      buffered_bytes_ += AppendRawValue(appender, table.columns[i], row[i], transcoder_, warnings_);
    }
  }
  const char op_text[2] = {op, '\0'};
  appender.Append(std::string_view(op_text, 1));
  appender.Append(engine::Timestamp{commit_ts_us});
  appender.Append(static_cast<int64_t>(seq));
  appender.EndRow();
  ++buffer.rows;
  // Floor division: the day of a time before 1970 is negative.
  const int64_t day = commit_ts_us / kMicrosPerDay - (commit_ts_us % kMicrosPerDay < 0 ? 1 : 0);
  ++buffer.rows_per_day[day];
  ++buffered_rows_;
  buffered_bytes_ += 24;
  if (buffered_bytes_ >= options_.spill_bytes) Spill();
}

void RawChangeWriter::SpillTable(TableBuffer& buffer) {
  if (!buffer.appender) return;
  buffer.appender->Close();
  buffer.appender.reset();
  if (buffer.rows > 0) {
    const std::string& t = buffer.buffer_table;
    std::string columns;
    for (const auto& column : buffer.schema.columns) columns += QuoteIdentifier(column.name) + ", ";
    columns += std::string(kOpColumn) + ", " + kCommitTsColumn + ", " + kSeqColumn;
    for (const auto& [day, rows] : buffer.rows_per_day) {
      const fs::path dir = layout_.PartitionDir(buffer.schema.schema, buffer.schema.table, day);
      fs::create_directories(dir);
      const fs::path path = dir / lake::RawTierLayout::InProgressFileName(
                                      writer_id_ + "-" + std::to_string(++file_counter_));
      const std::string where = buffer.rows_per_day.size() == 1
                                    ? std::string()
                                    : " WHERE CAST(" + std::string(kCommitTsColumn) +
                                          " AS DATE) - DATE '1970-01-01' = " + std::to_string(day);
      try {
        // Rows were appended in _seq order and DuckDB keeps insertion order
        // (preserve_insertion_order, on by default), so no sort is needed.
        connection_.Execute("COPY (SELECT " + columns + " FROM " + t + where + ") TO " +
                            QuoteLiteral(path.string()) +
                            " (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL " +
                            std::to_string(kZstdLevel) + ")");
      } catch (...) {
        std::error_code ignored;
        fs::remove(path, ignored);
        throw;
      }
      staged_.push_back({path, buffer.schema.schema, buffer.schema.table, day, rows});
    }
  }
  connection_.Execute("DROP TABLE " + buffer.buffer_table);
  buffered_rows_ -= buffer.rows;
  buffer.rows = 0;
  buffer.rows_per_day.clear();
}

void RawChangeWriter::Spill() {
  for (auto& [name, buffer] : buffers_) SpillTable(*buffer);
  buffered_bytes_ = 0;
  buffered_rows_ = 0;
}

std::vector<StagedFile> RawChangeWriter::TakeStagedFiles() {
  Spill();
  return std::exchange(staged_, {});
}

void RawChangeWriter::Discard() {
  for (auto& [name, buffer] : buffers_) {
    if (buffer->appender) {
      buffer->appender.reset();
      connection_.Execute("DROP TABLE IF EXISTS " + buffer->buffer_table);
    }
  }
  buffers_.clear();
  last_buffer_ = nullptr;
  for (const auto& file : staged_) {
    std::error_code ignored;
    fs::remove(file.path, ignored);
  }
  staged_.clear();
  buffered_bytes_ = 0;
  buffered_rows_ = 0;
}

}  // namespace futureim::replicate
