// The API over real HTTP: the real `futureim serve` on 127.0.0.1, a fresh
// installation from the real `futureim init`, requests over sockets.

#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "api_server_process.h"
#include "auth/token_codec.h"
#include "core/hmac_sha256.h"
#include "metadata/sqlite_database.h"

namespace futureim {
namespace {

using testing::ApiServerProcess;
using testing::HttpReply;
using testing::JsonOf;
using json = nlohmann::json;

// Every route `futureim serve` serves in this build, as "METHOD /pattern".
const std::set<std::string> kServedRoutes = {
    "GET /health",
    "GET /openapi.json",
    "POST /auth/register",
    "POST /auth/login",
    "POST /auth/refresh",
    "POST /auth/logout",
    "POST /auth/forgot-password",
    "POST /auth/reset-password",
    "POST /auth/verify",
    "POST /auth/change-password",
    "GET /auth/me",
    "GET /admin/users",
    "PATCH /admin/users/{id}",
    "DELETE /admin/users/{id}",
    "GET /admin/audit-log",
    "POST /query",
    "GET /ready",
    "GET /metrics",
    "GET /ops/replication",
    "GET /ops/pipeline/runs",
    "POST /ops/pipeline/run",
    "GET /ops/alarms",
    "GET /ops/catalog/tables",
    "GET /ops/catalog/tables/{name}",
    "GET /data/health",
    "POST /compliance/fraud-detection",
    "POST /compliance/risk-score",
    "GET /compliance/high-risk-transactions",
    "POST /compliance/pci-compliance",
    "GET /compliance/compliance-report",
    "GET /compliance/fraud-statistics",
    "POST /compliance/detections/{id}/review",
    "POST /copilot/chat",
    "GET /copilot/conversations",
    "POST /copilot/conversation",
    "GET /copilot/conversation",
    "DELETE /copilot/conversation",
    "GET /copilot/inventory",
    "GET /copilot/orders",
    "GET /copilot/customers",
    "GET /copilot/sales-report",
};

class ApiServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<ApiServerProcess>(std::map<std::string, std::string>{
        {"FUTUREIM_AUTH_RESET_TOKEN_SECONDS", "2"},
        {"FUTUREIM_AUTH_LOCKOUT_SECONDS", "2"},
        {"FUTUREIM_AUTH_MAX_FAILED_LOGINS", "3"},
        {"FUTUREIM_AUTH_LOGIN_IP_PER_MINUTE", "100000"},
        {"FUTUREIM_SERVER_RATE_LIMIT_IP_PER_MINUTE", "1000000"},
        {"FUTUREIM_SERVER_READ_TIMEOUT_SECONDS", "2"},
        {"FUTUREIM_SERVER_CORS_ORIGINS", "https://app.example.com"},
    });
  }
  static void TearDownTestSuite() { server_.reset(); }

  static HttpReply Call(const std::string& method, const std::string& target,
                        const json& body = nullptr, const std::string& token = {},
                        std::map<std::string, std::string> headers = {}) {
    return server_->Call(method, target, body, token, std::move(headers));
  }

