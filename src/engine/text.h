#pragma once

// Text renderings of DuckDB values. Each matches DuckDB 1.4's own
// CAST(x AS VARCHAR) output (the tests compare them; FormatFloat has one
// documented exception), so the CLI, exports and SQL agree on how a value
// looks. Pure functions: no DuckDB call.

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/values.h"

namespace futureim::engine {

std::string FormatInt128(Int128 value);
std::string FormatUInt128(UInt128 value);

// Exact: the unscaled integer with a decimal point inserted ("-0.05"; as in
// DuckDB, DECIMAL(w,w) has no integer digit: "-.05").
std::string FormatDecimal(const Decimal& value);

// Shortest text that reads back to the same value; exponent form outside
// 1e-5 <= |x| < 1e16 ("1e+20", "1e-07"), else fixed with at least one
// fractional digit ("1.0"); "nan", "inf", "-inf".
std::string FormatDouble(double value);
// As FormatDouble, with float precision. The one known difference from
// DuckDB: for ~2% of floats DuckDB 1.4 (its bundled fmt 6.1, when Grisu
// gives up) prints the digits of the value widened to double instead,
// e.g. "417439.125" where this gives "417439.12"; both read back to the same
// float.
std::string FormatFloat(float value);

// "2024-02-29"; years before 1 as "0044-03-15 (BC)"; "infinity"/"-infinity".
std::string FormatDate(Date value);
// "13:05:09", "13:05:09.25" (fraction without trailing zeros).
std::string FormatTime(Time value);
// "HH:MM:SS[.fraction]" followed by the UTC offset ("+05:30", "-08", "+00").
std::string FormatTimeWithOffset(Time value, int32_t offset_seconds);
// "2024-02-29 13:05:09.25" (space separator, as DuckDB and RFC 3339 allow);
// "infinity"/"-infinity".
std::string FormatTimestamp(Timestamp value);
// Same for nanosecond timestamps (TIMESTAMP_NS), up to 9 fractional digits.
std::string FormatTimestampNanos(int64_t nanos);
// "1 year 2 months -3 days -04:05:06.789"; the zero interval is "00:00:00".
std::string FormatInterval(const Interval& value);
// Printable ASCII as is; other bytes and the quote/backslash characters as
// "\xHH" (upper-case hex).
std::string FormatBlob(std::string_view bytes);
// "6b0f3c50-6d1c-4b7e-9d3e-1234567890ab" from DuckDB's UUID storage (a
// HUGEINT with the top bit flipped so that signed order is UUID order).
std::string FormatUuid(Int128 stored);

}  // namespace futureim::engine
