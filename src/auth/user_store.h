#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/role.h"
#include "metadata/sqlite_database.h"

namespace futureim::auth {

struct User {
  std::string id;
  std::string email;  // lower-cased
  std::string name;
  std::string password_hash;
  std::vector<Role> roles;
  bool email_verified = false;
  bool disabled = false;
  int64_t tokens_valid_after = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// The users table. Not thread-safe on a shared connection: callers serialise.
//
// FindById is on every authenticated request's path (the access token's
// user must still exist, be enabled and not have revoked the token), so it
// answers from a small cache: an entry is used for at most kCacheSeconds,
// and every write through this store empties the cache, so changes made in
// this process (disable, role change, sign-out everywhere) apply to the
// next request; a change made by another process (the CLI on the same
// database) applies within kCacheSeconds.
class UserStore {
 public:
  static constexpr std::chrono::seconds kCacheSeconds{1};

  explicit UserStore(metadata::SqliteDatabase& db) : db_(db) {}

  std::optional<User> FindById(const std::string& id);
  std::optional<User> FindByEmail(const std::string& email);
  std::vector<User> List();
  void Insert(const User& user);
  void SetPassword(const std::string& id, const std::string& password_hash, int64_t now);
  void SetRoles(const std::string& id, const std::vector<Role>& roles, int64_t now);
  void SetDisabled(const std::string& id, bool disabled, int64_t now);
  void MarkEmailVerified(const std::string& id, int64_t now);
  // Refuses every access token issued before `now` (tokens_valid_after).
  void RevokeAccessTokens(const std::string& id, int64_t now);
  void Delete(const std::string& id);
  // Enabled users holding the admin role.
  int64_t CountActiveAdmins();

 private:
  std::optional<User> FindOne(const char* where, const std::string& value);
  struct CachedUser {
    std::optional<User> user;  // nullopt: no such user (also cached)
    std::chrono::steady_clock::time_point read_at;
  };
  metadata::SqliteDatabase& db_;
  std::unordered_map<std::string, CachedUser> by_id_;
};

}  // namespace futureim::auth
