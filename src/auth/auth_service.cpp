#include "auth/auth_service.h"

#include <algorithm>
#include <chrono>

#include <sqlite3.h>

#include "auth/password.h"
#include "auth/token_codec.h"
#include "core/error.h"
#include "core/log.h"

namespace futureim::auth {
namespace {

using Kind = AuthError::Kind;

// BEGIN IMMEDIATE ... COMMIT, rolled back when an exception leaves the scope.
class ImmediateTransaction {
 public:
  explicit ImmediateTransaction(metadata::SqliteDatabase& db) : db_(db) {
    db_.Execute("BEGIN IMMEDIATE");
  }
  ImmediateTransaction(const ImmediateTransaction&) = delete;
  ImmediateTransaction& operator=(const ImmediateTransaction&) = delete;
  ~ImmediateTransaction() {
    if (!committed_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void Commit() {
    db_.Execute("COMMIT");
    committed_ = true;
  }

 private:
  metadata::SqliteDatabase& db_;
  bool committed_ = false;
};

UserSummary Summarize(const User& user) {
  return UserSummary{user.id,         user.email,          user.name,
                     user.roles,      user.email_verified, user.disabled,
                     user.created_at, user.updated_at};
}

AuthError InvalidCredentials() {
  return AuthError(Kind::kUnauthorized, "invalid_credentials", "email or password is wrong");
}

AuthError InvalidRefreshToken() {
  return AuthError(Kind::kUnauthorized, "invalid_refresh_token",
                   "the refresh token is invalid, expired or revoked; sign in again");
}

// The audit log names accounts by id; for an email that may have no account
// it stores a hash, so the log itself is not a list of addresses people typed.
std::string EmailTarget(const std::string& email) {
  return "email:" + Sha256Hex(email).substr(0, 16);
}

}  // namespace

int64_t SystemClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

AuthService::AuthService(metadata::SqliteDatabase& db, AccessTokenCodec codec, Mailer& mailer,
                         AuthSettings settings, Clock clock)
    : db_(db),
      codec_(std::move(codec)),
      mailer_(mailer),
      settings_(std::move(settings)),
      clock_(std::move(clock)),
      users_(db),
      audit_(db) {}

std::string AuthService::NormalizeEmail(std::string_view email) {
  const auto begin = email.find_first_not_of(" \t");
  const auto end = email.find_last_not_of(" \t");
  std::string normalized(begin == std::string_view::npos ? std::string_view{}
                                                         : email.substr(begin, end - begin + 1));
  std::transform(normalized.begin(), normalized.end(), normalized.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c);
  });
  return normalized;
}

bool AuthService::IsValidEmail(std::string_view email) {
  // local@domain.tld with a conservative character set (no quoting, no
  // comments); at most 254 bytes (RFC 5321).
  if (email.size() > 254) return false;
  const auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const auto local = email.substr(0, at);
  const auto domain = email.substr(at + 1);
  auto allowed = [](std::string_view part, std::string_view extra) {
    return std::all_of(part.begin(), part.end(), [&](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             extra.find(c) != std::string_view::npos;
    });
  };
  if (local.size() > 64 || !allowed(local, "+_.-")) return false;
  if (domain.empty() || !allowed(domain, ".-") || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  // "localhost" is accepted so a fresh installation's admin@localhost works.
  return domain.find('.') != std::string_view::npos || domain == "localhost";
}

void AuthService::CheckPasswordRule(const std::string& password, const char* field) const {
  if (auto problem = PasswordProblem(password)) {
    throw AuthError(Kind::kInvalidInput, "weak_password", std::string(field) + ": " + *problem,
                    field);
  }
}

void AuthService::AppendAudit(AuditEvent event) { audit_.Append(event, clock_()); }

void AuthService::Audit(AuditEvent event) {
  std::lock_guard lock(mutex_);
  AppendAudit(std::move(event));
}

void AuthService::SendMail(const Mail& mail) {
  try {
    mailer_.Send(mail);
  } catch (const std::exception& e) {
    // The caller's answer must not depend on delivery (that would reveal
    // whether the address has an account); operators see it in the log.
    core::log::Error("mail_delivery_failed", {{"error", e.what()}, {"subject", mail.subject}});
  }
}

std::string AuthService::IssueOneTimeToken(const std::string& user_id, const char* purpose,
                                           int64_t ttl) {
  const std::string token = NewOpaqueToken();
  // A new token of a purpose replaces the user's older ones.
  auto spend = db_.Prepare(
      "UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS "
      "NULL");
  spend.Bind(1, NowSeconds()).Bind(2, user_id).Bind(3, purpose);
  spend.Step();
  auto insert = db_.Prepare(
      "INSERT INTO one_time_tokens(token_hash, purpose, user_id, expires_at) VALUES(?, ?, ?, ?)");
  insert.Bind(1, Sha256Hex(token)).Bind(2, purpose).Bind(3, user_id).Bind(4, NowSeconds() + ttl);
  insert.Step();
  return token;
}

std::string AuthService::ConsumeOneTimeToken(const std::string& token, const char* purpose) {
  auto find = db_.Prepare(
      "SELECT user_id, expires_at, used_at FROM one_time_tokens WHERE token_hash = ? AND purpose "
      "= ?");
  find.Bind(1, Sha256Hex(token)).Bind(2, purpose);
  if (!find.Step() || !find.IsNull(2) || find.GetInt(1) <= NowSeconds()) {
    throw AuthError(Kind::kInvalidInput, "invalid_token",
                    "the token is invalid, expired or already used", "token");
  }
  std::string user_id = find.GetText(0);
  auto spend = db_.Prepare("UPDATE one_time_tokens SET used_at = ? WHERE token_hash = ?");
  spend.Bind(1, NowSeconds()).Bind(2, Sha256Hex(token));
  spend.Step();
  return user_id;
}

void AuthService::RevokeAllRefreshTokens(const std::string& user_id) {
  auto revoke = db_.Prepare(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
  revoke.Bind(1, NowSeconds()).Bind(2, user_id);
  revoke.Step();
}

void AuthService::Register(const std::string& raw_email, const std::string& password,
                           const std::string& name, const RequestOrigin& origin) {
  const std::string email = NormalizeEmail(raw_email);
  if (!IsValidEmail(email)) {
    throw AuthError(Kind::kInvalidInput, "invalid_email", "email: not a valid address", "email");
  }
  if (name.empty() || name.size() > 200) {
    throw AuthError(Kind::kInvalidInput, "invalid_name", "name: 1 to 200 characters", "name");
  }
  CheckPasswordRule(password, "password");
  // Hash before looking the address up, so both outcomes cost the same.
  const std::string hash = HashPassword(password);

  std::optional<Mail> mail;
  {
    std::lock_guard lock(mutex_);
    ImmediateTransaction transaction(db_);
    if (auto existing = users_.FindByEmail(email)) {
      AppendAudit({"", "register_existing_email", existing->id, origin.client_ip, {}});
      mail = Mail{email, "FutureIM: someone tried to register with your address",
                  "Someone tried to create a FutureIM account with this address, which already "
                  "has one. If it was you, sign in or reset your password at " +
                      settings_.public_url + "/forgot-password . Otherwise, ignore this message."};
    } else {
      const int64_t now = NowSeconds();
      User user{NewId(), email, name, hash, {Role::kViewer}, false, false, 0, now, now};
      users_.Insert(user);
      const std::string token =
          IssueOneTimeToken(user.id, "verify", settings_.verify_token_seconds);
      AppendAudit({user.id, "register", user.id, origin.client_ip, {{"roles", "viewer"}}});
      mail = Mail{email, "FutureIM: verify your email address",
                  "Hello " + name + ",\n\nConfirm your address to activate your account:\n" +
                      settings_.public_url + "/verify?token=" + token + "\n\nThe link expires in " +
                      std::to_string(settings_.verify_token_seconds / 3600) +
                      " h. This message is automated."};
    }
    transaction.Commit();
  }
  SendMail(*mail);
}

void AuthService::RecordLoginFailure(const std::string& email, const RequestOrigin& origin,
                                     const std::string& user_id) {
  const int64_t now = NowSeconds();
  // Failures older than the lockout window are forgotten.
  auto upsert = db_.Prepare(
      "INSERT INTO login_attempts(email, failures, last_failure_at, locked_until) "
      "VALUES(?1, 1, ?2, 0) ON CONFLICT(email) DO UPDATE SET "
      "failures = CASE WHEN last_failure_at < ?2 - ?3 THEN 1 ELSE failures + 1 END, "
      "last_failure_at = ?2 RETURNING failures");
  upsert.Bind(1, email).Bind(2, now).Bind(3, settings_.lockout_seconds);
  upsert.Step();
  const int64_t failures = upsert.GetInt(0);
  upsert.Reset();
  AppendAudit({"",
               "login_failed",
               user_id.empty() ? EmailTarget(email) : user_id,
               origin.client_ip,
               {{"failures", failures}}});
  if (failures >= settings_.max_failed_logins) {
    auto lock =
        db_.Prepare("UPDATE login_attempts SET locked_until = ?, failures = 0 WHERE email = ?");
    lock.Bind(1, now + settings_.lockout_seconds).Bind(2, email);
    lock.Step();
    AppendAudit({"",
                 "lockout",
                 user_id.empty() ? EmailTarget(email) : user_id,
                 origin.client_ip,
                 {{"seconds", settings_.lockout_seconds}}});
  }
}

SignedIn AuthService::Login(const std::string& raw_email, const std::string& password,
                            const RequestOrigin& origin) {
  const std::string email = NormalizeEmail(raw_email);
  std::optional<User> user;
  {
    std::lock_guard lock(mutex_);
    auto attempts = db_.Prepare("SELECT locked_until FROM login_attempts WHERE email = ?");
    attempts.Bind(1, email);
    if (attempts.Step() && attempts.GetInt(0) > NowSeconds()) {
      AuthError error(Kind::kLocked, "account_locked", "too many failed sign-ins: try again later");
      error.retry_after_seconds = attempts.GetInt(0) - NowSeconds();
      AppendAudit({"", "login_locked", EmailTarget(email), origin.client_ip, {}});
      throw error;
    }
    user = users_.FindByEmail(email);
  }
  // Verified outside the lock (~50 ms); an unknown email costs the same.
  const bool password_ok =
      VerifyPassword(password, user ? user->password_hash : DecoyPasswordHash()) && user;

  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  if (!password_ok) {
    RecordLoginFailure(email, origin, user ? user->id : "");
    transaction.Commit();
    throw InvalidCredentials();
  }
  if (user->disabled) {
    AppendAudit({user->id, "login_refused", user->id, origin.client_ip, {{"reason", "disabled"}}});
    transaction.Commit();
    throw AuthError(Kind::kForbidden, "account_disabled", "this account is disabled");
  }
  if (settings_.require_verified_email && !user->email_verified) {
    AppendAudit(
        {user->id, "login_refused", user->id, origin.client_ip, {{"reason", "unverified"}}});
    transaction.Commit();
    throw AuthError(Kind::kForbidden, "email_not_verified",
                    "verify your email address first (see the link we sent)");
  }
  auto clear = db_.Prepare("DELETE FROM login_attempts WHERE email = ?");
  clear.Bind(1, email);
  clear.Step();
  SignedIn signed_in = IssueTokens(*user, NewId());
  AppendAudit({user->id, "login", user->id, origin.client_ip, {}});
  transaction.Commit();
  return signed_in;
}

SignedIn AuthService::IssueTokens(const User& user, const std::string& family_id) {
  const int64_t now = NowSeconds();
  AccessTokenClaims claims{user.id, user.roles, now, now, now + settings_.access_token_seconds,
                           NewId()};
  SignedIn result;
  result.access_token = codec_.Sign(claims);
  result.expires_in = settings_.access_token_seconds;
  result.refresh_token = NewOpaqueToken();
  result.user = Summarize(user);
  auto insert = db_.Prepare(
      "INSERT INTO refresh_tokens(token_hash, user_id, family_id, issued_at, expires_at) "
      "VALUES(?, ?, ?, ?, ?)");
  insert.Bind(1, Sha256Hex(result.refresh_token))
      .Bind(2, user.id)
      .Bind(3, family_id)
      .Bind(4, now)
      .Bind(5, now + settings_.refresh_token_seconds);
  insert.Step();
  return result;
}

SignedIn AuthService::Refresh(const std::string& refresh_token, const RequestOrigin& origin) {
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  auto find = db_.Prepare(
      "SELECT user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE "
      "token_hash = ?");
  find.Bind(1, Sha256Hex(refresh_token));
  if (!find.Step()) throw InvalidRefreshToken();
  const std::string user_id = find.GetText(0);
  const std::string family_id = find.GetText(1);
  const int64_t now = NowSeconds();
  if (!find.IsNull(3) || !find.IsNull(4)) {
    // A spent token came back: either it was stolen or the thief already
    // used it. Either way nobody holding this sign-in can be trusted.
    auto revoke = db_.Prepare(
        "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL");
    revoke.Bind(1, now).Bind(2, family_id);
    revoke.Step();
    AppendAudit({user_id, "refresh_reuse", user_id, origin.client_ip, {{"family", family_id}}});
    transaction.Commit();
    throw InvalidRefreshToken();
  }
  if (find.GetInt(2) <= now) throw InvalidRefreshToken();
  const auto user = users_.FindById(user_id);
  if (!user || user->disabled) throw InvalidRefreshToken();
  auto spend = db_.Prepare("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?");
  spend.Bind(1, now).Bind(2, Sha256Hex(refresh_token));
  spend.Step();
  SignedIn signed_in = IssueTokens(*user, family_id);
  transaction.Commit();
  return signed_in;
}

void AuthService::Logout(const std::string& refresh_token, const RequestOrigin& origin) {
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  auto find = db_.Prepare("SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = ?");
  find.Bind(1, Sha256Hex(refresh_token));
  if (!find.Step()) return;
  const std::string user_id = find.GetText(0);
  auto revoke = db_.Prepare(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL");
  revoke.Bind(1, NowSeconds()).Bind(2, find.GetText(1));
  revoke.Step();
  AppendAudit({user_id, "logout", user_id, origin.client_ip, {}});
  transaction.Commit();
}

void AuthService::ForgotPassword(const std::string& raw_email, const RequestOrigin& origin) {
  const std::string email = NormalizeEmail(raw_email);
  std::optional<Mail> mail;
  {
    std::lock_guard lock(mutex_);
    ImmediateTransaction transaction(db_);
    const auto user = users_.FindByEmail(email);
    if (user && !user->disabled) {
      const std::string token = IssueOneTimeToken(user->id, "reset", settings_.reset_token_seconds);
      AppendAudit({user->id, "password_reset_requested", user->id, origin.client_ip, {}});
      mail = Mail{email, "FutureIM: reset your password",
                  "Hello " + user->name + ",\n\nUse this link to choose a new password:\n" +
                      settings_.public_url + "/reset-password?token=" + token +
                      "\n\nThe link works once and expires in " +
                      std::to_string(std::max<int64_t>(1, settings_.reset_token_seconds / 60)) +
                      " min. If you did not ask for it, ignore this message; your password is "
                      "unchanged. This message is automated."};
    } else {
      AppendAudit({"",
                   "password_reset_requested",
                   EmailTarget(email),
                   origin.client_ip,
                   {{"account", false}}});
    }
    transaction.Commit();
  }
  if (mail) SendMail(*mail);
}

void AuthService::ResetPassword(const std::string& token, const std::string& new_password,
                                const RequestOrigin& origin) {
  CheckPasswordRule(new_password, "new_password");
  const std::string hash = HashPassword(new_password);
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  std::string user_id;
  try {
    user_id = ConsumeOneTimeToken(token, "reset");
  } catch (const AuthError&) {
    AppendAudit({"", "password_reset_refused", "", origin.client_ip, {}});
    transaction.Commit();
    throw;
  }
  const auto user = users_.FindById(user_id);
  users_.SetPassword(user_id, hash, NowSeconds());
  RevokeAllRefreshTokens(user_id);
  if (user) {
    auto clear = db_.Prepare("DELETE FROM login_attempts WHERE email = ?");
    clear.Bind(1, user->email);
    clear.Step();
  }
  AppendAudit({user_id, "password_reset", user_id, origin.client_ip, {}});
  transaction.Commit();
}

void AuthService::VerifyEmail(const std::string& token, const RequestOrigin& origin) {
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  const std::string user_id = ConsumeOneTimeToken(token, "verify");
  users_.MarkEmailVerified(user_id, NowSeconds());
  AppendAudit({user_id, "email_verified", user_id, origin.client_ip, {}});
  transaction.Commit();
}

void AuthService::ChangePassword(const Principal& who, const std::string& current_password,
                                 const std::string& new_password, const RequestOrigin& origin) {
  CheckPasswordRule(new_password, "new_password");
  std::optional<User> user;
  {
    std::lock_guard lock(mutex_);
    user = users_.FindById(who.user_id);
  }
  if (!user) throw AuthError(Kind::kUnauthorized, "unauthorized", "sign in again");
  if (!VerifyPassword(current_password, user->password_hash)) {
    std::lock_guard lock(mutex_);
    AppendAudit({user->id, "password_change_refused", user->id, origin.client_ip, {}});
    throw AuthError(Kind::kInvalidInput, "wrong_password", "current_password: is not right",
                    "current_password");
  }
  const std::string hash = HashPassword(new_password);
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  users_.SetPassword(user->id, hash, NowSeconds());
  RevokeAllRefreshTokens(user->id);
  AppendAudit({user->id, "password_change", user->id, origin.client_ip, {}});
  transaction.Commit();
}

Principal AuthService::Authenticate(std::string_view access_token) {
  AccessTokenClaims claims;
  try {
    claims = codec_.Verify(access_token, NowSeconds());
  } catch (const InvalidAccessToken& e) {
    core::log::Debug("access_token_refused", {{"reason", e.what()}});
    throw AuthError(Kind::kUnauthorized, "unauthorized", "a valid access token is required");
  }
  std::lock_guard lock(mutex_);
  const auto user = users_.FindById(claims.subject);
  if (!user || user->disabled || claims.issued_at < user->tokens_valid_after) {
    throw AuthError(Kind::kUnauthorized, "unauthorized", "a valid access token is required");
  }
  return Principal{user->id, user->email, user->roles};
}

UserSummary AuthService::Me(const Principal& who) {
  std::lock_guard lock(mutex_);
  const auto user = users_.FindById(who.user_id);
  if (!user) throw AuthError(Kind::kUnauthorized, "unauthorized", "sign in again");
  return Summarize(*user);
}

std::vector<UserSummary> AuthService::ListUsers() {
  std::lock_guard lock(mutex_);
  std::vector<UserSummary> result;
  for (const auto& user : users_.List()) result.push_back(Summarize(user));
  return result;
}

UserSummary AuthService::UpdateUser(const Principal& admin, const std::string& user_id,
                                    const UserChange& change, const RequestOrigin& origin) {
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  auto user = users_.FindById(user_id);
  if (!user) throw AuthError(Kind::kNotFound, "not_found", "no such user");
  const int64_t now = NowSeconds();
  if (change.roles) {
    if (change.roles->empty()) {
      throw AuthError(Kind::kInvalidInput, "invalid_roles", "roles: at least one role", "roles");
    }
    const nlohmann::json before = JoinRoles(user->roles);
    users_.SetRoles(user_id, *change.roles, now);
    AppendAudit({admin.user_id,
                 "role_change",
                 user_id,
                 origin.client_ip,
                 {{"from", before}, {"to", JoinRoles(*change.roles)}}});
  }
  if (change.disabled && *change.disabled != user->disabled) {
    users_.SetDisabled(user_id, *change.disabled, now);
    if (*change.disabled) RevokeAllRefreshTokens(user_id);
    AppendAudit({admin.user_id,
                 *change.disabled ? "user_disabled" : "user_enabled",
                 user_id,
                 origin.client_ip,
                 {}});
  }
  // Checked after the change, inside the transaction: it rolls back.
  if (users_.CountActiveAdmins() == 0) {
    throw AuthError(Kind::kConflict, "last_admin",
                    "this change would leave no enabled admin; promote another admin first");
  }
  transaction.Commit();
  return Summarize(*users_.FindById(user_id));
}

void AuthService::DeleteUser(const Principal& admin, const std::string& user_id,
                             const RequestOrigin& origin) {
  if (user_id == admin.user_id) {
    throw AuthError(Kind::kConflict, "self_delete", "an admin cannot delete their own account");
  }
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  const auto user = users_.FindById(user_id);
  if (!user) throw AuthError(Kind::kNotFound, "not_found", "no such user");
  users_.Delete(user_id);
  if (users_.CountActiveAdmins() == 0) {
    throw AuthError(Kind::kConflict, "last_admin", "this would leave no enabled admin");
  }
  AppendAudit({admin.user_id,
               "user_delete",
               user_id,
               origin.client_ip,
               {{"email_hash", EmailTarget(user->email)}}});
  transaction.Commit();
}

std::vector<AuditRecord> AuthService::FindAudit(const AuditFilter& filter) {
  std::lock_guard lock(mutex_);
  return audit_.Find(filter);
}

bool AuthService::CreateFirstAdmin(const std::string& raw_email, const std::string& password,
                                   const std::string& name) {
  const std::string email = NormalizeEmail(raw_email);
  if (!IsValidEmail(email)) throw core::Error("--admin-email: not a valid address: " + email);
  if (auto problem = PasswordProblem(password)) throw core::Error("admin password: " + *problem);
  const std::string hash = HashPassword(password);
  std::lock_guard lock(mutex_);
  ImmediateTransaction transaction(db_);
  if (users_.CountActiveAdmins() > 0) return false;
  if (users_.FindByEmail(email)) {
    throw core::Error("an account " + email +
                      " exists but no enabled admin does: choose another --admin-email");
  }
  const int64_t now = NowSeconds();
  User user{NewId(), email, name, hash, {Role::kAdmin}, true, false, 0, now, now};
  users_.Insert(user);
  AppendAudit({"", "admin_created", user.id, "", {{"by", "futureim init"}}});
  transaction.Commit();
  return true;
}

}  // namespace futureim::auth
