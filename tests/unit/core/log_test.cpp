#include "core/log.h"

#include <gtest/gtest.h>

namespace futureim::core {
namespace {

TEST(LogTest, JsonLineIsOneObjectWithFields) {
  const auto line = FormatLogLine(LogFormat::kJson, "2026-01-01T00:00:00.000000Z", "info",
                                  "replication.flush", {{"table", "orders"}, {"rows", 42}});
  const auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["event"], "replication.flush");
  EXPECT_EQ(json["level"], "info");
  EXPECT_EQ(json["table"], "orders");
  EXPECT_EQ(json["rows"], 42);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LogTest, SecretsAreRedactedInBothFormats) {
  const nlohmann::json fields = {{"user", "alice"},           {"password", "hunter22"},
                                 {"refresh_token", "rt-123"}, {"card_number", "4111111111111111"},
                                 {"api_key", "k-1"},          {"Authorization", "Bearer x"}};
  for (auto format : {LogFormat::kJson, LogFormat::kText}) {
    const auto line = FormatLogLine(format, "t", "warn", "auth.login", fields);
    for (const char* secret : {"hunter22", "rt-123", "4111111111111111", "k-1", "Bearer"}) {
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
    }
    EXPECT_NE(line.find("alice"), std::string::npos) << line;
  }
}

TEST(LogTest, InvalidUtf8DoesNotBreakJson) {
  const auto line = FormatLogLine(LogFormat::kJson, "t", "info", "source.row",
                                  {{"value", std::string("\xff\xfe")}});
  EXPECT_TRUE(nlohmann::json::accept(line)) << line;
}

TEST(LogTest, TextLineReadsAsKeyValues) {
  const auto line = FormatLogLine(LogFormat::kText, "t", "info", "init", {{"dir", "/w"}, {"n", 3}});
  EXPECT_EQ(line, "t info init dir=/w n=3");
}

}  // namespace
}  // namespace futureim::core
