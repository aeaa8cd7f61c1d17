#pragma once

// Dates and periods in a question ("last month", "Q3 2025", "since March",
// "yesterday", "this year vs last", "in the last 30 days"), resolved against
// the day the question is asked. Every period is a half-open range of days
// [start, end) so SQL compares `order_date >= start AND order_date < end`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace futureim::systems::copilot {

struct DayRange {
  int64_t start = 0;  // days since 1970-01-01, inclusive
  int64_t end = 0;    // exclusive
  std::string label;  // "last month", "Q3 2025"

  friend bool operator==(const DayRange&, const DayRange&) = default;
};

struct QuestionPeriods {
  std::optional<DayRange> period;
  // The period compared with ("vs last year"), when the question compares.
  std::optional<DayRange> compared_with;
};

// `text` is lower-cased; `today` is the day of the question (its data is
// partial). Unrecognised text yields no period (all time).
QuestionPeriods ParsePeriods(std::string_view text, int64_t today);

// "2025-10-01".
std::string IsoDate(int64_t day);

}  // namespace futureim::systems::copilot
