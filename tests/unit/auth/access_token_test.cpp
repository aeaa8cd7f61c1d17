#include "auth/access_token.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "auth/token_codec.h"
#include "core/hmac_sha256.h"

namespace futureim::auth {
namespace {

const std::string kKey(32, 'k');
constexpr int64_t kNow = 1'800'000'000;

AccessTokenClaims Claims() { return {"user-1", {Role::kAnalyst}, kNow, kNow, kNow + 900, "jti-1"}; }

// A token with any header and payload, signed with `key` (HS256 MAC).
std::string Forge(const nlohmann::json& header, const nlohmann::json& payload,
                  const std::string& key) {
  const std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
  return input + "." + Base64UrlEncode(core::HmacSha256(key, input));
}

nlohmann::json Payload() {
  return {
      {"sub", "user-1"}, {"roles", {"admin"}}, {"iat", kNow}, {"nbf", kNow}, {"exp", kNow + 60}};
}

TEST(AccessTokenTest, RoundTripsEveryClaim) {
  AccessTokenCodec codec(kKey);
  const auto claims = codec.Verify(codec.Sign(Claims()), kNow + 1);
  EXPECT_EQ(claims.subject, "user-1");
  ASSERT_EQ(claims.roles.size(), 1u);
  EXPECT_EQ(claims.roles[0], Role::kAnalyst);
  EXPECT_EQ(claims.issued_at, kNow);
  EXPECT_EQ(claims.not_before, kNow);
  EXPECT_EQ(claims.expires_at, kNow + 900);
  EXPECT_EQ(claims.token_id, "jti-1");
}

TEST(AccessTokenTest, MatchesAnIndependentHs256Signature) {
  // RFC 7515 A.1 key and signing input: the codec's MAC must equal the RFC's.
  const auto key = Base64UrlDecode(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  ASSERT_TRUE(key);
  const std::string input =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ";
  EXPECT_EQ(Base64UrlEncode(core::HmacSha256(*key, input)),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST(AccessTokenTest, RefusesExpiredAndNotYetValid) {
  AccessTokenCodec codec(kKey);
  const auto token = codec.Sign(Claims());
  EXPECT_THROW(codec.Verify(token, kNow + 900 + 5), InvalidAccessToken);
  EXPECT_NO_THROW(codec.Verify(token, kNow + 900 + 4));  // within the 5 s leeway
  auto future = Claims();
  future.not_before = kNow + 600;
  EXPECT_THROW(codec.Verify(codec.Sign(future), kNow), InvalidAccessToken);
}

TEST(AccessTokenTest, PinsTheAlgorithm) {
  AccessTokenCodec codec(kKey);
  // alg "none" with an empty signature: the classic downgrade.
  const std::string none = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                           Base64UrlEncode(Payload().dump()) + ".";
  EXPECT_THROW(codec.Verify(none, kNow), InvalidAccessToken);
  // A correct HS256 MAC under a header that names another algorithm.
  EXPECT_THROW(codec.Verify(Forge({{"alg", "HS512"}}, Payload(), kKey), kNow), InvalidAccessToken);
  EXPECT_THROW(codec.Verify(Forge({{"alg", "RS256"}}, Payload(), kKey), kNow), InvalidAccessToken);
  EXPECT_THROW(codec.Verify(Forge({{"typ", "JWT"}}, Payload(), kKey), kNow), InvalidAccessToken);
  // The same token with HS256 is accepted: only the algorithm differed.
  EXPECT_NO_THROW(codec.Verify(Forge({{"alg", "HS256"}}, Payload(), kKey), kNow));
}

TEST(AccessTokenTest, RefusesBadSignaturesAndMalformedTokens) {
  AccessTokenCodec codec(kKey);
  EXPECT_THROW(codec.Verify(Forge({{"alg", "HS256"}}, Payload(), std::string(32, 'x')), kNow),
               InvalidAccessToken);
  auto token = codec.Sign(Claims());
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_THROW(codec.Verify(token, kNow), InvalidAccessToken);
  for (const char* bad : {"", ".", "..", "a.b", "a.b.c.d", "!!!.@@@.###", "e30.e30.e30"}) {
    EXPECT_THROW(codec.Verify(bad, kNow), InvalidAccessToken) << bad;
  }
  auto missing_exp = Payload();
  missing_exp.erase("exp");
  EXPECT_THROW(codec.Verify(Forge({{"alg", "HS256"}}, missing_exp, kKey), kNow),
               InvalidAccessToken);
  auto string_exp = Payload();
  string_exp["exp"] = "never";
  EXPECT_THROW(codec.Verify(Forge({{"alg", "HS256"}}, string_exp, kKey), kNow), InvalidAccessToken);
  EXPECT_THROW(AccessTokenCodec("short"), std::invalid_argument);
}

}  // namespace
}  // namespace futureim::auth
