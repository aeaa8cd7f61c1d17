#include "replicate/table_selection.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "source/table_filter.h"

namespace futureim::replicate {
namespace {

// Replication matches case-sensitively (table names are on Linux servers).
bool LikeMatches(std::string_view pattern, std::string_view text) {
  return source::LikeMatches(pattern, text, /*ignore_case=*/false);
}

TEST(LikeMatchTest, WildcardsAndEscapes) {
  EXPECT_TRUE(LikeMatches("%", "orders"));
  EXPECT_TRUE(LikeMatches("%", ""));
  EXPECT_TRUE(LikeMatches("ord%", "orders"));
  EXPECT_TRUE(LikeMatches("%ers", "orders"));
  EXPECT_TRUE(LikeMatches("order\\_items", "order_items"));
  EXPECT_FALSE(LikeMatches("order\\_items", "orderXitems"));
  EXPECT_TRUE(LikeMatches("order_items", "orderXitems"));
  EXPECT_TRUE(LikeMatches("a\\%b", "a%b"));
  EXPECT_FALSE(LikeMatches("a\\%b", "axb"));
  EXPECT_FALSE(LikeMatches("order", "orders"));
  EXPECT_TRUE(LikeMatches("%abc%abd", "abcabcabd"));
  EXPECT_FALSE(LikeMatches("%abc%abd", "abcabcabc"));
  // No exponential blow-up on many '%'.
  EXPECT_FALSE(LikeMatches("%a%a%a%a%a%a%a%a%b", std::string(5000, 'a')));
}

TEST(TableSelectionTest, IncludeThenExclude) {
  TableSelection selection({"ecommerce.%"}, {"ecommerce.audit\\_%"});
  EXPECT_TRUE(selection.Selects("ecommerce", "orders"));
  EXPECT_FALSE(selection.Selects("ecommerce", "audit_log"));
  EXPECT_TRUE(selection.Selects("ecommerce", "auditXlog"));
  EXPECT_FALSE(selection.Selects("other", "orders"));
  bool any = true;
  EXPECT_EQ(selection.Schemas(any), std::vector<std::string>{"ecommerce"});
  EXPECT_FALSE(any);
}

TEST(TableSelectionTest, WildcardSchema) {
  TableSelection selection({"shop\\_%.orders", "ecommerce.%"}, {});
  bool any = false;
  EXPECT_TRUE(selection.Schemas(any).empty());
  EXPECT_TRUE(any);
  EXPECT_TRUE(selection.Selects("shop_eu", "orders"));
  EXPECT_FALSE(selection.Selects("shop_eu", "customers"));
}

TEST(TableSelectionTest, PatternWithoutSchemaIsRefused) {
  EXPECT_THROW(TableSelection({"orders"}, {}), core::Error);
  EXPECT_THROW(TableSelection({"ecommerce.%"}, {"audit"}), core::Error);
}

}  // namespace
}  // namespace futureim::replicate
