#include "ml/retail_calendar.h"

namespace futureim::ml {

std::vector<Holiday> RetailHolidays(int first_year, int last_year) {
  std::vector<Holiday> days;
  for (int year = first_year; year <= last_year; ++year) {
    const int64_t november_first = core::DaysFromCivil({year, 11, 1});
    // 1970-01-01 was a Thursday, so day % 7 == 0 is a Thursday.
    const int64_t weekday = ((november_first % 7) + 7) % 7;  // 0 = Thursday
    const int64_t first_thursday = november_first + (7 - weekday) % 7;
    const int64_t black_friday = first_thursday + 21 + 1;
    days.push_back({"Black Friday", core::CivilFromDays(black_friday)});
    days.push_back({"Cyber weekend", core::CivilFromDays(black_friday + 1)});
    days.push_back({"Cyber weekend", core::CivilFromDays(black_friday + 2)});
    days.push_back({"Cyber Monday", core::CivilFromDays(black_friday + 3)});
    for (int day = 10; day <= 22; ++day) days.push_back({"Christmas run-up", {year, 12, day}});
    days.push_back({"Christmas Eve", {year, 12, 24}});
    days.push_back({"Christmas Day", {year, 12, 25}});
    for (int day = 26; day <= 31; ++day) days.push_back({"Year end", {year, 12, day}});
  }
  return days;
}

}  // namespace futureim::ml
