#include <gtest/gtest.h>

#include "api/api_error.h"
#include "api/api_gateway.h"
#include "api/area_routes.h"

namespace futureim::api {
namespace {

TEST(DecodeTargetTest, DecodesPathAndQuery) {
  const auto decoded = DecodeTarget("/admin/audit-log?action=login%5Ffailed&user=a+b&limit=5");
  EXPECT_EQ(decoded.path, "/admin/audit-log");
  EXPECT_EQ(decoded.query.at("action"), "login_failed");
  EXPECT_EQ(decoded.query.at("user"), "a b");
  EXPECT_EQ(decoded.query.at("limit"), "5");
}

TEST(DecodeTargetTest, RefusesTraversalAndBadEncodings) {
  for (const char* target :
       {"/static/../etc/passwd", "/static/%2e%2e/etc/passwd", "/a/./b", "/a/%2E%2E", "/a%00b",
        "/a%zz", "/a%4", "/a%ff", "relative", "", "/a?x=1&x=2", "/a/..\\b", "/a?x=%c3"}) {
    EXPECT_THROW(DecodeTarget(target), ApiError) << target;
  }
}

TEST(TimestampTest, FormatsAndParsesRfc3339) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(1'800'000'000'123), "2027-01-15T08:00:00.123Z");
  EXPECT_EQ(ParseTimestamp("2027-01-15T08:00:00.123Z"), 1'800'000'000'123);
  EXPECT_EQ(ParseTimestamp("2027-01-15T08:00:00Z"), 1'800'000'000'000);
  for (const char* bad : {"2027-01-15", "2027-01-15T08:00:00", "2027-13-15T08:00:00Z",
                          "2027-01-15T08:00:00+01:00", "x", "2027-01-15T08:00:00.Z"}) {
    EXPECT_EQ(ParseTimestamp(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace futureim::api
