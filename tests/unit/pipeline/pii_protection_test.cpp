#include "pipeline/pii_protection.h"

#include <gtest/gtest.h>

namespace futureim::pipeline {
namespace {

TEST(PiiProtectionTest, TokensAreKeyedStableAndNormalised) {
  const std::string a = PiiToken("key-1", NormaliseEmail(" Jane@Example.COM "));
  EXPECT_EQ(a, PiiToken("key-1", "jane@example.com"));
  EXPECT_NE(a, PiiToken("key-2", "jane@example.com"));
  EXPECT_NE(a, PiiToken("key-1", "john@example.com"));
  EXPECT_EQ(a.rfind("tok_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 32u);
  // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") starts
  // with f7bc83f430538424 (RFC 4231 style published vector).
  EXPECT_EQ(PiiToken("key", "The quick brown fox jumps over the lazy dog"),
            "tok_f7bc83f430538424b13298e6aa6fb143");
  EXPECT_EQ(NormalisePhone("+1 (555) 010-1234"), "15550101234");
}

TEST(PiiProtectionTest, LuhnAndCardNumberRedaction) {
  EXPECT_TRUE(PassesLuhn("4111111111111111"));
  EXPECT_FALSE(PassesLuhn("4111111111111112"));
  EXPECT_EQ(RedactCardNumbers("paid with 4111 1111 1111 1111 today"),
            "paid with **** **** **** 1111 today");
  EXPECT_EQ(RedactCardNumbers("card 5500-0000-0000-0004."), "card ****-****-****-0004.");
  // Not a valid card number, or part of a longer token: untouched.
  EXPECT_EQ(RedactCardNumbers("order 4111111111111112"), "order 4111111111111112");
  EXPECT_EQ(RedactCardNumbers("id A4111111111111111"), "id A4111111111111111");
  EXPECT_EQ(RedactCardNumbers("phone 555-0101"), "phone 555-0101");
}

TEST(PiiProtectionTest, ClassifiesColumnsByName) {
  EXPECT_EQ(ClassifyColumn("email", true, false), ColumnTreatment::kEmail);
  EXPECT_EQ(ClassifyColumn("customer_email", true, false), ColumnTreatment::kEmail);
  EXPECT_EQ(ClassifyColumn("phone", true, false), ColumnTreatment::kPhone);
  EXPECT_EQ(ClassifyColumn("card_number", true, false), ColumnTreatment::kCardNumber);
  EXPECT_EQ(ClassifyColumn("card_last_four", true, false), ColumnTreatment::kFreeText);
  for (const char* name : {"cvv", "CVC", "cvv2", "security_code", "card_cvv"}) {
    EXPECT_EQ(ClassifyColumn(name, true, false), ColumnTreatment::kDrop) << name;
  }
  EXPECT_EQ(ClassifyColumn("customer_id", true, true), ColumnTreatment::kKeep);
  EXPECT_EQ(ClassifyColumn("total_amount", false, false), ColumnTreatment::kKeep);
}

TEST(PiiProtectionTest, SqlFunctionsMatchTheLibraryAndMask) {
  engine::Database database;
  engine::Connection connection(database);
  RegisterPiiFunctions(connection, "secret-key");
  connection.Execute(
      "CREATE TABLE people AS SELECT * FROM (VALUES (1, ' Jane@Example.com', '555-010-1234', "
      "'4111111111111111', '123', 'n'), (2, NULL, NULL, NULL, NULL, NULL), (3, 'broken', '12', "
      "'x', '9', 'visa 4111 1111 1111 1111')) t(id, email, phone, card_number, cvv, note)");
  const std::vector<SourceColumn> columns = {
      {"id", "INTEGER", true},           {"email", "VARCHAR", false}, {"phone", "VARCHAR", false},
      {"card_number", "VARCHAR", false}, {"cvv", "VARCHAR", false},   {"note", "VARCHAR", false}};
  auto rows =
      connection.Query("SELECT " + ProtectedSelectList(columns) + " FROM people ORDER BY id")
          .FetchAllAsText();
  const std::vector<std::string> names = {
      "id", "email_token", "email_masked", "phone_token", "phone_masked", "card_number", "note"};
  EXPECT_EQ(ProtectedColumnNames(columns), names);
  ASSERT_EQ(rows.size(), 3u);
  ASSERT_EQ(rows[0].size(), names.size());
  EXPECT_EQ(rows[0][1], PiiToken("secret-key", "jane@example.com"));
  EXPECT_EQ(rows[0][2], "j***@example.com");
  EXPECT_EQ(rows[0][3], PiiToken("secret-key", "5550101234"));
  EXPECT_EQ(rows[0][4], "***-***-1234");
  EXPECT_EQ(rows[0][5], "1111");
  for (size_t c = 1; c < names.size(); ++c) EXPECT_FALSE(rows[1][c].has_value()) << names[c];
  EXPECT_EQ(rows[2][2], "***");
  EXPECT_EQ(rows[2][4], "***-***-****");
  EXPECT_FALSE(rows[2][5].has_value());
  EXPECT_EQ(rows[2][6], "visa **** **** **** 1111");
  // Many rows through the function (several vectors, several threads).
  const auto distinct = connection
                            .Query(
                                "SELECT count(DISTINCT futureim_pii_token(i::VARCHAR)), "
                                "count(*) FROM range(100000) r(i)")
                            .FetchAllAsText();
  EXPECT_EQ(distinct[0][0], "100000");
  EXPECT_THROW(RegisterPiiFunctions(connection, ""), core::Error);
}

}  // namespace
}  // namespace futureim::pipeline
