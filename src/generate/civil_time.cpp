#include "generate/civil_time.h"

#include <cstdio>

namespace futureim::generate {

int WeekdayFromDays(int64_t days) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

int DayOfYear(int64_t days) {
  const CivilDate date = CivilFromDays(days);
  return static_cast<int>(days - DaysFromCivil({date.year, 1, 1}));
}

int64_t NthWeekdayOfMonth(int year, int month, int weekday, int n) {
  const int64_t first = DaysFromCivil({year, month, 1});
  const int offset = (weekday - WeekdayFromDays(first) + 7) % 7;
  return first + offset + 7 * (n - 1);
}

std::optional<CivilDate> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t pos, size_t len) -> int {
    int value = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (year < 1971 || month < 1 || month > 12 || day < 1) return std::nullopt;
  const CivilDate date{year, month, day};
  // Round-trip rejects 2025-02-30 and friends.
  const CivilDate back = CivilFromDays(DaysFromCivil(date));
  if (back.year != year || back.month != month || back.day != day) return std::nullopt;
  return date;
}

std::string FormatIsoDate(int64_t days) {
  const CivilDate date = CivilFromDays(days);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

void AppendTimestamp(std::string& out, int64_t unix_seconds) {
  int64_t days = unix_seconds / kSecondsPerDay;
  int64_t rest = unix_seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  char buffer[24];
  const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", date.year,
                              date.month, date.day, static_cast<int>(rest / 3600),
                              static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  out.append(buffer, static_cast<size_t>(n));
}

std::string FormatTimestamp(int64_t unix_seconds) {
  std::string out;
  AppendTimestamp(out, unix_seconds);
  return out;
}

}  // namespace futureim::generate
