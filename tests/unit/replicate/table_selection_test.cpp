#include "replicate/table_selection.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace futureim::replicate {
namespace {

TEST(LikeMatchTest, WildcardsAndEscapes) {
  EXPECT_TRUE(LikeMatch("orders", "%"));
  EXPECT_TRUE(LikeMatch("", "%"));
  EXPECT_TRUE(LikeMatch("orders", "ord%"));
  EXPECT_TRUE(LikeMatch("orders", "%ers"));
  EXPECT_TRUE(LikeMatch("order_items", "order\\_items"));
  EXPECT_FALSE(LikeMatch("orderXitems", "order\\_items"));
  EXPECT_TRUE(LikeMatch("orderXitems", "order_items"));
  EXPECT_TRUE(LikeMatch("a%b", "a\\%b"));
  EXPECT_FALSE(LikeMatch("axb", "a\\%b"));
  EXPECT_FALSE(LikeMatch("orders", "order"));
  EXPECT_TRUE(LikeMatch("abcabcabd", "%abc%abd"));
  EXPECT_FALSE(LikeMatch("abcabcabc", "%abc%abd"));
  // No exponential blow-up on many '%'.
  EXPECT_FALSE(LikeMatch(std::string(5000, 'a'), "%a%a%a%a%a%a%a%a%b"));
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
