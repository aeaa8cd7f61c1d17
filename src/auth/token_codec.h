#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace futureim::auth {

// Encodings and digests shared by tokens, the audit chain and stored secrets
// (all over libsodium).

// RFC 4648 §5 base64url without padding (JWT segments, opaque tokens).
std::string Base64UrlEncode(std::string_view bytes);
// nullopt for any character outside the alphabet, padding, or a bad length.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// SHA-256 of `bytes`, lower-case hex.
std::string Sha256Hex(std::string_view bytes);
// Constant-time equality (for MACs and token hashes).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// A fresh unguessable token: `bytes` random bytes, base64url.
std::string NewOpaqueToken(size_t bytes = 32);
// A fresh identifier: 16 random bytes, lower-case hex.
std::string NewId();

}  // namespace futureim::auth
