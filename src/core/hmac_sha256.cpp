#include "core/hmac_sha256.h"

#include <sodium.h>

namespace futureim::core {

std::string HmacSha256(std::string_view key, std::string_view message) {
  // libsodium's streaming HMAC accepts keys of any length (RFC 2104: longer
  // keys are hashed first), which SigV4's derived keys and the key store's
  // keys both need.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

}  // namespace futureim::core
