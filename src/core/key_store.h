#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/environment.h"

namespace futureim::core {

// A small file of named secrets (JSON), readable by its owner only. It is
// created at first run with fresh random keys, written atomically (temp file
// + rename) so a crash never leaves a half-written store, and refused when
// its permissions let anyone else read it.
class KeyStore {
 public:
  // Secrets generated when the store is created: 32 random bytes, base64.
  static constexpr std::string_view kGeneratedSecrets[] = {"auth.jwt_key", "lake.encryption_key",
                                                           "lake.pii_key"};

  // Opens the store, creating it with generated keys when it does not exist;
  // adds any generated secret an older store lacks. `created` tells which.
  static KeyStore OpenOrCreate(const std::filesystem::path& file, bool* created = nullptr);
  // Opens an existing store; a missing file is an error naming `futureim init`.
  static KeyStore Open(const std::filesystem::path& file);

  std::optional<std::string> Get(std::string_view name) const;
  // Stores a secret and rewrites the file atomically.
  void Set(std::string_view name, std::string_view value);
  // Sets (a value) and removes (nullopt) several secrets in one atomic
  // rewrite: a crash leaves either all of the changes or none of them.
  using Change = std::pair<std::string, std::optional<std::string>>;
  void Update(const std::vector<Change>& changes);

  const std::filesystem::path& file() const { return file_; }

 private:
  void Save() const;

  std::filesystem::path file_;
  std::map<std::string, std::string, std::less<>> secrets_;
};

// Where a secret comes from: the environment (FUTUREIM_<NAME>) first, then
// the key store. The config file never holds one (Config refuses it).
class Secrets {
 public:
  Secrets(const Environment& env, const KeyStore* store) : env_(env), store_(store) {}

  std::optional<std::string> Get(std::string_view name) const;
  // Like Get, but a missing secret is a core::Error that names both places.
  std::string Require(std::string_view name) const;

 private:
  const Environment& env_;
  const KeyStore* store_;
};

// 32 random bytes from the OS CSPRNG, base64-encoded.
std::string GenerateKey();

}  // namespace futureim::core
