// The schema split for a bulk load: tables created with their primary keys,
// the other keys added afterwards (tests/integration/generate checks that the
// loaded tables end identical to the schema).

#include <gtest/gtest.h>

#include "generate/store_schema.h"

namespace futureim::generate {
namespace {

TEST(BulkLoadSchemaTest, SecondaryUniqueAndForeignKeysMoveToOneAlterTable) {
  const BulkLoadSchema customers = SplitForBulkLoad("customers");
  EXPECT_NE(customers.create_without_keys.find("PRIMARY KEY (customer_id)"), std::string::npos);
  EXPECT_EQ(customers.create_without_keys.find("idx_email"), std::string::npos);
  EXPECT_EQ(customers.add_keys,
            "ALTER TABLE customers\n  ADD UNIQUE KEY idx_email (email),\n  ADD KEY idx_created_at "
            "(created_at),\n  ADD KEY idx_customer_segment (customer_segment)");
  const BulkLoadSchema orders = SplitForBulkLoad("orders");
  EXPECT_NE(orders.add_keys.find("  ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id)\n"
                                 "    REFERENCES customers (customer_id) ON DELETE CASCADE"),
            std::string::npos)
      << orders.add_keys;
  EXPECT_EQ(orders.create_without_keys.find("FOREIGN KEY"), std::string::npos);
}

TEST(BulkLoadSchemaTest, ARestrictForeignKeyStaysInTheCreateWithItsTablesIndexes) {
  const BulkLoadSchema items = SplitForBulkLoad("order_items");
  EXPECT_NE(items.create_without_keys.find("KEY idx_order (order_id)"), std::string::npos);
  EXPECT_NE(items.create_without_keys.find("KEY idx_product (product_id)"), std::string::npos);
  EXPECT_NE(items.create_without_keys.find("ON DELETE RESTRICT"), std::string::npos);
  EXPECT_EQ(items.add_keys,
            "ALTER TABLE order_items\n  ADD CONSTRAINT fk_order_items_order FOREIGN KEY "
            "(order_id)\n    REFERENCES orders (order_id) ON DELETE CASCADE");
}

TEST(BulkLoadSchemaTest, ChecksStayAndUnknownTablesAreRefused) {
  EXPECT_NE(SplitForBulkLoad("reviews").create_without_keys.find("CHECK (rating BETWEEN 1 AND 5)"),
            std::string::npos);
  EXPECT_THROW(SplitForBulkLoad("nope"), std::invalid_argument);
}

}  // namespace
}  // namespace futureim::generate
