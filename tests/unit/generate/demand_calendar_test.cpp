// Calendar arithmetic, the geography catalogue and the demand calendar.

#include "generate/demand_calendar.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "generate/civil_time.h"
#include "generate/geography.h"

namespace futureim::generate {
namespace {

TEST(CivilTimeTest, DaysWeekdaysAndParsing) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(FormatIsoDate(DaysFromCivil({2024, 2, 29})), "2024-02-29");
  EXPECT_EQ(WeekdayFromDays(DaysFromCivil({2026, 11, 24})), 1);  // a Tuesday
  EXPECT_EQ(WeekdayFromDays(0), 3);                              // 1970-01-01, a Thursday
  EXPECT_EQ(DayOfYear(DaysFromCivil({2025, 12, 31})), 364);
  EXPECT_EQ(FormatTimestamp(DaysFromCivil({2025, 6, 1}) * kSecondsPerDay + 3723),
            "2025-06-01 01:02:03");
  EXPECT_TRUE(ParseIsoDate("2026-01-31").has_value());
  EXPECT_FALSE(ParseIsoDate("2025-02-29").has_value());
  EXPECT_FALSE(ParseIsoDate("2025-13-01").has_value());
  EXPECT_FALSE(ParseIsoDate("2025-1-01").has_value());
  EXPECT_FALSE(ParseIsoDate("yesterday").has_value());
  // Thanksgiving (4th Thursday of November) and hence Black Friday.
  EXPECT_EQ(FormatIsoDate(NthWeekdayOfMonth(2024, 11, 3, 4) + 1), "2024-11-29");
  EXPECT_EQ(FormatIsoDate(NthWeekdayOfMonth(2025, 11, 3, 4) + 1), "2025-11-28");
}

TEST(GeographyTest, TenCountriesOnFourContinentsWithConsistentAddresses) {
  GeographyCatalogue geography;
  std::set<std::string_view> continents;
  for (const auto& country : geography.countries()) continents.insert(country.continent);
  EXPECT_GE(geography.countries().size(), 10u);
  EXPECT_GE(continents.size(), 4u);
  Random random(9);
  for (size_t c = 0; c < geography.countries().size(); ++c) {
    const Country& country = geography.country(c);
    std::string regex;
    for (char ch : country.postal_format) {
      regex += ch == '#' ? "[0-9]" : ch == 'A' ? "[A-Z]" : std::string(1, ch);
    }
    for (int i = 0; i < 50; ++i) {
      const Address address = geography.SampleAddress(c, random);
      EXPECT_EQ(address.country, country.code);
      EXPECT_TRUE(std::regex_match(address.postal_code, std::regex(regex))) << address.postal_code;
      bool known = false;
      for (const auto& region : country.regions) {
        if (region.state != address.state) continue;
        for (auto city : region.cities) known |= city == address.city;
      }
      EXPECT_TRUE(known) << address.city << ", " << address.state;
    }
  }
}

TEST(DemandCalendarTest, WeeklySeasonHolidaysAndTrend) {
  GeographyCatalogue geography;
  const int64_t first = DaysFromCivil({2024, 1, 1});
  const int64_t end = DaysFromCivil({2026, 1, 1});
  DemandCalendar calendar(geography, first, end);
  // Weekly factors have mean 1, Saturday the busiest.
  double sum = 0;
  for (int64_t d = first; d < first + 7; ++d) sum += calendar.WeeklyFactor(d);
  EXPECT_NEAR(sum / 7, 1.0, 1e-9);
  const int64_t saturday = DaysFromCivil({2025, 3, 8});
  const int64_t tuesday = DaysFromCivil({2025, 3, 4});
  EXPECT_GT(calendar.WeeklyFactor(saturday) / calendar.WeeklyFactor(tuesday), 1.3);
  // Season: December above June.
  EXPECT_GT(calendar.SeasonFactor(DaysFromCivil({2025, 12, 5})),
            calendar.SeasonFactor(DaysFromCivil({2025, 6, 5})) * 1.25);
  // Black Friday is a store-wide peak.
  const size_t us = geography.IndexOf("US"), gb = geography.IndexOf("GB"),
               sg = geography.IndexOf("SG");
  const int64_t black_friday = DaysFromCivil({2025, 11, 28});
  EXPECT_DOUBLE_EQ(calendar.PeakFactor(black_friday, us), calendar.parameters().black_friday_lift);
  EXPECT_DOUBLE_EQ(calendar.PeakFactor(black_friday, sg), calendar.parameters().black_friday_lift);
  EXPECT_DOUBLE_EQ(calendar.PeakFactor(DaysFromCivil({2025, 3, 4}), us), 1.0);
  // Boxing Day is British, not American; Singles' Day is Singapore's.
  const int64_t boxing_day = DaysFromCivil({2025, 12, 26});
  EXPECT_GT(calendar.PeakFactor(boxing_day, gb), calendar.PeakFactor(boxing_day, us) * 1.5);
  const int64_t singles_day = DaysFromCivil({2025, 11, 11});
  EXPECT_GT(calendar.PeakFactor(singles_day, sg), 2.0);
  EXPECT_DOUBLE_EQ(calendar.PeakFactor(singles_day, us), 1.0);
  // Trend: later days carry more demand.
  EXPECT_NEAR(calendar.TrendFactor(first + 365) / calendar.TrendFactor(first),
              std::exp(calendar.parameters().annual_growth * 365 / 365.25), 1e-9);
  // The truth lists every peak in the range, each dated.
  int black_fridays = 0;
  for (const auto& peak : calendar.peaks()) black_fridays += peak.name == "Black Friday";
  EXPECT_EQ(black_fridays, 2);
  const auto json = calendar.ToJson();
  EXPECT_EQ(json["peaks"].size(), calendar.peaks().size());
  EXPECT_EQ(json["weekly_factors_monday_first"].size(), 7u);
}

}  // namespace
}  // namespace futureim::generate
