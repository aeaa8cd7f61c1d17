#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/access_token.h"
#include "auth/audit_log.h"
#include "auth/mailer.h"
#include "auth/role.h"
#include "auth/user_store.h"
#include "metadata/sqlite_database.h"

namespace futureim::auth {

// A refusal the client may see: a stable code, a message without internals,
// and the field at fault when the input was wrong. The API maps `kind` to an
// HTTP status.
class AuthError : public std::runtime_error {
 public:
  enum class Kind { kInvalidInput, kUnauthorized, kForbidden, kNotFound, kConflict, kLocked };
  AuthError(Kind kind, std::string code, const std::string& message, std::string field = {})
      : std::runtime_error(message),
        kind_(kind),
        code_(std::move(code)),
        field_(std::move(field)) {}
  Kind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }
  int64_t retry_after_seconds = 0;  // kLocked

 private:
  Kind kind_;
  std::string code_;
  std::string field_;
};

struct AuthSettings {
  int64_t access_token_seconds = 900;
  int64_t refresh_token_seconds = 14 * 86400;
  int64_t reset_token_seconds = 3600;
  int64_t verify_token_seconds = 86400;
  int64_t max_failed_logins = 5;
  int64_t lockout_seconds = 900;
  bool require_verified_email = true;
  std::string public_url = "http://127.0.0.1:8080";
};

// Who made a request, for the audit log.
struct RequestOrigin {
  std::string client_ip;
};

// The signed-in caller of a request, after Authenticate.
struct Principal {
  std::string user_id;
  std::string email;
  std::vector<Role> roles;
};

// A user as the API shows it: never the password hash.
struct UserSummary {
  std::string id;
  std::string email;
  std::string name;
  std::vector<Role> roles;
  bool email_verified = false;
  bool disabled = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct SignedIn {
  std::string access_token;
  int64_t expires_in = 0;
  std::string refresh_token;
  UserSummary user;
};

struct UserChange {
  std::optional<std::vector<Role>> roles;
  std::optional<bool> disabled;
};

// Unix time in milliseconds; injectable so tests can move time.
using Clock = std::function<int64_t()>;
int64_t SystemClockMillis();

// The auth flows of SPEC.md §5 over the metadata database: accounts,
// Argon2id passwords, JWT access tokens, rotating refresh tokens with reuse
// detection, single-use hashed reset/verify tokens, lockout, and the audit
// log of every security-relevant action. Thread-safe: password hashing runs
// outside the lock, database work under it. Answers never tell whether an
// email has an account (register, forgot-password, login failures and
// lockouts look the same for both).
class AuthService {
 public:
  AuthService(metadata::SqliteDatabase& db, AccessTokenCodec codec, Mailer& mailer,
              AuthSettings settings, Clock clock = SystemClockMillis);

  // New accounts are viewers and must verify their email (a link is mailed).
  // An address that already has an account gets a notice instead; the caller
  // sees the same outcome either way.
  void Register(const std::string& email, const std::string& password, const std::string& name,
                const RequestOrigin& origin);
  SignedIn Login(const std::string& email, const std::string& password,
                 const RequestOrigin& origin);
  // Rotates: the presented token is spent and a new one returned. Presenting
  // a spent or revoked token revokes every token of its sign-in (family).
  SignedIn Refresh(const std::string& refresh_token, const RequestOrigin& origin);
  // Revokes the sign-in the refresh token belongs to; unknown tokens are ignored.
  void Logout(const std::string& refresh_token, const RequestOrigin& origin);
  void ForgotPassword(const std::string& email, const RequestOrigin& origin);
  void ResetPassword(const std::string& token, const std::string& new_password,
                     const RequestOrigin& origin);
  void VerifyEmail(const std::string& token, const RequestOrigin& origin);
  void ChangePassword(const Principal& who, const std::string& current_password,
                      const std::string& new_password, const RequestOrigin& origin);

  // Checks a bearer access token and that its user still exists, is enabled
  // and has not had its tokens revoked since; roles come from the database
  // (a role change applies at once). Throws AuthError kUnauthorized.
  Principal Authenticate(std::string_view access_token);
  UserSummary Me(const Principal& who);

  std::vector<UserSummary> ListUsers();
  UserSummary UpdateUser(const Principal& admin, const std::string& user_id,
                         const UserChange& change, const RequestOrigin& origin);
  void DeleteUser(const Principal& admin, const std::string& user_id, const RequestOrigin& origin);
  std::vector<AuditRecord> FindAudit(const AuditFilter& filter);

  // Appends an event (for other areas: queries, exports, configuration).
  void Audit(AuditEvent event);

  // `futureim init`: creates a verified admin when no enabled admin exists.
  // Returns false (and changes nothing) when one exists already.
  bool CreateFirstAdmin(const std::string& email, const std::string& password,
                        const std::string& name);

  static std::string NormalizeEmail(std::string_view email);
  static bool IsValidEmail(std::string_view email);

 private:
  int64_t NowSeconds() const { return clock_() / 1000; }
  void AppendAudit(AuditEvent event);
  SignedIn IssueTokens(const User& user, const std::string& family_id);
  std::string IssueOneTimeToken(const std::string& user_id, const char* purpose, int64_t ttl);
  // Spends a one-time token; returns its user id or throws invalid_token.
  std::string ConsumeOneTimeToken(const std::string& token, const char* purpose);
  void RevokeAllRefreshTokens(const std::string& user_id);
  void RecordLoginFailure(const std::string& email, const RequestOrigin& origin,
                          const std::string& user_id);
  void CheckPasswordRule(const std::string& password, const char* field) const;
  void SendMail(const Mail& mail);

  metadata::SqliteDatabase& db_;
  AccessTokenCodec codec_;
  Mailer& mailer_;
  AuthSettings settings_;
  Clock clock_;
  UserStore users_;
  AuditLog audit_;
  std::mutex mutex_;  // serialises use of db_ (one shared connection)
};

}  // namespace futureim::auth
