#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace futureim::source {

// One column's value from a binlog row image, kept lossless: every MySQL /
// MariaDB type maps to the alternative that represents all its values
// exactly; turning it into a lake type is later code's business.
namespace column_value {

// The column is not in this row image (the event's columns-present bitmap
// leaves it out, e.g. with binlog_row_image=MINIMAL). Distinct from SQL NULL.
struct Absent {
  bool operator==(const Absent&) const = default;
};
struct Null {
  bool operator==(const Null&) const = default;
};
// DECIMAL as exact text in the server's own format, e.g. "-12.340".
struct Decimal {
  std::string text;
  bool operator==(const Decimal&) const = default;
};
// CHAR/VARCHAR/TEXT/BLOB/BINARY bytes as stored, with the column's collation
// id (63 = binary; e.g. 45/46/224 utf8mb4, 8/47 latin1). Not transcoded.
struct String {
  std::string bytes;
  uint32_t collation_id = 0;
  bool operator==(const String&) const = default;
};
// DATE. MySQL allows '0000-00-00' and dates with zero parts ('2020-00-00');
// `zero` flags any zero part so later code maps it to NULL with a warning.
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  bool zero() const { return year == 0 || month == 0 || day == 0; }
  bool operator==(const Date&) const = default;
};
// TIME as signed microseconds (range ±838:59:59.999999).
struct Time {
  int64_t microseconds = 0;
  bool operator==(const Time&) const = default;
};
// DATETIME: a naive (zone-less) date and time.
struct DateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
  bool zero() const { return date.zero(); }
  bool operator==(const DateTime&) const = default;
};
// TIMESTAMP: an instant, microseconds since 1970-01-01 00:00:00 UTC. The
// binlog stores it in UTC whatever the session time zone. `zero` is
// '0000-00-00 00:00:00' (stored as 0, which no real TIMESTAMP can be).
struct Timestamp {
  int64_t utc_microseconds = 0;
  bool zero() const { return utc_microseconds == 0; }
  bool operator==(const Timestamp&) const = default;
};
// YEAR: 1901..2155, or 0 for the zero year '0000'.
struct Year {
  int value = 0;
  bool operator==(const Year&) const = default;
};
struct Bit {
  uint64_t value = 0;
  int width = 0;  // 1..64
  bool operator==(const Bit&) const = default;
};
// ENUM by name; index 0 is the special '' error value (name empty).
struct Enum {
  uint32_t index = 0;
  std::string name;
  bool operator==(const Enum&) const = default;
};
struct Set {
  uint64_t bits = 0;
  std::vector<std::string> names;  // in definition order
  bool operator==(const Set&) const = default;
};
// JSON as text (MariaDB stores JSON as LONGTEXT, so this is the text as sent).
struct Json {
  std::string text;
  bool operator==(const Json&) const = default;
};
// A type this decoder cannot represent (e.g. GEOMETRY): its bytes were
// skipped correctly, but the value is not available.
struct Unsupported {
  std::string type_name;
  bool operator==(const Unsupported&) const = default;
};

}  // namespace column_value

// int64_t: signed integers; uint64_t: unsigned integers (BIGINT UNSIGNED may
// exceed 2^63); float/double: FLOAT/DOUBLE bit-exact.
using ColumnValue =
    std::variant<column_value::Absent, column_value::Null, int64_t, uint64_t, float, double,
                 column_value::Decimal, column_value::String, column_value::Date,
                 column_value::Time, column_value::DateTime, column_value::Timestamp,
                 column_value::Year, column_value::Bit, column_value::Enum, column_value::Set,
                 column_value::Json, column_value::Unsupported>;

using RowImage = std::vector<ColumnValue>;

// The value in the server's text form, as `SELECT` shows it (for tests and
// diagnostics): integers in decimal, "2024-01-31", "-838:59:59.000000" (with
// `fsp` fraction digits for TIME/DATETIME/TIMESTAMP), timestamps in UTC, BIT
// as its number, SET as "a,b", strings as their raw bytes, NULL as "NULL".
std::string FormatColumnValue(const ColumnValue& value, int fsp = 0);

}  // namespace futureim::source
