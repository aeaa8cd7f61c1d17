#include "api/request_schema.h"

#include <gtest/gtest.h>

#include "api/api_error.h"

namespace futureim::api {
namespace {

const std::vector<FieldSpec> kFields = {
    FieldSpec{.name = "email", .max_length = 10},
    FieldSpec{.name = "count", .type = FieldType::kInteger, .required = false, .min = 1, .max = 5},
    FieldSpec{.name = "flag", .type = FieldType::kBoolean, .required = false},
    FieldSpec{
        .name = "roles", .type = FieldType::kStringList, .required = false, .allowed = {"a", "b"}},
};

std::string FieldAtFault(const nlohmann::json& body) {
  try {
    ValidateBody(body, kFields);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400u);
    EXPECT_NE(std::string(e.what()).find(e.field()), std::string::npos);
    return e.field();
  }
  return "(valid)";
}

TEST(RequestSchemaTest, NamesTheFieldAtFault) {
  EXPECT_EQ(FieldAtFault({{"email", "a@b.c"}, {"count", 3}, {"flag", true}, {"roles", {"a"}}}),
            "(valid)");
  EXPECT_EQ(FieldAtFault(nlohmann::json::object()), "email");
  EXPECT_EQ(FieldAtFault({{"email", 5}}), "email");
  EXPECT_EQ(FieldAtFault({{"email", "far too long an address"}}), "email");
  EXPECT_EQ(FieldAtFault({{"email", "x"}, {"count", "3"}}), "count");
  EXPECT_EQ(FieldAtFault({{"email", "x"}, {"count", 9}}), "count");
  EXPECT_EQ(FieldAtFault({{"email", "x"}, {"count", 1.5}}), "count");
  EXPECT_EQ(FieldAtFault({{"email", "x"}, {"flag", "yes"}}), "flag");
  EXPECT_EQ(FieldAtFault({{"email", "x"}, {"roles", {"c"}}}), "roles");
  EXPECT_EQ(FieldAtFault({{"email", "x"}, {"roles", "a"}}), "roles");
  EXPECT_EQ(FieldAtFault({{"email", "x"}, {"extra", 1}}), "extra");
  EXPECT_THROW(ValidateBody(nlohmann::json::array(), kFields), ApiError);
}

TEST(RequestSchemaTest, ParsesTypedQueryParameters) {
  const auto parsed = ParseQuery({{"email", "x"}, {"count", "2"}, {"flag", "true"}}, kFields);
  EXPECT_EQ(parsed["count"], 2);
  EXPECT_EQ(parsed["flag"], true);
  EXPECT_THROW(ParseQuery({{"email", "x"}, {"count", "2x"}}, kFields), ApiError);
  EXPECT_THROW(ParseQuery({{"email", "x"}, {"nope", "1"}}, kFields), ApiError);
  EXPECT_THROW(ParseQuery({{"count", "2"}}, kFields), ApiError);
  EXPECT_THROW(ParseQuery({{"email", "\xff"}}, kFields), ApiError);
}

}  // namespace
}  // namespace futureim::api
