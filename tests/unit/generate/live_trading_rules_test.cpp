// The rules live trading shares with the fill (names, ratings, promotion
// codes) and the live clock that keeps live rows after the store they join.

#include <cctype>

#include <gtest/gtest.h>

#include "generate/live_clock.h"
#include "generate/person_name.h"
#include "generate/promotion_rule.h"
#include "generate/review_rating.h"

namespace futureim::generate {
namespace {

constexpr int64_t kSecond = 1000000;

// A real clock the test moves by hand.
struct ManualClock {
  int64_t now = 0;
  LiveClock::RealClock Reader() {
    return [this] { return now; };
  }
};

TEST(LiveClockTest, AStoreInThePastTradesOnTheRealClock) {
  ManualClock real{1000 * kSecond};
  LiveClock clock(400 * kSecond, real.Reader());  // filled with an as-of long ago
  EXPECT_EQ(clock.NowMicros(), 1000 * kSecond);
  real.now += 5 * kSecond;
  EXPECT_EQ(clock.NowMicros(), 1005 * kSecond);
}

TEST(LiveClockTest, AStoreInTheFutureContinuesFromItsLatestRowAtRealSpeed) {
  ManualClock real{1000 * kSecond};
  LiveClock clock(5000 * kSecond, real.Reader());  // --as-of in the future
  const int64_t first = clock.NowMicros();
  EXPECT_GT(first, 5000 * kSecond);
  EXPECT_LT(first, 5000 * kSecond + 10);
  real.now += 7 * kSecond;
  EXPECT_EQ(clock.NowMicros(), first + 7 * kSecond);
}

TEST(LiveClockTest, ReadingsStrictlyIncreaseEvenWhenTheRealClockStandsStillOrStepsBack) {
  ManualClock real{1000 * kSecond};
  LiveClock clock(0, real.Reader());
  int64_t previous = clock.NowMicros();
  for (int i = 0; i < 100; ++i) {
    if (i == 50) real.now -= 60 * kSecond;  // NTP steps the wall clock back
    const int64_t next = clock.NowMicros();
    EXPECT_GT(next, previous);
    previous = next;
  }
}

TEST(PersonNameTest, NamesComeFromTheListsAndTheSerialMakesTheAddressUnique) {
  Random random(7);
  const PersonName a = SamplePersonName(random, 41);
  const PersonName b = SamplePersonName(random, 42);
  EXPECT_FALSE(a.first_name.empty());
  EXPECT_FALSE(a.last_name.empty());
  EXPECT_NE(a.email, b.email);
  EXPECT_NE(a.email.find("41@example."), std::string::npos) << a.email;
  for (char c : a.email) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c))) << a.email;
}

TEST(ReviewRatingTest, RatingsFollowTheMeanAndWordsMatchTheStars) {
  Random random(3);
  double low = 0, high = 0;
  for (int i = 0; i < 2000; ++i) {
    const int a = SampleRating(random, 2.6);
    const int b = SampleRating(random, 4.8);
    ASSERT_GE(a, 1);
    ASSERT_LE(b, 5);
    low += a;
    high += b;
  }
  EXPECT_NEAR(low / 2000, 2.6, 0.15);
  EXPECT_GT(high / 2000 - low / 2000, 1.5);
  EXPECT_EQ(SampleReviewWords(random, 1).text.find("Five stars"), std::string_view::npos);
  EXPECT_NE(SampleReviewWords(random, 5).text.find("Five stars"), std::string_view::npos);
}

TEST(PromotionRuleTest, PercentageIsCappedFixedIsBoundedByTheSubtotal) {
  const PromotionRule percent{true, 20, 5000, 1500};
  EXPECT_FALSE(percent.AppliesTo(4999));
  EXPECT_TRUE(percent.AppliesTo(5000));
  EXPECT_EQ(percent.DiscountCents(5000), 1000);
  EXPECT_EQ(percent.DiscountCents(20000), 1500);  // capped
  const PromotionRule fixed{false, 2500, 0, 0};
  EXPECT_EQ(fixed.DiscountCents(10000), 2500);
  EXPECT_EQ(fixed.DiscountCents(1000), 1000);  // never more than the subtotal
  EXPECT_DOUBLE_EQ(PromotionDemandFactor(0), 1.0);
  EXPECT_DOUBLE_EQ(PromotionDemandFactor(2), 1.2);
  EXPECT_DOUBLE_EQ(PromotionDemandFactor(9), 1.3);
}

}  // namespace
}  // namespace futureim::generate
