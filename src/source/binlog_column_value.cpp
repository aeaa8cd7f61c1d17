#include "source/binlog_column_value.h"

#include <cstdio>
#include <type_traits>

#include "source/binlog_value_decoding.h"

namespace futureim::source {
namespace {

std::string Pad(int64_t value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  }
  return digits;
}

// ".ffffff" cut to `fsp` digits (empty for fsp 0).
std::string Fraction(int64_t microseconds, int fsp) {
  if (fsp <= 0) return "";
  return "." + Pad(microseconds, 6).substr(0, static_cast<size_t>(fsp));
}

std::string FormatDate(const column_value::Date& d) {
  return Pad(d.year, 4) + "-" + Pad(d.month, 2) + "-" + Pad(d.day, 2);
}

std::string FormatClock(int hour, int minute, int second) {
  return Pad(hour, 2) + ":" + Pad(minute, 2) + ":" + Pad(second, 2);
}

}  // namespace

std::string FormatColumnValue(const ColumnValue& value, int fsp) {
  namespace cv = column_value;
  return std::visit(
      [fsp](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, cv::Absent>) {
          return "<absent>";
        } else if constexpr (std::is_same_v<T, cv::Null>) {
          return "NULL";
        } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          // Shortest text that reads back to the same value.
          char buf[64];
          const int digits = std::is_same_v<T, float> ? 9 : 17;
          for (int p = 1; p <= digits; ++p) {
            std::snprintf(buf, sizeof buf, "%.*g", p, static_cast<double>(v));
            if (static_cast<T>(std::strtod(buf, nullptr)) == v) break;
          }
          return buf;
        } else if constexpr (std::is_same_v<T, cv::Decimal>) {
          return v.text;
        } else if constexpr (std::is_same_v<T, cv::String>) {
          return v.bytes;
        } else if constexpr (std::is_same_v<T, cv::Date>) {
          return FormatDate(v);
        } else if constexpr (std::is_same_v<T, cv::Time>) {
          const int64_t magnitude = v.microseconds < 0 ? -v.microseconds : v.microseconds;
          const int64_t seconds = magnitude / 1000000;
          std::string text = v.microseconds < 0 ? "-" : "";
          text += Pad(seconds / 3600, 2) + ":" + Pad(seconds / 60 % 60, 2) + ":" +
                  Pad(seconds % 60, 2) + Fraction(magnitude % 1000000, fsp);
          return text;
        } else if constexpr (std::is_same_v<T, cv::DateTime>) {
          return FormatDate(v.date) + " " + FormatClock(v.hour, v.minute, v.second) +
                 Fraction(v.microsecond, fsp);
        } else if constexpr (std::is_same_v<T, cv::Timestamp>) {
          if (v.zero()) return "0000-00-00 00:00:00" + Fraction(0, fsp);
          int64_t seconds = v.utc_microseconds / 1000000;
          const int64_t micros = v.utc_microseconds % 1000000;
          const int64_t days = seconds / 86400;
          seconds %= 86400;
          return FormatDate(binlog_decoding::CivilFromDays(days)) + " " +
                 FormatClock(static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60),
                             static_cast<int>(seconds % 60)) +
                 Fraction(micros, fsp);
        } else if constexpr (std::is_same_v<T, cv::Year>) {
          return Pad(v.value, 4);
        } else if constexpr (std::is_same_v<T, cv::Bit>) {
          return std::to_string(v.value);
        } else if constexpr (std::is_same_v<T, cv::Enum>) {
          return v.name;
        } else if constexpr (std::is_same_v<T, cv::Set>) {
          std::string text;
          for (const auto& name : v.names) text += (text.empty() ? "" : ",") + name;
          return text;
        } else if constexpr (std::is_same_v<T, cv::Json>) {
          return v.text;
        } else {
          return "<unsupported " + v.type_name + ">";
        }
      },
      value);
}

}  // namespace futureim::source
