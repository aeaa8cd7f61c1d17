#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "auth/role.h"

namespace futureim::auth {

// The claims of an access token (RFC 7519): sub is the user id, times are unix
// seconds, jti identifies the token in logs.
struct AccessTokenClaims {
  std::string subject;
  std::vector<Role> roles;
  int64_t issued_at = 0;
  int64_t not_before = 0;
  int64_t expires_at = 0;
  std::string token_id;
};

// Why a token was refused. The message is safe to log, never to return
// verbatim to a client (which gets one generic 401).
class InvalidAccessToken : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// JWT access tokens, HS256 only. The algorithm is pinned: a header naming any
// other algorithm ("none", RS256, HS512...) is refused before the signature
// is looked at, so a token can never choose how it is checked.
class AccessTokenCodec {
 public:
  // `key`: the raw signing key (auth.jwt_key); at least 32 bytes.
  explicit AccessTokenCodec(std::string key);

  std::string Sign(const AccessTokenClaims& claims) const;
  // Checks the form, algorithm, signature, then exp/nbf/iat against `now`
  // (with `leeway_seconds` for clock skew). Throws InvalidAccessToken.
  AccessTokenClaims Verify(std::string_view token, int64_t now, int64_t leeway_seconds = 5) const;

 private:
  std::string key_;
};

}  // namespace futureim::auth
