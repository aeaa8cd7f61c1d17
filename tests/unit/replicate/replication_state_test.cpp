#include "replicate/replication_state.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "lake/raw_tier_layout.h"
#include "replicate/raw_change_writer.h"

namespace futureim::replicate {
namespace {

TEST(BinlogPositionLessTest, OrdersByFileNumberThenOffset) {
  EXPECT_TRUE(BinlogPositionLess({"mysql-bin.000009", 900}, {"mysql-bin.000010", 4}));
  EXPECT_TRUE(BinlogPositionLess({"mysql-bin.999999", 900}, {"mysql-bin.1000000", 4}));
  EXPECT_TRUE(BinlogPositionLess({"mysql-bin.000010", 4}, {"mysql-bin.000010", 5}));
  EXPECT_FALSE(BinlogPositionLess({"mysql-bin.000010", 5}, {"mysql-bin.000010", 5}));
}

TEST(ReplicationStateTest, JsonRoundTrip) {
  ReplicationState state;
  state.commit = 7;
  state.committed_at_us = 123;
  state.next_seq = 99;
  state.position = source::BinlogPosition{"mysql-bin.000002", 1234};
  state.last_gtid = "0-1-55";
  state.zero_dates = 3;
  TableProgress table;
  table.schema = "ecommerce";
  table.table = "orders";
  table.state = TableState::kLoading;
  table.load.capture_from = source::BinlogPosition{"mysql-bin.000001", 400};
  table.load.after_key = {HexEncode(std::string("\x00\xff", 2))};
  table.load.chunks = 2;
  table.counters.rows_loaded = 2000;
  table.counters.deletes = 4;
  RawColumn column;
  column.name = "order_id";
  column.sql_type = "VARCHAR";
  table.columns.push_back(column);
  table.primary_key = {"order_id"};
  table.foreign_keys.push_back(ForeignKeyRule{"fk_orders_customer",
                                              {"customer_id"},
                                              "ecommerce",
                                              "customers",
                                              {"customer_id"},
                                              "CASCADE",
                                              "RESTRICT"});
  state.tables["ecommerce.orders"] = table;

  const auto back = ReplicationState::FromJson(state.ToJson());
  EXPECT_EQ(back.ToJson(), state.ToJson());
  EXPECT_EQ(back.tables.at("ecommerce.orders").state, TableState::kLoading);
  EXPECT_EQ(HexDecode(back.tables.at("ecommerce.orders").load.after_key[0]),
            std::string("\x00\xff", 2));
  EXPECT_EQ(*back.position, (source::BinlogPosition{"mysql-bin.000002", 1234}));
  EXPECT_EQ(back.tables.at("ecommerce.orders").foreign_keys, table.foreign_keys);
}

TEST(ReplicationStateTest, UnknownFormatIsRefused) {
  EXPECT_THROW(ReplicationState::FromJson({{"format", 2}}), core::Error);
}

TEST(RawTierLayoutTest, FileNames) {
  using lake::RawTierLayout;
  EXPECT_EQ(RawTierLayout::CommittedFileName(42, 3), "c0000000042_000003.parquet");
  EXPECT_EQ(RawTierLayout::CommitOfFileName("c0000000042_000003.parquet"), 42u);
  EXPECT_FALSE(RawTierLayout::CommitOfFileName("c00000000x2_000003.parquet"));
  EXPECT_FALSE(RawTierLayout::CommitOfFileName("data_0.parquet"));
  EXPECT_FALSE(RawTierLayout::CommitOfFileName(".w1-2.parquet.inprogress"));
  EXPECT_TRUE(RawTierLayout::IsInProgressFileName(RawTierLayout::InProgressFileName("w1-2")));
  EXPECT_FALSE(RawTierLayout::IsInProgressFileName("c0000000042_000003.parquet"));
  RawTierLayout layout("/lake");
  EXPECT_EQ(layout.PartitionDir("ecommerce", "orders", 0).string(),
            "/lake/raw/ecommerce/orders/commit_date=1970-01-01");
  EXPECT_EQ(layout.PartitionDir("ecommerce", "orders", 20416).string(),
            "/lake/raw/ecommerce/orders/commit_date=2025-11-24");
}

TEST(ParseDecimalTextTest, ExactScaledIntegers) {
  EXPECT_EQ(ParseDecimalText("-12.340", 10, 3).value, -12340);
  EXPECT_EQ(ParseDecimalText("12.3", 10, 3).value, 12300);
  EXPECT_EQ(ParseDecimalText("0.000", 5, 3).value, 0);
  EXPECT_EQ(ParseDecimalText("99999999.99", 10, 2).value, 9999999999);
  EXPECT_THROW(ParseDecimalText("100000000.00", 10, 2), core::Error);
  EXPECT_THROW(ParseDecimalText("1.234", 10, 2), core::Error);
  EXPECT_THROW(ParseDecimalText("abc", 10, 2), core::Error);
  EXPECT_THROW(ParseDecimalText("", 10, 2), core::Error);
  const auto big = ParseDecimalText("-99999999999999999999999999999999999999", 38, 0);
  EXPECT_LT(big.value, 0);
}

}  // namespace
}  // namespace futureim::replicate
