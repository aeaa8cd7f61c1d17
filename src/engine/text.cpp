#include "engine/text.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace futureim::engine {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
constexpr int64_t kNanosPerDay = kMicrosPerDay * 1000;

// DuckDB's sentinels for +-infinity (not INT_MIN: that one is reserved).
constexpr int32_t kDateInfinity = std::numeric_limits<int32_t>::max();
constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void AppendUnsigned(std::string& out, uint64_t value, int min_digits = 1) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  for (int pad = min_digits - static_cast<int>(end - buf); pad > 0; --pad) out.push_back('0');
  out.append(buf, end);
}

void AppendSigned(std::string& out, int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, end);
}

std::string UInt128Digits(UInt128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  return {digits.rbegin(), digits.rend()};
}

// Magnitude of a signed 128-bit value without overflowing on the minimum.
UInt128 Magnitude(Int128 value) {
  return value < 0 ? UInt128{0} - static_cast<UInt128>(value) : static_cast<UInt128>(value);
}

// Hours may exceed 24 (intervals); the fraction is printed without trailing
// zeros, as DuckDB does.
void AppendClock(std::string& out, uint64_t units, uint64_t units_per_second, int fraction_digits) {
  const uint64_t seconds = units / units_per_second;
  const uint64_t fraction = units % units_per_second;
  AppendUnsigned(out, seconds / 3600, 2);
  out.push_back(':');
  AppendUnsigned(out, seconds / 60 % 60, 2);
  out.push_back(':');
  AppendUnsigned(out, seconds % 60, 2);
  if (fraction != 0) {
    out.push_back('.');
    std::string digits;
    AppendUnsigned(digits, fraction, fraction_digits);
    digits.erase(digits.find_last_not_of('0') + 1);
    out += digits;
  }
}

// Howard Hinnant's civil_from_days: exact for the whole int32 day range.
void CivilFromDays(int64_t days, int64_t& year, unsigned& month, unsigned& day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

// Years before 1 get a " (BC)" suffix right after the date, also inside
// timestamps ("0001-01-01 (BC) 10:00:00"), as DuckDB prints them.
void AppendDate(std::string& out, int64_t days) {
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, year, month, day);
  const bool before_christ = year <= 0;
  AppendUnsigned(out, static_cast<uint64_t>(before_christ ? 1 - year : year), 4);
  out.push_back('-');
  AppendUnsigned(out, month, 2);
  out.push_back('-');
  AppendUnsigned(out, day, 2);
  if (before_christ) out += " (BC)";
}

void AppendUnit(std::string& out, int64_t count, const char* unit) {
  if (count == 0) return;
  if (!out.empty()) out.push_back(' ');
  AppendSigned(out, count);
  out.push_back(' ');
  out += unit;
  if (count != 1 && count != -1) out.push_back('s');
}

template <typename T>
std::string FormatFloating(T value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // Shortest round-trip digits, then laid out the way DuckDB (fmt "{}") does.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(end - buf));
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::string_view exp_text = sci.substr(e + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);

  if (exponent < -4 || exponent >= 16) {
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(exponent < 0 ? '-' : '+');
    AppendUnsigned(out, static_cast<uint64_t>(exponent < 0 ? -exponent : exponent), 2);
  } else if (exponent >= 0) {
    const auto integer_digits = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= integer_digits) {
      out += digits;
      out.append(integer_digits - digits.size(), '0');
      out += ".0";
    } else {
      out.append(digits, 0, integer_digits);
      out.push_back('.');
      out.append(digits, integer_digits);
    }
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-exponent - 1), '0');
    out += digits;
  }
  return out;
}

}  // namespace

std::string FormatInt128(Int128 value) {
  std::string digits = UInt128Digits(Magnitude(value));
  return value < 0 ? "-" + digits : digits;
}

std::string FormatUInt128(UInt128 value) { return UInt128Digits(value); }

