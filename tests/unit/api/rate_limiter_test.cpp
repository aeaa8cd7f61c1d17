#include "api/rate_limiter.h"

#include <gtest/gtest.h>

namespace futureim::api {
namespace {

TEST(RateLimiterTest, AllowsABurstThenRefillsAtTheRate) {
  RateLimiter limiter(60, 3);  // one per second, burst of three
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("ip", t0));
  int64_t retry_after = 0;
  EXPECT_FALSE(limiter.Allow("ip", t0, &retry_after));
  EXPECT_EQ(retry_after, 1);
  EXPECT_TRUE(limiter.Allow("other", t0));  // keys are independent
  EXPECT_TRUE(limiter.Allow("ip", t0 + std::chrono::milliseconds(1000)));
  EXPECT_FALSE(limiter.Allow("ip", t0 + std::chrono::milliseconds(1500)));
}

TEST(RateLimiterTest, BoundsItsMemory) {
  RateLimiter limiter(60, 2, /*max_keys=*/100);
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 1000; ++i) {
    limiter.Allow("ip" + std::to_string(i), t0 + std::chrono::milliseconds(i));
  }
  // Evicted keys start over with a full bucket: the limit stays correct for
  // the keys that matter (recent ones), memory stays at max_keys.
  const auto later = t0 + std::chrono::milliseconds(999);
  EXPECT_TRUE(limiter.Allow("ip999", later));
  EXPECT_FALSE(limiter.Allow("ip999", later));
}

}  // namespace
}  // namespace futureim::api
