#include "core/civil_date.h"

#include <gtest/gtest.h>

namespace futureim::core {
namespace {

TEST(CivilDateTest, KnownDays) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({2024, 2, 29}), 19782);
  EXPECT_EQ(DaysFromCivil({1, 1, 1}), -719162);
  EXPECT_EQ(CivilFromDays(0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(CivilFromDays(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(CivilFromDays(19782), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(CivilFromDays(-719162), (CivilDate{1, 1, 1}));
  // Year 0 and before (proleptic): 0000-02-29 exists (0 is a leap year).
  EXPECT_EQ(CivilFromDays(DaysFromCivil({0, 2, 29})), (CivilDate{0, 2, 29}));
  EXPECT_EQ(DaysFromCivil({0, 3, 1}) - DaysFromCivil({0, 2, 28}), 2);
  EXPECT_EQ(DaysFromCivil({1900, 3, 1}) - DaysFromCivil({1900, 2, 28}), 1);  // not leap
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}) - DaysFromCivil({2000, 2, 28}), 2);  // leap
}

TEST(CivilDateTest, RoundTripsEveryDayOverTenThousandYears) {
  // Consecutive day numbers map to consecutive, valid dates and back.
  CivilDate previous = CivilFromDays(DaysFromCivil({-4000, 1, 1}) - 1);
  for (int64_t d = DaysFromCivil({-4000, 1, 1}); d < DaysFromCivil({6000, 1, 1}); ++d) {
    const CivilDate date = CivilFromDays(d);
    ASSERT_EQ(DaysFromCivil(date), d);
    ASSERT_GE(date.month, 1);
    ASSERT_LE(date.month, 12);
    ASSERT_GE(date.day, 1);
    ASSERT_LE(date.day, 31);
    const bool next_day =
        date.year == previous.year && date.month == previous.month && date.day == previous.day + 1;
    const bool next_month =
        date.day == 1 && ((date.year == previous.year && date.month == previous.month + 1) ||
                          (date.year == previous.year + 1 && date.month == 1 &&
                           previous.month == 12 && previous.day == 31));
    ASSERT_TRUE(next_day || next_month) << d;
    previous = date;
  }
}

}  // namespace
}  // namespace futureim::core
