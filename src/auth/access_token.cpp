#include "auth/access_token.h"

#include <nlohmann/json.hpp>

#include "auth/token_codec.h"
#include "core/hmac_sha256.h"

namespace futureim::auth {
namespace {

// The only header this codec writes or accepts (compared after parsing, so
// whitespace or key order in a foreign token does not matter).
constexpr std::string_view kAlgorithm = "HS256";
constexpr size_t kMaxTokenBytes = 4096;

nlohmann::json DecodeSegment(std::string_view segment, const char* what) {
  auto bytes = Base64UrlDecode(segment);
  if (!bytes) throw InvalidAccessToken(std::string(what) + " is not base64url");
  auto json = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) throw InvalidAccessToken(std::string(what) + " is not a JSON object");
  return json;
}

int64_t RequireTime(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end() || !it->is_number_integer()) {
    throw InvalidAccessToken(std::string("claim ") + name + " is missing or not an integer");
  }
  return it->get<int64_t>();
}

}  // namespace

AccessTokenCodec::AccessTokenCodec(std::string key) : key_(std::move(key)) {
  if (key_.size() < 32) {
    throw std::invalid_argument("the access-token key must have at least 32 bytes");
  }
}

std::string AccessTokenCodec::Sign(const AccessTokenClaims& claims) const {
  const nlohmann::json header = {{"alg", kAlgorithm}, {"typ", "JWT"}};
  nlohmann::json roles = nlohmann::json::array();
  for (Role role : claims.roles) roles.push_back(RoleName(role));
  const nlohmann::json payload = {{"sub", claims.subject},    {"roles", roles},
                                  {"iat", claims.issued_at},  {"nbf", claims.not_before},
                                  {"exp", claims.expires_at}, {"jti", claims.token_id}};
  std::string signing_input =
      Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
  const std::string signature = Base64UrlEncode(core::HmacSha256(key_, signing_input));
  return signing_input + "." + signature;
}

AccessTokenClaims AccessTokenCodec::Verify(std::string_view token, int64_t now,
                                           int64_t leeway_seconds) const {
  if (token.size() > kMaxTokenBytes) throw InvalidAccessToken("token too long");
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    throw InvalidAccessToken("not three dot-separated segments");
  }
  const auto header = DecodeSegment(token.substr(0, first), "header");
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != kAlgorithm) {
    throw InvalidAccessToken("algorithm is not HS256");
  }
  const auto signature = Base64UrlDecode(token.substr(second + 1));
  if (!signature ||
      !ConstantTimeEquals(*signature, core::HmacSha256(key_, token.substr(0, second)))) {
    throw InvalidAccessToken("bad signature");
  }
  const auto payload = DecodeSegment(token.substr(first + 1, second - first - 1), "payload");

  AccessTokenClaims claims;
  claims.expires_at = RequireTime(payload, "exp");
  claims.not_before = RequireTime(payload, "nbf");
  claims.issued_at = RequireTime(payload, "iat");
  if (now >= claims.expires_at + leeway_seconds) throw InvalidAccessToken("expired");
  if (now + leeway_seconds < claims.not_before) throw InvalidAccessToken("not valid yet (nbf)");
  if (now + leeway_seconds < claims.issued_at) throw InvalidAccessToken("issued in the future");
  const auto sub = payload.find("sub");
  if (sub == payload.end() || !sub->is_string() || sub->get<std::string>().empty()) {
    throw InvalidAccessToken("claim sub is missing");
  }
  claims.subject = sub->get<std::string>();
  if (auto roles = payload.find("roles"); roles != payload.end() && roles->is_array()) {
    for (const auto& role : *roles) {
      if (role.is_string()) {
        if (auto parsed = ParseRole(role.get<std::string>())) claims.roles.push_back(*parsed);
      }
    }
  }
  if (auto jti = payload.find("jti"); jti != payload.end() && jti->is_string()) {
    claims.token_id = jti->get<std::string>();
  }
  return claims;
}

}  // namespace futureim::auth
