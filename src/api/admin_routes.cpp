#include <cstdio>
#include <ctime>

#include "api/api_error.h"
#include "api/area_routes.h"
#include "core/civil_date.h"

namespace futureim::api {
namespace {

using auth::Role;

const std::vector<std::string> kRoleNames = {"admin", "analyst", "viewer"};

nlohmann::json AuditJson(const auth::AuditRecord& record) {
  return {{"id", record.id},
          {"at", FormatTimestamp(record.at_ms)},
          {"actor", record.event.actor},
          {"action", record.event.action},
          {"target", record.event.target},
          {"client_ip", record.event.client_ip},
          {"detail", record.event.detail},
          {"hash", record.hash}};
}

int64_t TimeParameter(const RequestContext& context, const char* name) {
  const auto parsed = ParseTimestamp(context.query.at(name).get_ref<const std::string&>());
  if (!parsed) {
    throw ApiError(400, "invalid_request",
                   std::string(name) + ": must be an RFC 3339 UTC time like 2026-01-31T12:00:00Z",
                   name);
  }
  return *parsed;
}

}  // namespace

std::string FormatTimestamp(int64_t unix_ms) {
  const int64_t seconds = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  const int64_t millis = unix_ms - seconds * 1000;
  const int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const int64_t in_day = seconds - days * 86400;
  const auto date = core::CivilFromDays(days);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", date.year, date.month,
                date.day, static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                static_cast<int>(in_day % 60), static_cast<int>(millis));
  return text;
}

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  int year, month, day, hour, minute, second, consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
      year < 1970 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(19);
  int64_t millis = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 3) millis = millis * 10 + (rest.front() - '0');
      ++digits;
      rest.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  if (rest != "Z") return std::nullopt;
  const int64_t days = core::DaysFromCivil({year, month, day});
  return ((days * 24 + hour) * 60 + minute) * 60000 + second * 1000 + millis;
}

void AddAdminRoutes(RouteTable& table, auth::AuthService& auth) {
  table.Add(Route{
      .method = "GET",
      .pattern = "/admin/users",
      .summary = "Every account",
      .tag = "admin",
      .required = Role::kAdmin,
      .handler =
          [&auth](RequestContext&) {
            nlohmann::json users = nlohmann::json::array();
            for (const auto& user : auth.ListUsers()) users.push_back(UserJson(user));
            return RouteResponse{.body = {{"users", users}}};
          },
  });
  table.Add(Route{
      .method = "PATCH",
      .pattern = "/admin/users/{id}",
      .summary = "Change an account's roles or disable/enable it (signs the account out)",
      .tag = "admin",
      .required = Role::kAdmin,
      .body = {FieldSpec{.name = "roles",
                         .type = FieldType::kStringList,
                         .required = false,
                         .description = "the account's roles",
                         .max_length = 16,
                         .allowed = kRoleNames},
               FieldSpec{.name = "disabled",
                         .type = FieldType::kBoolean,
                         .required = false,
                         .description = "true: the account cannot sign in"}},
      .handler =
          [&auth](RequestContext& c) {
            auth::UserChange change;
            if (c.body.contains("roles") && !c.body["roles"].is_null()) {
              std::vector<Role> roles;
              for (const auto& name : c.body["roles"]) {
                const auto role = *auth::ParseRole(name.get<std::string>());
                if (std::find(roles.begin(), roles.end(), role) == roles.end())
                  roles.push_back(role);
              }
              change.roles = roles;
            }
            if (c.body.contains("disabled") && !c.body["disabled"].is_null()) {
              change.disabled = c.body["disabled"].get<bool>();
            }
            if (!change.roles && !change.disabled) {
              throw ApiError(400, "invalid_request", "roles: give roles or disabled", "roles");
            }
            return RouteResponse{.body = UserJson(auth.UpdateUser(*c.principal, c.params.at("id"),
                                                                  change, c.origin()))};
          },
  });
  table.Add(Route{
      .method = "DELETE",
      .pattern = "/admin/users/{id}",
      .summary = "Delete an account (its tokens go with it; its audit entries stay)",
      .tag = "admin",
      .required = Role::kAdmin,
      .responses = {204},
      .handler =
          [&auth](RequestContext& c) {
            auth.DeleteUser(*c.principal, c.params.at("id"), c.origin());
            return RouteResponse{.status = 204};
          },
  });
  table.Add(Route{
      .method = "GET",
      .pattern = "/admin/audit-log",
      .summary = "The audit log, newest first, filtered and paginated (next_before is the cursor)",
      .tag = "admin",
      .required = Role::kAdmin,
      .query = {FieldSpec{.name = "user",
                          .required = false,
                          .description = "actor user id",
                          .max_length = 64},
                FieldSpec{.name = "action",
                          .required = false,
                          .description = "e.g. login_failed",
                          .max_length = 64},
                FieldSpec{.name = "since",
                          .required = false,
                          .description = "RFC 3339 UTC, inclusive",
                          .max_length = 40},
                FieldSpec{.name = "until",
                          .required = false,
                          .description = "RFC 3339 UTC, exclusive",
                          .max_length = 40},
                FieldSpec{.name = "limit",
                          .type = FieldType::kInteger,
                          .required = false,
                          .description = "entries per page (default 100)",
                          .min = 1,
                          .max = 1000},
                FieldSpec{.name = "before",
                          .type = FieldType::kInteger,
                          .required = false,
                          .description = "cursor: entries with a smaller id",
                          .min = 1}},
      .handler =
          [&auth](RequestContext& c) {
            auth::AuditFilter filter;
            const auto& q = c.query;
            if (q.contains("user")) filter.actor = q["user"].get<std::string>();
            if (q.contains("action")) filter.action = q["action"].get<std::string>();
            if (q.contains("since")) filter.since_ms = TimeParameter(c, "since");
            if (q.contains("until")) filter.until_ms = TimeParameter(c, "until");
            if (q.contains("before")) filter.before_id = q["before"].get<int64_t>();
            filter.limit = q.contains("limit") ? q["limit"].get<int64_t>() : 100;
            nlohmann::json entries = nlohmann::json::array();
            const auto records = auth.FindAudit(filter);
            for (const auto& record : records) entries.push_back(AuditJson(record));
            nlohmann::json next = nullptr;
            if (static_cast<int64_t>(records.size()) == filter.limit) next = records.back().id;
            return RouteResponse{.body = {{"entries", entries}, {"next_before", next}}};
          },
  });
}

}  // namespace futureim::api
