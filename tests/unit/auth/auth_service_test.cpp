// The auth flows against a real metadata database and the real outbox
// mailer, with a clock the test moves (expiry and lockout windows).

#include "auth/auth_service.h"

#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "metadata/metadata_db.h"
#include "support/temp_dir.h"

namespace futureim::auth {
namespace {

using Kind = AuthError::Kind;

class AuthServiceTest : public ::testing::Test {
 protected:
  AuthServiceTest()
      : db_(metadata::MetadataDb::Open(dir_.path() / "meta.db")),
        mailer_(dir_.path() / "outbox.jsonl", "test@localhost"),
        service_(db_.database(), AccessTokenCodec(std::string(32, 'k')), mailer_, Settings(),
                 [this] { return now_ms_; }) {}

  static AuthSettings Settings() {
    AuthSettings settings;
    settings.max_failed_logins = 3;
    settings.lockout_seconds = 60;
    settings.reset_token_seconds = 3600;
    return settings;
  }

  // The token of the last mailed link to `path` ("/verify", "/reset-password").
  std::string LastLinkToken(const std::string& path) {
    std::ifstream in(dir_.path() / "outbox.jsonl");
    std::string line, token;
    const std::regex link(path + "\\?token=([A-Za-z0-9_-]+)");
    while (std::getline(in, line)) {
      std::smatch match;
      if (std::regex_search(line, match, link)) token = match[1];
    }
    return token;
  }

  void Advance(int64_t seconds) { now_ms_ += seconds * 1000; }

  Kind KindOf(const std::function<void()>& action) {
    try {
      action();
    } catch (const AuthError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "no AuthError";
    return Kind::kInvalidInput;
  }

  SignedIn RegisterAndVerify(const std::string& email) {
    service_.Register(email, kPassword, "Ann", origin_);
    service_.VerifyEmail(LastLinkToken("/verify"), origin_);
    return service_.Login(email, kPassword, origin_);
  }

  static constexpr const char* kPassword = "Sup3r-secret!";
  testing::TempDir dir_;
  metadata::MetadataDb db_;
  OutboxFileMailer mailer_;
  int64_t now_ms_ = 1'800'000'000'000;
  AuthService service_;
  RequestOrigin origin_{"127.0.0.1"};
};

TEST_F(AuthServiceTest, RegisterVerifyLoginAuthenticate) {
  service_.Register("Ann@Example.com", kPassword, "Ann", origin_);
  EXPECT_EQ(KindOf([&] { service_.Login("ann@example.com", kPassword, origin_); }),
            Kind::kForbidden);
  service_.VerifyEmail(LastLinkToken("/verify"), origin_);
  const auto signed_in = service_.Login(" ANN@example.com ", kPassword, origin_);
  const auto principal = service_.Authenticate(signed_in.access_token);
  EXPECT_EQ(principal.email, "ann@example.com");
  ASSERT_EQ(principal.roles.size(), 1u);
  EXPECT_EQ(principal.roles[0], Role::kViewer);
  // Registering the same address again changes nothing and looks the same.
  EXPECT_NO_THROW(service_.Register("ann@example.com", "An0ther-pass!", "Eve", origin_));
  EXPECT_NO_THROW(service_.Login("ann@example.com", kPassword, origin_));
}

TEST_F(AuthServiceTest, RefreshRotatesAndReuseRevokesTheFamily) {
  const auto first = RegisterAndVerify("bob@example.com");
  const auto second = service_.Refresh(first.refresh_token, origin_);
  const auto third = service_.Refresh(second.refresh_token, origin_);
  // The first token comes back (stolen copy): the whole sign-in dies.
  EXPECT_EQ(KindOf([&] { service_.Refresh(first.refresh_token, origin_); }), Kind::kUnauthorized);
  EXPECT_EQ(KindOf([&] { service_.Refresh(third.refresh_token, origin_); }), Kind::kUnauthorized);
  // Another sign-in of the same user is untouched.
  const auto other = service_.Login("bob@example.com", kPassword, origin_);
  EXPECT_NO_THROW(service_.Refresh(other.refresh_token, origin_));
  AuditFilter filter;
  filter.action = "refresh_reuse";
  EXPECT_EQ(service_.FindAudit(filter).size(), 2u);  // each revoked token presented
}

TEST_F(AuthServiceTest, ResetTokensAreSingleUseAndExpire) {
  RegisterAndVerify("cat@example.com");
  service_.ForgotPassword("cat@example.com", origin_);
  const auto token = LastLinkToken("/reset-password");
  ASSERT_FALSE(token.empty());
  service_.ResetPassword(token, "N3w-password!", origin_);
  EXPECT_EQ(KindOf([&] { service_.ResetPassword(token, "Other-pass1!", origin_); }),
            Kind::kInvalidInput);
  EXPECT_NO_THROW(service_.Login("cat@example.com", "N3w-password!", origin_));

  service_.ForgotPassword("cat@example.com", origin_);
  const auto late = LastLinkToken("/reset-password");
  Advance(3601);
  EXPECT_EQ(KindOf([&] { service_.ResetPassword(late, "Other-pass1!", origin_); }),
            Kind::kInvalidInput);
  // An unknown address gets no mail and no error.
  EXPECT_NO_THROW(service_.ForgotPassword("nobody@example.com", origin_));
}

TEST_F(AuthServiceTest, LocksOutAfterFailuresForKnownAndUnknownEmails) {
  RegisterAndVerify("dan@example.com");
  for (const char* email : {"dan@example.com", "ghost@example.com"}) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(KindOf([&] { service_.Login(email, "Wrong-pass1!", origin_); }),
                Kind::kUnauthorized);
    }
    EXPECT_EQ(KindOf([&] { service_.Login(email, kPassword, origin_); }), Kind::kLocked) << email;
  }
  Advance(61);
  EXPECT_NO_THROW(service_.Login("dan@example.com", kPassword, origin_));
}

TEST_F(AuthServiceTest, PasswordChangeAndDisableRevokeTokens) {
  const auto signed_in = RegisterAndVerify("eve@example.com");
  const auto principal = service_.Authenticate(signed_in.access_token);
  Advance(2);
  service_.ChangePassword(principal, kPassword, "Chang3d-pass!", origin_);
  EXPECT_EQ(KindOf([&] { service_.Authenticate(signed_in.access_token); }), Kind::kUnauthorized);
  EXPECT_EQ(KindOf([&] { service_.Refresh(signed_in.refresh_token, origin_); }),
            Kind::kUnauthorized);
}

TEST_F(AuthServiceTest, FirstAdminAndLastAdminProtection) {
  EXPECT_TRUE(service_.CreateFirstAdmin("root@localhost", kPassword, "Root"));
  EXPECT_FALSE(service_.CreateFirstAdmin("other@localhost", kPassword, "Other"));
  const auto admin =
      service_.Authenticate(service_.Login("root@localhost", kPassword, origin_).access_token);
  UserChange demote;
  demote.roles = std::vector<Role>{Role::kViewer};
  EXPECT_EQ(KindOf([&] { service_.UpdateUser(admin, admin.user_id, demote, origin_); }),
            Kind::kConflict);
  EXPECT_EQ(KindOf([&] { service_.DeleteUser(admin, admin.user_id, origin_); }), Kind::kConflict);
  const auto users = service_.ListUsers();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].roles, std::vector<Role>{Role::kAdmin});  // the refused change rolled back
}

}  // namespace
}  // namespace futureim::auth
