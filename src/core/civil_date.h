#pragma once

#include <cstdint>

namespace futureim::core {

// A proleptic Gregorian calendar date. Day numbers count days since
// 1970-01-01 (negative before), independent of any time zone.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Howard Hinnant's days_from_civil / civil_from_days: exact for every day
// number that fits the year in an int. The date must be valid (no range check).
int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);

}  // namespace futureim::core
