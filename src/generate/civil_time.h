#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/civil_date.h"

namespace futureim::generate {

// Calendar arithmetic in UTC on day numbers (days since 1970-01-01) and Unix
// seconds, independent of the process's time zone; built on core's civil
// date conversion.
using core::CivilDate;
using core::CivilFromDays;
using core::DaysFromCivil;

// 0 = Monday ... 6 = Sunday.
int WeekdayFromDays(int64_t days);
// Day of the year, 0-based.
int DayOfYear(int64_t days);
// The n-th (1-based) given weekday (0 = Monday) of a month.
int64_t NthWeekdayOfMonth(int year, int month, int weekday, int n);

// Parses exactly YYYY-MM-DD (a real date); nullopt otherwise.
std::optional<CivilDate> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(int64_t days);
// "YYYY-MM-DD HH:MM:SS" for a Unix time in seconds (UTC).
std::string FormatTimestamp(int64_t unix_seconds);
// Appends the same without allocating a temporary.
void AppendTimestamp(std::string& out, int64_t unix_seconds);

inline constexpr int64_t kSecondsPerDay = 86400;

}  // namespace futureim::generate
