#include "ops/webhook_notifier.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "support/http_receiver.h"

namespace futureim::ops {
namespace {

using namespace std::chrono_literals;

TEST(WebhookNotifierTest, RetriesWithBackoffUntilTheReceiverAccepts) {
  testing::HttpReceiver receiver({500, 503, 200});
  WebhookNotifier notifier({.url = receiver.url(), .max_attempts = 5, .first_backoff = 50ms});
  const auto started = std::chrono::steady_clock::now();
  notifier.Send({{"event", "alarm_state_changed"}, {"rule", "data_quality"}});
  ASSERT_TRUE(receiver.WaitFor(3, 10s));
  // Two waits: 50 ms then 100 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
  for (int i = 0; i < 100 && notifier.counts().delivered == 0; ++i)
    std::this_thread::sleep_for(10ms);
  const auto bodies = receiver.bodies();
  ASSERT_EQ(bodies.size(), 3u);
  for (const auto& body : bodies) {
    EXPECT_EQ(nlohmann::json::parse(body)["rule"], "data_quality");
  }
  EXPECT_EQ(notifier.counts().delivered, 1u);
  EXPECT_EQ(notifier.counts().attempts_failed, 2u);
}

TEST(WebhookNotifierTest, GivesUpAfterMaxAttemptsAndKeepsDelivering) {
  testing::HttpReceiver receiver({500, 500, 200});
  WebhookNotifier notifier({.url = receiver.url(), .max_attempts = 2, .first_backoff = 10ms});
  notifier.Send({{"n", 1}});  // 500, 500: dropped
  notifier.Send({{"n", 2}});  // 200
  ASSERT_TRUE(receiver.WaitFor(3, 10s));
  for (int i = 0; i < 100 && notifier.counts().delivered == 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(notifier.counts().dropped, 1u);
  EXPECT_EQ(notifier.counts().delivered, 1u);
  EXPECT_EQ(nlohmann::json::parse(receiver.bodies()[2])["n"], 2);
}

TEST(WebhookNotifierTest, SendNeverWaitsForAnUnreachableReceiver) {
  // A port nobody listens on (the receiver is gone before the send).
  std::string url;
  {
    testing::HttpReceiver gone;
    url = gone.url();
  }
  WebhookNotifier notifier({.url = url, .max_attempts = 3, .first_backoff = 2000ms});
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) notifier.Send({{"n", i}});
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
  // Destruction stops the retries promptly instead of sleeping them out.
}

TEST(WebhookNotifierTest, RefusesANonHttpUrl) {
  EXPECT_THROW(WebhookNotifier({.url = "file:///etc/passwd"}), core::Error);
  EXPECT_THROW(WebhookNotifier({.url = "gopher://x"}), core::Error);
}

}  // namespace
}  // namespace futureim::ops
