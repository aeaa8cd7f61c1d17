#include "api/area_routes.h"

namespace futureim::api {
namespace {

using auth::Role;

FieldSpec Text(std::string name, std::string description, size_t max_length = 1024) {
  return FieldSpec{.name = std::move(name),
                   .type = FieldType::kString,
                   .required = true,
                   .description = std::move(description),
                   .max_length = max_length};
}

nlohmann::json SignedInJson(const auth::SignedIn& signed_in) {
  return {{"access_token", signed_in.access_token},
          {"token_type", "Bearer"},
          {"expires_in", signed_in.expires_in},
          {"refresh_token", signed_in.refresh_token},
          {"user", UserJson(signed_in.user)}};
}

RouteResponse Message(unsigned status, std::string text) {
  return RouteResponse{.status = status, .body = {{"message", std::move(text)}}};
}

const std::string& Str(const RequestContext& context, const char* name) {
  return context.body.at(name).get_ref<const std::string&>();
}

}  // namespace

nlohmann::json UserJson(const auth::UserSummary& user) {
  nlohmann::json roles = nlohmann::json::array();
  for (Role role : user.roles) roles.push_back(auth::RoleName(role));
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.name},
          {"roles", roles},
          {"email_verified", user.email_verified},
          {"disabled", user.disabled},
          {"created_at", FormatTimestamp(user.created_at * 1000)},
          {"updated_at", FormatTimestamp(user.updated_at * 1000)}};
}

void AddAuthRoutes(RouteTable& table, auth::AuthService& auth) {
  const FieldSpec email = Text("email", "account email address", 254);
  const FieldSpec refresh = Text("refresh_token", "refresh token from login or refresh", 256);

  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/register",
      .summary = "Create a viewer account; a verification link is emailed. The answer is the same "
                 "whether or not the address already has an account.",
      .tag = "auth",
      .body = {email,
               Text("password",
                    "8+ characters with upper, lower, digit and symbol, or a "
                    "16+ character passphrase"),
               Text("name", "display name", 200)},
      .throttle = Throttle::kCredentials,
      .responses = {202},
      .handler =
          [&auth](RequestContext& c) {
            auth.Register(Str(c, "email"), Str(c, "password"), Str(c, "name"), c.origin());
            return Message(202,
                           "if the address can be registered, a verification link is on "
                           "its way");
          },
  });
  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/login",
      .summary = "Sign in: an access token (JWT, <= 15 min) and a rotating refresh token",
      .tag = "auth",
      .body = {email, Text("password", "the account password")},
      .throttle = Throttle::kCredentials,
      .handler =
          [&auth](RequestContext& c) {
            return RouteResponse{
                .body = SignedInJson(auth.Login(Str(c, "email"), Str(c, "password"), c.origin()))};
          },
  });
  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/refresh",
      .summary = "Trade a refresh token for new tokens; a reused refresh token revokes its sign-in",
      .tag = "auth",
      .body = {refresh},
      .throttle = Throttle::kCredentials,
      .handler =
          [&auth](RequestContext& c) {
            return RouteResponse{
                .body = SignedInJson(auth.Refresh(Str(c, "refresh_token"), c.origin()))};
          },
  });
  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/logout",
      .summary = "End the sign-in a refresh token belongs to",
      .tag = "auth",
      .body = {refresh},
      .responses = {204},
      .handler =
          [&auth](RequestContext& c) {
            auth.Logout(Str(c, "refresh_token"), c.origin());
            return RouteResponse{.status = 204};
          },
  });
  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/forgot-password",
      .summary = "Email a single-use password-reset link (same answer for unknown addresses)",
      .tag = "auth",
      .body = {email},
      .throttle = Throttle::kCredentials,
      .responses = {202},
      .handler =
          [&auth](RequestContext& c) {
            auth.ForgotPassword(Str(c, "email"), c.origin());
            return Message(202, "if the address has an account, a reset link is on its way");
          },
  });
  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/reset-password",
      .summary = "Set a new password with a reset token (single use; signs out every session)",
      .tag = "auth",
      .body = {Text("token", "the token from the reset link", 256),
               Text("new_password", "the new password")},
      .throttle = Throttle::kCredentials,
      .handler =
          [&auth](RequestContext& c) {
            auth.ResetPassword(Str(c, "token"), Str(c, "new_password"), c.origin());
            return Message(200, "password changed; sign in with the new password");
          },
  });
  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/verify",
      .summary = "Confirm an email address with the token from the verification link",
      .tag = "auth",
      .body = {Text("token", "the token from the verification link", 256)},
      .throttle = Throttle::kCredentials,
      .handler =
          [&auth](RequestContext& c) {
            auth.VerifyEmail(Str(c, "token"), c.origin());
            return Message(200, "email address verified");
          },
  });
  table.Add(Route{
      .method = "POST",
      .pattern = "/auth/change-password",
      .summary = "Change the signed-in user's password (signs out every other session)",
      .tag = "auth",
      .required = Role::kViewer,
      .body = {Text("current_password", "the password now"),
               Text("new_password", "the new password")},
      .throttle = Throttle::kCredentials,
      .handler =
          [&auth](RequestContext& c) {
            auth.ChangePassword(*c.principal, Str(c, "current_password"), Str(c, "new_password"),
                                c.origin());
            return Message(200, "password changed; sign in again");
          },
  });
  table.Add(Route{
      .method = "GET",
      .pattern = "/auth/me",
      .summary = "The signed-in user",
      .tag = "auth",
      .required = Role::kViewer,
      .execution = Execution::kInline,
      .handler =
          [&auth](RequestContext& c) {
            return RouteResponse{.body = UserJson(auth.Me(*c.principal))};
          },
  });
}

}  // namespace futureim::api
