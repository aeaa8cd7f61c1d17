#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace futureim::auth {

// The password rule (SPEC.md §5): at least 8 characters with upper case, lower
// case, a digit and a symbol — or a passphrase of at least 16 characters
// (length beats character classes). At most 1024 bytes, so hashing cost stays
// bounded. Returns what is wrong, or nullopt when the password is acceptable.
std::optional<std::string> PasswordProblem(std::string_view password);

// Argon2id (libsodium crypto_pwhash_str) at libsodium's "interactive" cost
// (ops 2, 64 MiB: stronger than OWASP's minimum of 19 MiB, t=2), ~50 ms here.
// The result is the self-describing $argon2id$ string, salt included.
std::string HashPassword(std::string_view password);
// Constant-time check against a stored hash; false for a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& stored_hash);
// A valid hash of a random password: verified against when an email is
// unknown, so a login takes as long whether or not the account exists.
const std::string& DecoyPasswordHash();

}  // namespace futureim::auth
