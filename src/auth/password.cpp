#include "auth/password.h"

#include <stdexcept>

#include <sodium.h>

#include "auth/token_codec.h"

namespace futureim::auth {
namespace {

constexpr size_t kMinLength = 8;
constexpr size_t kPassphraseLength = 16;
constexpr size_t kMaxBytes = 1024;

// Counts code points, not bytes, so a passphrase in any script is measured
// by what the user typed.
size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

std::optional<std::string> PasswordProblem(std::string_view password) {
  if (password.size() > kMaxBytes) return "password is longer than 1024 bytes";
  const size_t length = CodePoints(password);
  if (length >= kPassphraseLength) return std::nullopt;
  if (length < kMinLength) {
    return "password must have at least 8 characters (with upper and lower case, a digit and a "
           "symbol) or be a passphrase of at least 16 characters";
  }
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      symbol = true;
    }
  }
  if (upper && lower && digit && symbol) return std::nullopt;
  return "a password shorter than 16 characters needs upper and lower case letters, a digit and a "
         "symbol";
}

std::string HashPassword(std::string_view password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return hash;
}

bool VerifyPassword(std::string_view password, const std::string& stored_hash) {
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& DecoyPasswordHash() {
  static const std::string hash = HashPassword(NewOpaqueToken());
  return hash;
}

}  // namespace futureim::auth
