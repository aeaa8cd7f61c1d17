#include "systems/copilot/period_parser.h"

#include <array>
#include <cstdio>
#include <regex>

#include "core/civil_date.h"

namespace futureim::systems::copilot {

namespace {

using core::CivilDate;
using core::CivilFromDays;
using core::DaysFromCivil;

constexpr std::array<const char*, 12> kMonths = {"january",   "february", "march",    "april",
                                                 "may",       "june",     "july",     "august",
                                                 "september", "october",  "november", "december"};
constexpr const char* kMonthPattern =
    "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

int MonthNumber(const std::string& name) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (std::string_view(kMonths[i]).substr(0, 3) == std::string_view(name).substr(0, 3)) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

int64_t MonthStart(int year, int month) {
  while (month < 1) month += 12, --year;
  while (month > 12) month -= 12, ++year;
  return DaysFromCivil({year, month, 1});
}

DayRange Month(int year, int month, std::string label) {
  return {MonthStart(year, month), MonthStart(year, month + 1), std::move(label)};
}

DayRange Quarter(int year, int quarter, std::string label) {
  return {MonthStart(year, 3 * quarter - 2), MonthStart(year, 3 * quarter + 1), std::move(label)};
}

DayRange Year(int year, std::string label) {
  return {DaysFromCivil({year, 1, 1}), DaysFromCivil({year + 1, 1, 1}), std::move(label)};
}

// Monday of the week holding `day` (1970-01-01 was a Thursday).
int64_t WeekStart(int64_t day) { return day - ((day % 7 + 7 + 3) % 7); }

// The named unit ("day", "week", "month", "quarter", "year") holding `today`
// shifted by `offset` units.
DayRange UnitPeriod(const std::string& unit, int offset, int64_t today, std::string label) {
  const CivilDate now = CivilFromDays(today);
  if (unit == "day") return {today + offset, today + offset + 1, std::move(label)};
  if (unit == "week") {
    const int64_t start = WeekStart(today) + 7 * offset;
    return {start, start + 7, std::move(label)};
  }
  if (unit == "month") return Month(now.year, now.month + offset, std::move(label));
  if (unit == "quarter") {
    int quarter = (now.month - 1) / 3 + 1 + offset;
    int year = now.year;
    while (quarter < 1) quarter += 4, --year;
    while (quarter > 4) quarter -= 4, ++year;
    return Quarter(year, quarter, std::move(label));
  }
  return Year(now.year + offset, std::move(label));
}

std::string Singular(std::string unit) {
  if (!unit.empty() && unit.back() == 's') unit.pop_back();
  return unit;
}

// The most recent `month` (this year's if it has begun, else last year's).
int YearOfLatest(int month, int64_t today) {
  const CivilDate now = CivilFromDays(today);
  return month <= now.month ? now.year : now.year - 1;
}

std::optional<DayRange> ParseOne(const std::string& text, int64_t today) {
  std::smatch m;
  static const std::regex kLastN(
      R"(\b(?:last|past|previous|trailing)\s+(\d{1,4})\s+(days?|weeks?|months?|years?)\b)");
  if (std::regex_search(text, m, kLastN)) {
    const int n = std::stoi(m[1]);
    const std::string unit = Singular(m[2]);
    const std::string label = "the last " + m[1].str() + " " + m[2].str();
    if (unit == "day") return DayRange{today - n + 1, today + 1, label};
    if (unit == "week") return DayRange{today - 7 * n + 1, today + 1, label};
    const CivilDate now = CivilFromDays(today);
    const int months = unit == "month" ? n : 12 * n;
    const CivilDate from = CivilFromDays(MonthStart(now.year, now.month - months));
    const int day = std::min(
        now.day, static_cast<int>(CivilFromDays(MonthStart(from.year, from.month + 1) - 1).day));
    return DayRange{DaysFromCivil({from.year, from.month, day}) + 1, today + 1, label};
  }
  static const std::regex kQuarter(R"(\bq([1-4])(?:\s*(?:of\s+)?(\d{4}))?\b)");
  if (std::regex_search(text, m, kQuarter)) {
    const int quarter = std::stoi(m[1]);
    const int year = m[2].matched ? std::stoi(m[2]) : CivilFromDays(today).year;
    return Quarter(year, quarter, "Q" + m[1].str() + " " + std::to_string(year));
  }
  static const std::regex kSince(std::string(R"(\bsince\s+)") + kMonthPattern +
                                 R"((?:\s+(\d{4}))?\b)");
  if (std::regex_search(text, m, kSince)) {
    const int month = MonthNumber(m[1]);
    const int year = m[2].matched ? std::stoi(m[2]) : YearOfLatest(month, today);
    return DayRange{MonthStart(year, month), today + 1,
                    "since " + std::string(kMonths[month - 1]) + " " + std::to_string(year)};
  }
  static const std::regex kMonthName(std::string(R"(\b(?:in|during|for|of)\s+)") + kMonthPattern +
                                     R"((?:\s+(\d{4}))?\b)");
  static const std::regex kMonthYear(std::string(R"(\b)") + kMonthPattern + R"(\s+(\d{4})\b)");
  if (std::regex_search(text, m, kMonthYear) || std::regex_search(text, m, kMonthName)) {
    const int month = MonthNumber(m[1]);
    const int year = m[2].matched ? std::stoi(m[2]) : YearOfLatest(month, today);
    return Month(year, month, std::string(kMonths[month - 1]) + " " + std::to_string(year));
  }
  static const std::regex kYear(R"(\b(?:in|during|for|of)\s+(20\d{2})\b)");
  if (std::regex_search(text, m, kYear)) return Year(std::stoi(m[1]), m[1].str());
  if (text.find("yesterday") != std::string::npos) {
    return UnitPeriod("day", -1, today, "yesterday");
  }
  if (std::regex_search(text, std::regex(R"(\btoday\b)"))) {
    return UnitPeriod("day", 0, today, "today");
  }
  static const std::regex kNamed(
      R"(\b(last|previous|prior|this|current|past)\s+(week|month|quarter|year)\b)");
  if (std::regex_search(text, m, kNamed)) {
    const bool current = m[1] == "this" || m[1] == "current";
    return UnitPeriod(m[2], current ? 0 : -1, today, (current ? "this " : "last ") + m[2].str());
  }
  static const std::regex kToDate(R"(\b(ytd|mtd|year to date|month to date)\b)");
  if (std::regex_search(text, m, kToDate)) {
    const bool year = m[1].str()[0] == 'y';
    const auto unit = UnitPeriod(year ? "year" : "month", 0, today, "");
    return DayRange{unit.start, today + 1, year ? "this year to date" : "this month to date"};
  }
  return std::nullopt;
}

}  // namespace

std::string IsoDate(int64_t day) {
  const CivilDate date = CivilFromDays(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
  return text;
}

QuestionPeriods ParsePeriods(std::string_view view, int64_t today) {
  // Common abbreviations ("last yr", "this qtr", "prev month").
  static const std::regex kAbbreviations[] = {std::regex(R"(\byrs?\b)"), std::regex(R"(\bqtr\b)"),
                                              std::regex(R"(\bmo\b)"), std::regex(R"(\bprev\b)")};
  static const char* kExpanded[] = {"year", "quarter", "month", "previous"};
  std::string text(view);
  for (size_t i = 0; i < std::size(kAbbreviations); ++i)
    text = std::regex_replace(text, kAbbreviations[i], kExpanded[i]);
  QuestionPeriods out;
  // A comparison: "A vs B", "A compared with B", "compare A with/to/and B".
  static const std::regex kSplit(
      R"(\s+(?:vs\.?|versus|compared (?:with|to)|against|with|to|and)\s+)");
  static const std::regex kCompare(R"(\b(compare|compared|vs\.?|versus|against)\b)");
  if (std::regex_search(text, kCompare)) {
    std::smatch m;
    const std::string& whole = text;
    std::string::const_iterator from = whole.begin();
    while (std::regex_search(from, whole.end(), m, kSplit)) {
      const std::string left(whole.begin(), m[0].first);
      const std::string right(m[0].second, whole.end());
      auto a = ParseOne(left, today);
      auto b = ParseOne(right, today);
      // "October and September", "2025 with 2024": a bare month or year.
      if (a && !b) b = ParseOne("in " + right, today);
      // "this year vs last": the right side names only "last"/"previous".
      static const std::regex kBare(R"(^\s*(?:the\s+)?(last|previous|prior)\b)");
      if (a && !b && std::regex_search(right, kBare)) {
        for (const char* unit : {"week", "month", "quarter", "year"}) {
          if (a->label == std::string("this ") + unit)
            b = UnitPeriod(unit, -1, today, std::string("last ") + unit);
        }
        if (!b && a->label.rfind("Q", 0) == 0) {
          const CivilDate start = CivilFromDays(a->start);
          b = Quarter(start.year - 1, (start.month - 1) / 3 + 1,
                      "Q" + std::to_string((start.month - 1) / 3 + 1) + " " +
                          std::to_string(start.year - 1));
        }
      }
      if (a && b) {
        out.period = a;
        out.compared_with = b;
        return out;
      }
      from = m[0].second;
    }
  }
  out.period = ParseOne(text, today);
  return out;
}

}  // namespace futureim::systems::copilot
