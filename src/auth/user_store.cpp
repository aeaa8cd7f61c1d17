#include "auth/user_store.h"

namespace futureim::auth {
namespace {

constexpr const char* kSelect =
    "SELECT id, email, name, password_hash, roles, email_verified, disabled, tokens_valid_after, "
    "created_at, updated_at FROM users ";

User ReadUser(const metadata::SqliteStatement& row) {
  User user;
  user.id = row.GetText(0);
  user.email = row.GetText(1);
  user.name = row.GetText(2);
  user.password_hash = row.GetText(3);
  user.roles = SplitRoles(row.GetText(4));
  user.email_verified = row.GetInt(5) != 0;
  user.disabled = row.GetInt(6) != 0;
  user.tokens_valid_after = row.GetInt(7);
  user.created_at = row.GetInt(8);
  user.updated_at = row.GetInt(9);
  return user;
}

}  // namespace

std::optional<User> UserStore::FindOne(const char* where, const std::string& value) {
  auto statement = db_.Prepare(std::string(kSelect) + where);
  statement.Bind(1, value);
  if (!statement.Step()) return std::nullopt;
  return ReadUser(statement);
}

std::optional<User> UserStore::FindById(const std::string& id) {
  const auto now = std::chrono::steady_clock::now();
  if (const auto it = by_id_.find(id); it != by_id_.end()) {
    if (now - it->second.read_at < kCacheSeconds) return it->second.user;
  }
  // Bounded: entries of users no longer asking for are dropped wholesale.
  if (by_id_.size() >= 10'000) by_id_.clear();
  auto user = FindOne("WHERE id = ?", id);
  by_id_[id] = CachedUser{user, now};
  return user;
}

std::optional<User> UserStore::FindByEmail(const std::string& email) {
  return FindOne("WHERE email = ?", email);
}

std::vector<User> UserStore::List() {
  auto statement = db_.Prepare(std::string(kSelect) + "ORDER BY created_at, email");
  std::vector<User> users;
  while (statement.Step()) users.push_back(ReadUser(statement));
  return users;
}

void UserStore::Insert(const User& user) {
  by_id_.clear();
  auto statement = db_.Prepare(
      "INSERT INTO users(id, email, name, password_hash, roles, email_verified, disabled, "
      "tokens_valid_after, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  statement.Bind(1, user.id)
      .Bind(2, user.email)
      .Bind(3, user.name)
      .Bind(4, user.password_hash)
      .Bind(5, JoinRoles(user.roles))
      .Bind(6, int64_t{user.email_verified})
      .Bind(7, int64_t{user.disabled})
      .Bind(8, user.tokens_valid_after)
      .Bind(9, user.created_at)
      .Bind(10, user.updated_at);
  statement.Step();
}

void UserStore::SetPassword(const std::string& id, const std::string& password_hash, int64_t now) {
  by_id_.clear();
  auto statement = db_.Prepare(
      "UPDATE users SET password_hash = ?, tokens_valid_after = ?, updated_at = ? WHERE id = ?");
  statement.Bind(1, password_hash).Bind(2, now).Bind(3, now).Bind(4, id);
  statement.Step();
}

void UserStore::SetRoles(const std::string& id, const std::vector<Role>& roles, int64_t now) {
  by_id_.clear();
  auto statement = db_.Prepare(
      "UPDATE users SET roles = ?, tokens_valid_after = ?, updated_at = ? WHERE id = ?");
  statement.Bind(1, JoinRoles(roles)).Bind(2, now).Bind(3, now).Bind(4, id);
  statement.Step();
}

void UserStore::SetDisabled(const std::string& id, bool disabled, int64_t now) {
  by_id_.clear();
  auto statement = db_.Prepare(
      "UPDATE users SET disabled = ?, tokens_valid_after = ?, updated_at = ? WHERE id = ?");
  statement.Bind(1, int64_t{disabled}).Bind(2, now).Bind(3, now).Bind(4, id);
  statement.Step();
}

void UserStore::MarkEmailVerified(const std::string& id, int64_t now) {
  by_id_.clear();
  auto statement = db_.Prepare("UPDATE users SET email_verified = 1, updated_at = ? WHERE id = ?");
  statement.Bind(1, now).Bind(2, id);
  statement.Step();
}

void UserStore::RevokeAccessTokens(const std::string& id, int64_t now) {
  by_id_.clear();
  auto statement = db_.Prepare("UPDATE users SET tokens_valid_after = ? WHERE id = ?");
  statement.Bind(1, now).Bind(2, id);
  statement.Step();
}

void UserStore::Delete(const std::string& id) {
  by_id_.clear();
  auto statement = db_.Prepare("DELETE FROM users WHERE id = ?");
  statement.Bind(1, id);
  statement.Step();
}

int64_t UserStore::CountActiveAdmins() {
  int64_t count = 0;
  for (const auto& user : List()) {
    if (!user.disabled && Satisfies(user.roles, Role::kAdmin)) ++count;
  }
  return count;
}

}  // namespace futureim::auth
