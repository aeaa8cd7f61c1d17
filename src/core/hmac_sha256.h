#pragma once

#include <string>
#include <string_view>

namespace futureim::core {

// HMAC-SHA-256 of `message` under `key` (any length), the raw 32 bytes.
// The one implementation behind JWT signatures, S3 SigV4 and PII tokens.
std::string HmacSha256(std::string_view key, std::string_view message);

}  // namespace futureim::core