std::string FormatDecimal(const Decimal& value) {
  std::string digits = UInt128Digits(Magnitude(value.value));
  std::string out = value.value < 0 ? "-" : "";
  if (value.scale == 0) return out + digits;
  if (digits.size() <= value.scale) digits.insert(0, value.scale + 1 - digits.size(), '0');
  const size_t point = digits.size() - value.scale;
  // DuckDB has no integer digit when every digit is fractional: ".05".
  if (!(value.width == value.scale && digits.compare(0, point, "0") == 0)) {
    out.append(digits, 0, point);
  }
  out.push_back('.');
  out.append(digits, point);
  return out;
}

std::string FormatDouble(double value) { return FormatFloating(value); }
std::string FormatFloat(float value) { return FormatFloating(value); }

std::string FormatDate(Date value) {
  if (value.days == kDateInfinity) return "infinity";
  if (value.days == -kDateInfinity) return "-infinity";
  std::string out;
  AppendDate(out, value.days);
  return out;
}

std::string FormatTime(Time value) {
  std::string out;
  AppendClock(out, static_cast<uint64_t>(value.micros), kMicrosPerSecond, 6);
  return out;
}

std::string FormatTimeWithOffset(Time value, int32_t offset_seconds) {
  std::string out = FormatTime(value);
  out.push_back(offset_seconds < 0 ? '-' : '+');
  const uint32_t offset =
      offset_seconds < 0 ? 0u - static_cast<uint32_t>(offset_seconds) : offset_seconds;
  AppendUnsigned(out, offset / 3600, 2);
  if (offset % 3600 != 0) {
    out.push_back(':');
    AppendUnsigned(out, offset / 60 % 60, 2);
    if (offset % 60 != 0) {
      out.push_back(':');
      AppendUnsigned(out, offset % 60, 2);
    }
  }
  return out;
}

std::string FormatTimestamp(Timestamp value) {
  if (value.micros == kTimestampInfinity) return "infinity";
  if (value.micros == -kTimestampInfinity) return "-infinity";
  const int64_t days = FloorDiv(value.micros, kMicrosPerDay);
  std::string out;
  AppendDate(out, days);
  out.push_back(' ');
  AppendClock(out, static_cast<uint64_t>(value.micros - days * kMicrosPerDay), kMicrosPerSecond, 6);
  return out;
}

std::string FormatTimestampNanos(int64_t nanos) {
  if (nanos == kTimestampInfinity) return "infinity";
  if (nanos == -kTimestampInfinity) return "-infinity";
  const int64_t days = FloorDiv(nanos, kNanosPerDay);
  std::string out;
  AppendDate(out, days);
  out.push_back(' ');
  AppendClock(out, static_cast<uint64_t>(nanos - days * kNanosPerDay), 1'000'000'000, 9);
  return out;
}

std::string FormatInterval(const Interval& value) {
  std::string out;
  AppendUnit(out, value.months / 12, "year");
  AppendUnit(out, value.months % 12, "month");
  AppendUnit(out, value.days, "day");
  if (value.micros != 0) {
    if (!out.empty()) out.push_back(' ');
    if (value.micros < 0) out.push_back('-');
    const uint64_t magnitude = value.micros < 0 ? 0 - static_cast<uint64_t>(value.micros)
                                                : static_cast<uint64_t>(value.micros);
    AppendClock(out, magnitude, kMicrosPerSecond, 6);
  } else if (out.empty()) {
    out = "00:00:00";
  }
  return out;
}

std::string FormatBlob(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 32 && byte <= 126 && c != '\\' && c != '\'' && c != '"') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

std::string FormatUuid(Int128 stored) {
  static constexpr char kHex[] = "0123456789abcdef";
  const UInt128 bits = static_cast<UInt128>(stored) ^ (UInt128{1} << 127);
  std::string out;
  for (int nibble = 31; nibble >= 0; --nibble) {
    out.push_back(kHex[static_cast<int>(bits >> (nibble * 4)) & 0xF]);
    if (nibble == 24 || nibble == 20 || nibble == 16 || nibble == 12) out.push_back('-');
  }
  return out;
}

}  // namespace futureim::engine