  static json Login(const std::string& email, const std::string& password) {
    auto reply = Call("POST", "/auth/login", {{"email", email}, {"password", password}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    return JsonOf(reply);
  }

  static std::string AdminToken() {
    return Login(testing::kAdminEmail, testing::kAdminPassword)["access_token"];
  }

  // Registers, verifies and signs in a new viewer.
  static json NewUser(const std::string& email,
                      const std::string& password = testing::kUserPassword) {
    auto reply = Call("POST", "/auth/register",
                      {{"email", email}, {"password", password}, {"name", "Test User"}});
    EXPECT_EQ(reply.status, 202) << reply.body;
    reply = Call("POST", "/auth/verify", {{"token", server_->LastMailedToken("/verify")}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    return Login(email, password);
  }

  static void ExpectError(const HttpReply& reply, int status, const std::string& code,
                          const std::string& field = {}) {
    EXPECT_EQ(reply.status, status) << reply.body;
    const auto body = JsonOf(reply);
    ASSERT_TRUE(body.contains("error")) << reply.body;
    EXPECT_EQ(body["error"]["code"], code) << reply.body;
    EXPECT_TRUE(body["error"]["message"].is_string());
    if (!field.empty()) {
      EXPECT_EQ(body["error"].value("field", ""), field) << reply.body;
    }
  }

  // An access token signed with the installation's real key: the server
  // must still refuse it when the claims or algorithm are wrong.
  static std::string SignWithInstallationKey(const json& header, const json& payload) {
    std::ifstream in(server_->workdir() / "futureim.keys");
    const auto keys = json::parse(in);
    const std::string key =
        keys.contains("secrets") ? keys["secrets"]["auth.jwt_key"] : keys["auth.jwt_key"];
    const std::string input =
        auth::Base64UrlEncode(header.dump()) + "." + auth::Base64UrlEncode(payload.dump());
    return input + "." + auth::Base64UrlEncode(core::HmacSha256(key, input));
  }

  static inline std::unique_ptr<ApiServerProcess> server_;
};

TEST_F(ApiServerTest, HealthCarriesSecurityHeadersAndRequestIds) {
  auto reply = Call("GET", "/health", nullptr, {}, {{"X-Request-Id", "trace-123"}});
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(JsonOf(reply)["status"], "ok");
  EXPECT_EQ(reply.headers["x-request-id"], "trace-123");
  EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(reply.headers["x-frame-options"], "DENY");
  EXPECT_NE(reply.headers["content-security-policy"].find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(reply.headers["referrer-policy"], "no-referrer");
  EXPECT_EQ(reply.headers.count("strict-transport-security"), 0u);  // plain HTTP
  EXPECT_EQ(reply.headers.count("access-control-allow-origin"), 0u);
  // A hostile request id is replaced by a fresh one.
  reply = Call("GET", "/health", nullptr, {}, {{"X-Request-Id", "a b<script>"}});
  EXPECT_EQ(reply.headers["x-request-id"].size(), 32u);
}

TEST_F(ApiServerTest, OpenApiListsExactlyTheServedRoutes) {
  auto reply = Call("GET", "/openapi.json");
  ASSERT_EQ(reply.status, 200);
  const auto document = JsonOf(reply);
  std::set<std::string> listed;
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      listed.insert(upper + " " + path);
    }
  }
  EXPECT_EQ(listed, kServedRoutes);
  // And each listed route is really there (no 404/405 from the router).
  for (const auto& route : listed) {
    const auto space = route.find(' ');
    std::string target = route.substr(space + 1);
    if (auto brace = target.find("{id}"); brace != std::string::npos) target.replace(brace, 4, "x");
    const auto answer = Call(route.substr(0, space), target);
    EXPECT_NE(answer.status, 404) << route << " " << answer.body;
    EXPECT_NE(answer.status, 405) << route;
    // /ready answers 503 by design here: this installation has no source.
    EXPECT_LT(answer.status, route == "GET /ready" ? 504 : 500) << route;
  }
  ExpectError(Call("GET", "/no/such/route"), 404, "not_found");
  const auto wrong_method = Call("DELETE", "/health");
  ExpectError(wrong_method, 405, "method_not_allowed");
  EXPECT_EQ(wrong_method.headers.at("allow"), "GET");
}

TEST_F(ApiServerTest, RegisterVerifyLoginMeRefreshLogout) {
  auto reply =
      Call("POST", "/auth/register",
           {{"email", "Alice@Example.com"}, {"password", "Al1ce-password!"}, {"name", "Alice"}});
  ASSERT_EQ(reply.status, 202) << reply.body;
  // Not verified yet: the right password is refused with a clear code.
  ExpectError(Call("POST", "/auth/login",
                   {{"email", "alice@example.com"}, {"password", "Al1ce-password!"}}),
              403, "email_not_verified");
  reply = Call("POST", "/auth/verify", {{"token", server_->LastMailedToken("/verify")}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  ExpectError(Call("POST", "/auth/verify", {{"token", server_->LastMailedToken("/verify")}}), 400,
              "invalid_token", "token");

  auto tokens = Login("alice@example.com", "Al1ce-password!");
  EXPECT_EQ(tokens["token_type"], "Bearer");
  EXPECT_LE(tokens["expires_in"].get<int>(), 900);
  EXPECT_EQ(tokens["user"]["roles"], json::array({"viewer"}));
  EXPECT_FALSE(tokens["user"].contains("password_hash"));

  reply = Call("GET", "/auth/me", nullptr, tokens["access_token"]);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(JsonOf(reply)["email"], "alice@example.com");
  EXPECT_EQ(JsonOf(reply)["email_verified"], true);

  reply = Call("POST", "/auth/refresh", {{"refresh_token", tokens["refresh_token"]}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto rotated = JsonOf(reply);
  EXPECT_NE(rotated["refresh_token"], tokens["refresh_token"]);
  EXPECT_EQ(Call("GET", "/auth/me", nullptr, rotated["access_token"]).status, 200);

  reply = Call("POST", "/auth/logout", {{"refresh_token", rotated["refresh_token"]}});
  EXPECT_EQ(reply.status, 204);
  EXPECT_TRUE(reply.body.empty());
  ExpectError(Call("POST", "/auth/refresh", {{"refresh_token", rotated["refresh_token"]}}), 401,
              "invalid_refresh_token");
}

TEST_F(ApiServerTest, RegisterAnswersTheSameForAnExistingEmail) {
  NewUser("bob@example.com");
  const json body = {
      {"email", "bob@example.com"}, {"password", "B0b-other-pass!"}, {"name", "Bob"}};
  const auto existing = Call("POST", "/auth/register", body);
  auto fresh_body = body;
  fresh_body["email"] = "bob2@example.com";
  const auto fresh = Call("POST", "/auth/register", fresh_body);
  EXPECT_EQ(existing.status, fresh.status);
  EXPECT_EQ(existing.body, fresh.body);
  // The existing account kept its password.
  Login("bob@example.com", testing::kUserPassword);
  // Same for forgot-password.
  const auto known = Call("POST", "/auth/forgot-password", {{"email", "bob@example.com"}});
  const auto unknown = Call("POST", "/auth/forgot-password", {{"email", "nobody@example.com"}});
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(known.status, unknown.status);
  EXPECT_EQ(known.body, unknown.body);
}

TEST_F(ApiServerTest, ValidationErrorsNameTheField) {
  ExpectError(Call("POST", "/auth/register", {{"password", "Al1ce-password!"}, {"name", "A"}}), 400,
              "invalid_request", "email");
  ExpectError(Call("POST", "/auth/register", {{"email", 42}, {"password", "x"}, {"name", "A"}}),
              400, "invalid_request", "email");
  ExpectError(Call("POST", "/auth/register",
                   {{"email", "not-an-email"}, {"password", "Al1ce-password!"}, {"name", "A"}}),
              400, "invalid_email", "email");
  ExpectError(Call("POST", "/auth/register",
                   {{"email", "weak@example.com"}, {"password", "short"}, {"name", "A"}}),
              400, "weak_password", "password");
  ExpectError(
      Call("POST", "/auth/login", {{"email", "a@b.co"}, {"password", "x"}, {"admin", true}}), 400,
      "invalid_request", "admin");
  ExpectError(Call("POST", "/auth/login", {{"email", "a@b.co"}, {"password", json::array()}}), 400,
              "invalid_request", "password");
  auto bad_json = testing::HttpRequestOnce(server_->port(), "POST", "/auth/login", "{\"email\": ");
  ExpectError(bad_json, 400, "invalid_json");
  auto not_object = testing::HttpRequestOnce(server_->port(), "POST", "/auth/login", "[1,2]");
  ExpectError(not_object, 400, "invalid_request");
  auto wrong_type =
      testing::HttpRequestOnce(server_->port(), "POST", "/auth/login", "email=a",
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectError(wrong_type, 415, "unsupported_media_type");
  const auto admin = AdminToken();
  ExpectError(Call("GET", "/admin/audit-log?limit=abc", nullptr, admin), 400, "invalid_request",
              "limit");
  ExpectError(Call("GET", "/admin/audit-log?limit=5000", nullptr, admin), 400, "invalid_request",
              "limit");
  ExpectError(Call("GET", "/admin/audit-log?since=yesterday", nullptr, admin), 400,
              "invalid_request", "since");
  ExpectError(Call("GET", "/admin/audit-log?colour=red", nullptr, admin), 400, "invalid_request",
              "colour");
  ExpectError(Call("PATCH", "/admin/users/x", {{"roles", {"superuser"}}}, admin), 400,
              "invalid_request", "roles");
  ExpectError(Call("PATCH", "/admin/users/x", {{"disabled", "yes"}}, admin), 400, "invalid_request",
              "disabled");
}

TEST_F(ApiServerTest, RefusesMissingForgedNoneAlgAndExpiredTokens) {
  const auto user = NewUser("carol@example.com");
  const std::string sub = user["user"]["id"];
  ExpectError(Call("GET", "/auth/me"), 401, "unauthorized");
  EXPECT_EQ(Call("GET", "/auth/me").headers["www-authenticate"], "Bearer");
  ExpectError(Call("GET", "/auth/me", nullptr, "garbage"), 401, "unauthorized");
  ExpectError(Call("GET", "/auth/me", nullptr, {}, {{"Authorization", "Basic YTpi"}}), 401,
              "unauthorized");

  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const json good = {{"sub", sub}, {"roles", {"admin"}}, {"iat", now},
                     {"nbf", now}, {"exp", now + 600},   {"jti", "t"}};
  // Control: the installation key with the right algorithm is accepted, and
  // the roles come from the database, not the token (viewer, not admin).
  const auto control = SignWithInstallationKey({{"alg", "HS256"}, {"typ", "JWT"}}, good);
  ASSERT_EQ(Call("GET", "/auth/me", nullptr, control).status, 200);
  ExpectError(Call("GET", "/admin/users", nullptr, control), 403, "forbidden");

  const std::string none = auth::Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                           auth::Base64UrlEncode(good.dump()) + ".";
  ExpectError(Call("GET", "/auth/me", nullptr, none), 401, "unauthorized");
  ExpectError(Call("GET", "/auth/me", nullptr, SignWithInstallationKey({{"alg", "HS512"}}, good)),
              401, "unauthorized");
  auto expired = good;
  expired["iat"] = now - 2000;
  expired["nbf"] = now - 2000;
  expired["exp"] = now - 1000;
  ExpectError(
      Call("GET", "/auth/me", nullptr, SignWithInstallationKey({{"alg", "HS256"}}, expired)), 401,
      "unauthorized");
  auto future = good;
  future["nbf"] = now + 1000;
  ExpectError(Call("GET", "/auth/me", nullptr, SignWithInstallationKey({{"alg", "HS256"}}, future)),
              401, "unauthorized");
  // A token for a user that does not exist.
  auto ghost = good;
  ghost["sub"] = "no-such-user";
  ExpectError(Call("GET", "/auth/me", nullptr, SignWithInstallationKey({{"alg", "HS256"}}, ghost)),
              401, "unauthorized");
  // Signed with another key.
  std::string forged = control;
  forged.replace(forged.rfind('.') + 1, std::string::npos,
                 auth::Base64UrlEncode(std::string(32, 'x')));
  ExpectError(Call("GET", "/auth/me", nullptr, forged), 401, "unauthorized");
}

TEST_F(ApiServerTest, RolesGuardAdminRoutesAndAdminsManageUsers) {
  const auto viewer = NewUser("dave@example.com");
  const std::string viewer_token = viewer["access_token"];
  const std::string viewer_id = viewer["user"]["id"];
  ExpectError(Call("GET", "/admin/users", nullptr, viewer_token), 403, "forbidden");
  ExpectError(Call("GET", "/admin/audit-log", nullptr, viewer_token), 403, "forbidden");
  ExpectError(Call("PATCH", "/admin/users/" + viewer_id, {{"roles", {"admin"}}}, viewer_token), 403,
              "forbidden");
  ExpectError(Call("DELETE", "/admin/users/" + viewer_id, nullptr, viewer_token), 403, "forbidden");
  ExpectError(Call("GET", "/admin/users"), 401, "unauthorized");

  const auto admin = AdminToken();
  auto reply = Call("GET", "/admin/users", nullptr, admin);
  ASSERT_EQ(reply.status, 200) << reply.body;
  bool found = false;
  const auto listed = JsonOf(reply);
  for (const auto& user : listed["users"]) {
    EXPECT_FALSE(user.contains("password_hash"));
    found = found || user["id"] == viewer_id;
  }
  EXPECT_TRUE(found);

  reply = Call("PATCH", "/admin/users/" + viewer_id, {{"roles", {"analyst"}}}, admin);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(JsonOf(reply)["roles"], json::array({"analyst"}));
  ExpectError(Call("PATCH", "/admin/users/no-such-id", {{"disabled", true}}, admin), 404,
              "not_found");
  ExpectError(Call("PATCH", "/admin/users/" + viewer_id, json::object(), admin), 400,
              "invalid_request", "roles");

  // Disabling signs the account out and keeps it out.
  const auto fresh = Login("dave@example.com", testing::kUserPassword);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  reply = Call("PATCH", "/admin/users/" + viewer_id, {{"disabled", true}}, admin);
  ASSERT_EQ(reply.status, 200) << reply.body;
  ExpectError(Call("GET", "/auth/me", nullptr, fresh["access_token"]), 401, "unauthorized");
  ExpectError(Call("POST", "/auth/refresh", {{"refresh_token", fresh["refresh_token"]}}), 401,
              "invalid_refresh_token");
  ExpectError(Call("POST", "/auth/login",
                   {{"email", "dave@example.com"}, {"password", testing::kUserPassword}}),
              403, "account_disabled");

  // The last admin cannot demote or delete themselves.
  const std::string admin_id = JsonOf(Call("GET", "/auth/me", nullptr, admin))["id"];
  ExpectError(Call("PATCH", "/admin/users/" + admin_id, {{"roles", {"viewer"}}}, admin), 409,
              "last_admin");
  ExpectError(Call("DELETE", "/admin/users/" + admin_id, nullptr, admin), 409, "self_delete");

  reply = Call("DELETE", "/admin/users/" + viewer_id, nullptr, admin);
  EXPECT_EQ(reply.status, 204) << reply.body;
  ExpectError(Call("DELETE", "/admin/users/" + viewer_id, nullptr, admin), 404, "not_found");
}

TEST_F(ApiServerTest, RefreshTokenReuseRevokesTheWholeFamily) {
  const auto first = NewUser("erin@example.com");
  auto reply = Call("POST", "/auth/refresh", {{"refresh_token", first["refresh_token"]}});
  ASSERT_EQ(reply.status, 200);
  const auto second = JsonOf(reply);
  // The spent first token is presented again (a thief's copy)...
  ExpectError(Call("POST", "/auth/refresh", {{"refresh_token", first["refresh_token"]}}), 401,
              "invalid_refresh_token");
  // ...so the legitimate holder's newer token is dead too.
  ExpectError(Call("POST", "/auth/refresh", {{"refresh_token", second["refresh_token"]}}), 401,
              "invalid_refresh_token");
  const auto audit =
      JsonOf(Call("GET", "/admin/audit-log?action=refresh_reuse", nullptr, AdminToken()));
  ASSERT_GE(audit["entries"].size(), 1u);
  EXPECT_EQ(audit["entries"][0]["actor"], first["user"]["id"]);
}

TEST_F(ApiServerTest, ResetTokensAreSingleUseAndExpire) {
  NewUser("frank@example.com");
  ASSERT_EQ(Call("POST", "/auth/forgot-password", {{"email", "frank@example.com"}}).status, 202);
  const auto token = server_->LastMailedToken("/reset-password");
  ASSERT_FALSE(token.empty());
  ExpectError(Call("POST", "/auth/reset-password", {{"token", token}, {"new_password", "weak"}}),
              400, "weak_password", "new_password");
  auto reply =
      Call("POST", "/auth/reset-password", {{"token", token}, {"new_password", "Fr4nk-new-pass!"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  ExpectError(Call("POST", "/auth/reset-password",
                   {{"token", token}, {"new_password", "Fr4nk-again-pass!"}}),
              400, "invalid_token", "token");
  Login("frank@example.com", "Fr4nk-new-pass!");

  ASSERT_EQ(Call("POST", "/auth/forgot-password", {{"email", "frank@example.com"}}).status, 202);
  const auto late = server_->LastMailedToken("/reset-password");
  ASSERT_NE(late, token);
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));  // auth.reset_token_seconds = 2
  ExpectError(
      Call("POST", "/auth/reset-password", {{"token", late}, {"new_password", "Fr4nk-late-pass!"}}),
      400, "invalid_token", "token");
}

TEST_F(ApiServerTest, LockoutAfterFailuresAndItsExpiry) {
  NewUser("gina@example.com");
  for (int i = 0; i < 3; ++i) {
    ExpectError(
        Call("POST", "/auth/login", {{"email", "gina@example.com"}, {"password", "Wrong-pass1!"}}),
        401, "invalid_credentials");
  }
  auto locked = Call("POST", "/auth/login",
                     {{"email", "gina@example.com"}, {"password", testing::kUserPassword}});
  ExpectError(locked, 429, "account_locked");
  EXPECT_FALSE(locked.headers["retry-after"].empty());
  // An address without an account locks the same way (no enumeration).
  for (int i = 0; i < 3; ++i) {
    Call("POST", "/auth/login", {{"email", "ghost@example.com"}, {"password", "Wrong-pass1!"}});
  }
  ExpectError(Call("POST", "/auth/login", {{"email", "ghost@example.com"}, {"password", "x"}}), 429,
              "account_locked");
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));  // auth.lockout_seconds = 2
  Login("gina@example.com", testing::kUserPassword);
  const auto audit = JsonOf(Call("GET", "/admin/audit-log?action=lockout", nullptr, AdminToken()));
  EXPECT_GE(audit["entries"].size(), 2u);
}

TEST_F(ApiServerTest, ChangePasswordRevokesOtherSessions) {
  const auto user = NewUser("hank@example.com");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ExpectError(Call("POST", "/auth/change-password",
                   {{"current_password", "Wrong-pass1!"}, {"new_password", "H4nk-new-pass!"}},
                   user["access_token"]),
              400, "wrong_password", "current_password");
  auto reply =
      Call("POST", "/auth/change-password",
           {{"current_password", testing::kUserPassword}, {"new_password", "H4nk-new-pass!"}},
           user["access_token"]);
  ASSERT_EQ(reply.status, 200) << reply.body;
  ExpectError(Call("GET", "/auth/me", nullptr, user["access_token"]), 401, "unauthorized");
  ExpectError(Call("POST", "/auth/refresh", {{"refresh_token", user["refresh_token"]}}), 401,
              "invalid_refresh_token");
  Login("hank@example.com", "H4nk-new-pass!");
}

TEST_F(ApiServerTest, AuditLogFiltersPaginatesAndVerifyDetectsAnEditedRow) {
  NewUser("ivy@example.com");
  const auto admin = AdminToken();
  auto page = JsonOf(Call("GET", "/admin/audit-log?limit=2", nullptr, admin));
  ASSERT_EQ(page["entries"].size(), 2u);
  ASSERT_TRUE(page["next_before"].is_number());
  const auto next = JsonOf(
      Call("GET",
           "/admin/audit-log?limit=2&before=" + std::to_string(page["next_before"].get<int64_t>()),
           nullptr, admin));
  ASSERT_EQ(next["entries"].size(), 2u);
  EXPECT_LT(next["entries"][0]["id"].get<int64_t>(), page["entries"][1]["id"].get<int64_t>());
  const auto logins = JsonOf(Call("GET", "/admin/audit-log?action=login", nullptr, admin));
  ASSERT_GE(logins["entries"].size(), 1u);
  for (const auto& entry : logins["entries"]) EXPECT_EQ(entry["action"], "login");
  const std::string actor = logins["entries"][0]["actor"];
  const auto by_actor = JsonOf(Call("GET", "/admin/audit-log?user=" + actor, nullptr, admin));
  for (const auto& entry : by_actor["entries"]) {
    EXPECT_EQ(entry["actor"], actor);
  }
  EXPECT_TRUE(
      JsonOf(Call("GET", "/admin/audit-log?since=2999-01-01T00:00:00Z", nullptr, admin))["entries"]
          .empty());
  EXPECT_FALSE(
      JsonOf(Call("GET", "/admin/audit-log?until=2999-01-01T00:00:00Z", nullptr, admin))["entries"]
          .empty());

  const std::vector<std::string> verify = {testing::FutureimBinary(), "audit", "verify"};
  auto intact = testing::RunProcess(verify, server_->env());
  ASSERT_EQ(intact.exit_code, 0) << intact.out << intact.err;
  EXPECT_NE(intact.out.find("intact"), std::string::npos);

  // Tamper: someone with the file drops the guard trigger and rewrites row 2.
  {
    auto db = metadata::SqliteDatabase::Open(server_->workdir() / "meta" / "futureim.db");
    db.Execute("DROP TRIGGER audit_log_no_update");
    db.Execute("UPDATE audit_log SET action = 'nothing_to_see' WHERE id = 2");
  }
  auto tampered = testing::RunProcess(verify, server_->env());
  EXPECT_EQ(tampered.exit_code, 4) << tampered.out << tampered.err;
  EXPECT_NE(tampered.out.find("TAMPERED at row 2"), std::string::npos) << tampered.out;
}

TEST_F(ApiServerTest, QueryNeedsAnalystAndGoesThroughTheReadOnlyGuard) {
  const auto user = NewUser("jack@example.com");
  const json sql = {{"sql", "SELECT 42 AS answer, 'x' AS label"}};
  ExpectError(Call("POST", "/query", sql, user["access_token"]), 403, "forbidden");
  ExpectError(Call("POST", "/query", sql), 401, "unauthorized");
  const auto admin = AdminToken();
  ASSERT_EQ(Call("PATCH", "/admin/users/" + user["user"]["id"].get<std::string>(),
                 {{"roles", {"analyst"}}}, admin)
                .status,
            200);
  const std::string analyst = Login("jack@example.com", testing::kUserPassword)["access_token"];

  auto reply = Call("POST", "/query", sql, analyst);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto result = JsonOf(reply);
  EXPECT_EQ(result["rows"], json::parse(R"([{"answer":42,"label":"x"}])"));
  EXPECT_EQ(result["columns"][0]["name"], "answer");
  EXPECT_EQ(result["truncated"], false);

  reply = Call("POST", "/query", {{"sql", "SELECT * FROM range(10)"}, {"max_rows", 3}}, analyst);
  ASSERT_EQ(reply.status, 200) << reply.body;
  result = JsonOf(reply);
  EXPECT_EQ(result["row_count"], 3);
  EXPECT_EQ(result["truncated"], true);

  ExpectError(Call("POST", "/query", {{"sql", "DROP TABLE raw.orders"}}, analyst), 400,
              "query_rejected", "sql");
  ExpectError(Call("POST", "/query", {{"sql", "SELECT * FROM read_csv('/etc/passwd')"}}, analyst),
              400, "query_rejected", "sql");
  ExpectError(Call("POST", "/query", {{"sql", "SELEKT 1"}}, analyst), 400, "invalid_query", "sql");
  ExpectError(Call("POST", "/query", json::object(), analyst), 400, "invalid_request", "sql");
  ExpectError(Call("POST", "/query", {{"sql", "SELECT 1"}, {"max_rows", 0}}, analyst), 400,
              "invalid_request", "max_rows");
  const auto audit = JsonOf(Call("GET", "/admin/audit-log?action=query", nullptr, admin));
  ASSERT_GE(audit["entries"].size(), 2u);
  EXPECT_EQ(audit["entries"][0]["detail"]["rows"], 3);
}

TEST_F(ApiServerTest, DataHealthIsPrecomputedForSignedInUsers) {
  ExpectError(Call("GET", "/data/health"), 401, "unauthorized");
  const auto user = NewUser("kate@example.com");
  const auto reply = Call("GET", "/data/health", nullptr, user["access_token"]);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.headers.at("content-type").rfind("application/json", 0), 0u);
  // A fresh installation has nothing curated yet (the pipeline test fills it).
  const auto body = JsonOf(reply);
  EXPECT_EQ(body["tables"], json::array());
  EXPECT_EQ(body["table_count"], 0);
  EXPECT_TRUE(body["lowest_quality"].is_null());
  // Only GET: the body is read-only.
  EXPECT_EQ(Call("POST", "/data/health", json::object(), user["access_token"]).status, 405);
}

// The Compliance Guardian's routes before any system run: the live PCI DSS
// check answers, the prod-table answers say there is no run yet, bad fields
// are 400 with the field named, and a viewer may not review or run checks.
TEST_F(ApiServerTest, ComplianceRoutesCheckRolesFieldsAndAnswerPciNow) {
  const auto admin = AdminToken();
  auto reply = Call("POST", "/compliance/pci-compliance", nullptr, admin);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto report = JsonOf(reply)["compliance_report"];
  std::set<std::string> ids;
  for (const auto& check : report["checks"]) ids.insert(check["id"].get<std::string>());
  EXPECT_EQ(ids, (std::set<std::string>{"pan_storage", "cvv_storage", "card_masking",
                                        "encryption_at_rest", "tls_in_transit", "source_tls",
                                        "audit_logging"}));
  for (const auto& check : report["checks"]) {
    if (check["id"] == "pan_storage") {
      EXPECT_TRUE(check["passed"].get<bool>()) << check;
    }
  }
  EXPECT_TRUE(report["compliance_score"].is_number());
  // plain HTTP: the TLS check fails and says what to set.
  EXPECT_NE(report["failed_checks"].dump().find("tls_in_transit"), std::string::npos) << report;

  ExpectError(Call("POST", "/compliance/risk-score", {{"days", 0}}, admin), 400, "invalid_request",
              "days");
  ExpectError(Call("POST", "/compliance/risk-score", {{"transaction_ids", "o1"}}, admin), 400,
              "invalid_request", "transaction_ids");
  ExpectError(Call("GET", "/compliance/high-risk-transactions?threshold=101", nullptr, admin), 400,
              "invalid_request", "threshold");
  ExpectError(Call("POST", "/compliance/detections/o1/review", {{"verdict", "maybe"}}, admin), 400,
              "invalid_request", "verdict");
  // A valid request before the first run: 404, and no review is stored.
  ExpectError(Call("POST", "/compliance/risk-score", {{"days", 7}}, admin), 404, "no_run");
  ExpectError(Call("POST", "/compliance/detections/o1/review", {{"verdict", "confirmed"}}, admin),
              404, "no_run");

  const std::string viewer = NewUser("carol.compliance@example.com")["access_token"];
  ExpectError(Call("POST", "/compliance/detections/o1/review", {{"verdict", "confirmed"}}, viewer),
              403, "forbidden");
  ExpectError(Call("POST", "/compliance/pci-compliance", nullptr, viewer), 403, "forbidden");
  ExpectError(Call("GET", "/compliance/fraud-statistics", nullptr, viewer), 403, "forbidden");
  ExpectError(Call("POST", "/compliance/pci-compliance"), 401, "unauthorized");
}

TEST_F(ApiServerTest, CorsOnlyForConfiguredOrigins) {
  auto reply = Call("GET", "/health", nullptr, {}, {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(reply.headers["access-control-allow-origin"], "https://app.example.com");
  EXPECT_EQ(reply.headers["vary"], "Origin");
  reply = Call("GET", "/health", nullptr, {}, {{"Origin", "https://evil.example.com"}});
  EXPECT_EQ(reply.headers.count("access-control-allow-origin"), 0u);
  reply = Call("OPTIONS", "/auth/login", nullptr, {},
               {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(reply.status, 204);
  EXPECT_NE(reply.headers["access-control-allow-methods"].find("POST"), std::string::npos);
  EXPECT_NE(reply.headers["access-control-allow-headers"].find("Authorization"), std::string::npos);
}

TEST_F(ApiServerTest, KeepAliveAndSizeLimits) {
  testing::HttpConnection connection(server_->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(connection.Read().status, 200) << i;
  }
  // Body over 1 MiB: 413, then the connection is closed.
  testing::HttpConnection big(server_->port());
  big.Send(
      "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
      "2000000\r\n\r\n");
  big.Send(std::string(100000, 'a'));
  auto reply = big.Read();
  ExpectError(reply, 413, "payload_too_large");
  // Headers over 16 KiB: 431.
  testing::HttpConnection headers(server_->port());
  headers.Send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n");
  ExpectError(headers.Read(), 431, "headers_too_large");
  // Not HTTP at all: 400.
  testing::HttpConnection garbage(server_->port());
  garbage.Send("HELLO THERE\r\n\r\n");
  EXPECT_EQ(garbage.Read().status, 400);
}

TEST_F(ApiServerTest, SlowClientsAreCutOff) {
  testing::HttpConnection slow(server_->port());
  ASSERT_TRUE(slow.Send("GET /health HTTP/1.1\r\nHost: x\r\n"));  // never finishes
  EXPECT_TRUE(slow.ClosedByPeer(std::chrono::seconds(5)));        // read timeout is 2 s
  // An idle keep-alive connection is closed too.
  testing::HttpConnection idle(server_->port());
  EXPECT_TRUE(idle.ClosedByPeer(std::chrono::seconds(5)));
  EXPECT_EQ(Call("GET", "/health").status, 200);
}

TEST(ApiServerLifecycleTest, PerIpRateLimitAndGracefulShutdown) {
  ApiServerProcess server(
      std::map<std::string, std::string>{{"FUTUREIM_SERVER_RATE_LIMIT_IP_PER_MINUTE", "60"}});
  int ok = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 15; ++i) {
    auto reply = server.Call("GET", "/health");
    if (reply.status == 200) ++ok;
    if (reply.status == 429) {
      ++limited;
      retry_after = reply.headers["retry-after"];
      EXPECT_EQ(JsonOf(reply)["error"]["code"], "rate_limited");
    }
  }
  EXPECT_EQ(ok, 10);  // the burst: a tenth of the per-minute rate, at least 10
  EXPECT_EQ(limited, 5);
  EXPECT_FALSE(retry_after.empty());

  // SIGTERM while a slow (Argon2id) request is in flight: it completes.
  testing::HttpConnection in_flight(server.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a token back
  const std::string login = R"({"email":"a@example.com","password":"Wrong-pass1!"})";
  in_flight.Send(
      "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(login.size()) + "\r\n\r\n" + login);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::thread stopper([&] { EXPECT_EQ(server.Stop(), 0); });
  const auto reply = in_flight.Read();
  stopper.join();
  EXPECT_EQ(reply.status, 401) << reply.body;
  EXPECT_NE(server.Log().find("stopped"), std::string::npos) << server.Log();
}

}  // namespace
}  // namespace futureim
