// Output formats on hand-made results: quoting, NULLs, numbers, BLOBs.

#include "query/result_format.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace futureim::query {
namespace {

QueryResult Sample() {
  QueryResult result;
  result.columns = {{"id", "BIGINT", JsonKind::kNumber},
                    {"text", "VARCHAR", JsonKind::kString},
                    {"price", "DECIMAL(38,2)", JsonKind::kString},
                    {"ratio", "DOUBLE", JsonKind::kNumber},
                    {"raw", "BLOB", JsonKind::kBlob},
                    {"ok", "BOOLEAN", JsonKind::kBoolean}};
  result.rows = {
      {"1", "plain", "12345678901234567890.12", "0.5", std::string("\x00\x01\x02", 3), "true"},
      {"-2", "a,b \"q\"\r\nline", std::nullopt, "nan", std::string("ab"), "false"},
      {"3", "", "0.00", "-inf", std::string(), std::nullopt},
  };
  return result;
}

TEST(ResultFormatTest, CsvFollowsRfc4180) {
  EXPECT_EQ(FormatAsCsv(Sample()),
            "id,text,price,ratio,raw,ok\r\n"
            "1,plain,12345678901234567890.12,0.5,\\x00\\x01\\x02,true\r\n"
            "-2,\"a,b \"\"q\"\"\r\nline\",,nan,ab,false\r\n"
            "3,\"\",0.00,-inf,\"\",\r\n");
}

TEST(ResultFormatTest, JsonKeepsTypesAndExactDecimals) {
  const auto json = nlohmann::json::parse(FormatAsJson(Sample()));
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[0]["id"], 1);
  EXPECT_EQ(json[0]["price"], "12345678901234567890.12");  // exact, as a string
  EXPECT_EQ(json[0]["ratio"], 0.5);
  EXPECT_EQ(json[0]["raw"], "AAEC");
  EXPECT_EQ(json[0]["ok"], true);
  EXPECT_EQ(json[1]["text"], "a,b \"q\"\r\nline");
  EXPECT_TRUE(json[1]["price"].is_null());
  EXPECT_EQ(json[1]["ratio"], "nan");  // JSON has no NaN
  EXPECT_EQ(json[1]["raw"], "YWI=");
  EXPECT_EQ(json[2]["ratio"], "-inf");
  EXPECT_EQ(json[2]["raw"], "");
  EXPECT_TRUE(json[2]["ok"].is_null());
  EXPECT_EQ(FormatAsJson(QueryResult{}), "[]\n");
}

TEST(ResultFormatTest, TableAlignsAndCountsRows) {
  QueryResult result;
  result.columns = {{"n", "INTEGER", JsonKind::kNumber}, {"name", "VARCHAR", JsonKind::kString}};
  result.rows = {{"7", "Zoë"}, {"1000", std::nullopt}};
  result.truncated = true;
  EXPECT_EQ(FormatAsTable(result),
            "n    | name\n"
            "-----+-----\n"
            "   7 | Zoë\n"
            "1000 | NULL\n"
            "(2 rows; truncated: more rows exist)\n");
}

TEST(ResultFormatTest, ParsesFormatNames) {
  EXPECT_EQ(ParseResultFormat("csv"), ResultFormat::kCsv);
  EXPECT_EQ(ParseResultFormat("table"), ResultFormat::kTable);
  EXPECT_EQ(ParseResultFormat("json"), ResultFormat::kJson);
  EXPECT_EQ(ParseResultFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace futureim::query
