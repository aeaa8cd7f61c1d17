#include "api/route_table.h"

#include <gtest/gtest.h>

namespace futureim::api {
namespace {

Route Make(std::string method, std::string pattern) {
  return Route{.method = std::move(method),
               .pattern = std::move(pattern),
               .handler = [](RequestContext&) { return RouteResponse{}; }};
}

TEST(RouteTableTest, MatchesLiteralsParametersAndMethods) {
  RouteTable table;
  table.Add(Make("GET", "/admin/users"));
  table.Add(Make("PATCH", "/admin/users/{id}"));
  table.Add(Make("DELETE", "/admin/users/{id}"));
  table.Add(Make("GET", "/admin/users/me"));

  auto match = table.Find("PATCH", "/admin/users/abc123");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/admin/users/{id}");
  EXPECT_EQ(match.params.at("id"), "abc123");

  // A literal segment beats a parameter.
  match = table.Find("GET", "/admin/users/me");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/admin/users/me");

  // Known path, other method: 405 with what is allowed.
  match = table.Find("POST", "/admin/users/abc");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"PATCH", "DELETE"}));

  for (const char* path :
       {"/admin/users/", "/admin/users/a/b", "/admin", "", "admin/users", "/admin/users//"}) {
    match = table.Find("PATCH", path);
    EXPECT_EQ(match.route, nullptr) << path;
  }
  EXPECT_TRUE(table.Find("GET", "/nope").allowed_methods.empty());
  EXPECT_THROW(table.Add(Make("GET", "/admin/users")), std::logic_error);
}

TEST(RouteTableTest, OpenApiListsExactlyTheRoutes) {
  RouteTable table;
  table.Add(Make("GET", "/health"));
  auto secured = Make("PATCH", "/admin/users/{id}");
  secured.required = auth::Role::kAdmin;
  secured.body = {FieldSpec{.name = "disabled", .type = FieldType::kBoolean, .required = false}};
  table.Add(secured);
  const auto document = OpenApiDocument(table, "1.2.3");
  EXPECT_EQ(document["openapi"], "3.0.3");
  EXPECT_EQ(document["paths"].size(), 2u);
  const auto& patch = document["paths"]["/admin/users/{id}"]["patch"];
  EXPECT_EQ(patch["x-required-role"], "admin");
  EXPECT_EQ(patch["parameters"][0]["name"], "id");
  EXPECT_EQ(patch["requestBody"]["content"]["application/json"]["schema"]["properties"]["disabled"]
                 ["type"],
            "boolean");
  EXPECT_TRUE(document["paths"]["/health"]["get"]["security"].empty());
}

}  // namespace
}  // namespace futureim::api
