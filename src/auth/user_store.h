#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
class UserStore {
 public:
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
  metadata::SqliteDatabase& db_;
};

}  // namespace futureim::auth
