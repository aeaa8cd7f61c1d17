// Replication end to end against a private MariaDB: full load, CDC, DDL,
// source restarts, a purged position — each checked by `verify`'s
// comparison of the source with the lake's current state.

#include <chrono>
#include <thread>

#include "core/error.h"
#include "replicate/replication_checkpoint.h"
#include "replication_fixture.h"

namespace futureim::testing {
namespace {

class ReplicationTest : public ReplicationFixture {
 protected:
  void CreateShop() {
    auto db = Store();
    db.Execute(
        "CREATE TABLE ecommerce.orders (order_id VARCHAR(36) PRIMARY KEY, customer VARCHAR(50) "
        "CHARACTER SET utf8mb4, total DECIMAL(12,2) NOT NULL, big BIGINT UNSIGNED, "
        "placed DATETIME(6), seen TIMESTAMP(3) NULL, took TIME(2), flag BIT(3), "
        "status ENUM('new','paid','gone'), tags SET('a','b','c'), doc JSON, raw VARBINARY(8), "
        "note TEXT CHARACTER SET latin1, y YEAR, f FLOAT, d DOUBLE) ENGINE=InnoDB");
    db.Execute(
        "CREATE TABLE ecommerce.order_items (order_id VARCHAR(36), line INT, qty SMALLINT, "
        "PRIMARY KEY (order_id, line)) ENGINE=InnoDB");
  }

  void InsertOrders(int from, int to) {
    auto db = Store();
    db.Execute("BEGIN");
    for (int i = from; i < to; ++i) {
      const std::string id = "o" + std::to_string(100000 + i);
      db.Execute(
          "INSERT INTO ecommerce.orders VALUES ('" + id + "', 'Zoë 😀 " + std::to_string(i) + "', " +
          std::to_string(i) + ".25, " + (i % 7 == 0 ? "18446744073709551615" : std::to_string(i)) +
          ", '2024-02-29 12:34:56.123456', '2024-03-01 00:00:01.5', '-838:59:58.99', b'101', "
          "'paid', 'a,c', '{\"k\": [1, 2]}', x'00ff10', 'caf\xe9', 2024, 1.5, -2.25e-300)");
      db.Execute("INSERT INTO ecommerce.order_items VALUES ('" + id + "', 1, 2), ('" + id +
                 "', 2, 3)");
    }
    db.Execute("COMMIT");
  }
};

TEST_F(ReplicationTest, FullLoadThenChangesEqualTheSource) {
  CreateShop();
  InsertOrders(0, 2500);  // three chunks of 1000
  ReplicateUntilCaughtUp();
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << Describe(report);
  ASSERT_EQ(report.tables.size(), 2u);
  EXPECT_EQ(report.tables[1].source_rows, 2500u);

  {
    auto db = Store();
    db.Execute("UPDATE ecommerce.orders SET total = total + 1, status = 'gone' WHERE big % 3 = 0");
    db.Execute("DELETE FROM ecommerce.order_items WHERE line = 2 AND order_id < 'o100100'");
    db.Execute("DELETE FROM ecommerce.orders WHERE order_id = 'o100001'");
    db.Execute("INSERT INTO ecommerce.orders (order_id, total) VALUES ('o100001', 1.00)");
    db.Execute("UPDATE ecommerce.orders SET order_id = 'moved' WHERE order_id = 'o100002'");
  }
  InsertOrders(2500, 2600);
  ReplicateUntilCaughtUp();
  report = Verify();
  ASSERT_TRUE(report.ok()) << Describe(report);

  const auto state = replicate::ReplicationCheckpoint::Open(Options().layout).State();
  const auto& orders = state.tables.at("ecommerce.orders");
  EXPECT_EQ(orders.counters.rows_loaded, 2500u);
  EXPECT_EQ(orders.counters.inserts, 101u);
  EXPECT_EQ(orders.counters.deletes, 1u);
  EXPECT_GE(orders.counters.updates, 800u);
  EXPECT_EQ(orders.state, replicate::TableState::kStreaming);
}

TEST_F(ReplicationTest, VerifyListsTheKeysThatDiffer) {
  CreateShop();
  InsertOrders(0, 10);
  ReplicateUntilCaughtUp();
  // Change the source behind the replicator's back: binlog off for this session.
  auto root = Root();
  root.Execute("SET sql_log_bin = 0");
  root.Execute("UPDATE ecommerce.orders SET total = 0 WHERE order_id = 'o100003'");
  root.Execute("DELETE FROM ecommerce.orders WHERE order_id = 'o100004'");
  const auto report = Verify();
  ASSERT_FALSE(report.ok());
  const auto& orders = report.tables[1];
  EXPECT_EQ(orders.table, "ecommerce.orders");
  EXPECT_EQ(orders.different, 1u);
  EXPECT_EQ(orders.extra_in_lake, 1u);
  EXPECT_EQ(orders.mismatched_keys,
            (std::vector<std::string>{"different: o100003", "extra: o100004"}));
}

TEST_F(ReplicationTest, DdlIsFollowed) {
  CreateShop();
  InsertOrders(0, 50);
  ReplicateUntilCaughtUp();
  {
    auto db = Store();
    // A new column's default reaches existing rows without row events.
    db.Execute("ALTER TABLE ecommerce.order_items ADD COLUMN price DECIMAL(8,2) DEFAULT 9.99");
    db.Execute("INSERT INTO ecommerce.order_items VALUES ('x', 1, 1, 1.00)");
    db.Execute("ALTER TABLE ecommerce.orders DROP COLUMN doc, MODIFY COLUMN y INT");
    db.Execute("UPDATE ecommerce.orders SET y = 7 WHERE order_id = 'o100000'");
    db.Execute("CREATE TABLE ecommerce.reviews (review_id INT PRIMARY KEY, body VARCHAR(20))");
    db.Execute("INSERT INTO ecommerce.reviews VALUES (1, 'good'), (2, 'bad')");
    db.Execute("RENAME TABLE ecommerce.reviews TO ecommerce.opinions");
    db.Execute("INSERT INTO ecommerce.opinions VALUES (3, 'fine')");
    db.Execute("CREATE TABLE ecommerce.scratch (id INT PRIMARY KEY)");
    db.Execute("INSERT INTO ecommerce.scratch VALUES (1), (2)");
    db.Execute("DROP TABLE ecommerce.scratch");
  }
  ReplicateUntilCaughtUp();
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << Describe(report);
  std::vector<std::string> tables;
  for (const auto& t : report.tables) tables.push_back(t.table);
  EXPECT_EQ(tables, (std::vector<std::string>{"ecommerce.opinions", "ecommerce.order_items",
                                              "ecommerce.orders"}));

  Store().Execute("TRUNCATE TABLE ecommerce.order_items");
  Store().Execute("INSERT INTO ecommerce.order_items VALUES ('after', 1, 1, 2.00)");
  ReplicateUntilCaughtUp();
  report = Verify();
  ASSERT_TRUE(report.ok()) << Describe(report);
  EXPECT_EQ(report.tables[1].lake_rows, 1u);
}

TEST_F(ReplicationTest, ZeroDatesBecomeNullAndAreCounted) {
  auto db = Store();
  db.Execute("SET SESSION sql_mode = ''");
  db.Execute("CREATE TABLE ecommerce.legacy (id INT PRIMARY KEY, d DATE, t DATETIME)");
  db.Execute("INSERT INTO ecommerce.legacy VALUES (1, '0000-00-00', '0000-00-00 00:00:00')");
  ReplicateUntilCaughtUp();
  db.Execute("INSERT INTO ecommerce.legacy VALUES (2, '2020-00-00', '2020-01-01 00:00:00')");
  ReplicateUntilCaughtUp();
  const auto state = replicate::ReplicationCheckpoint::Open(Options().layout).State();
  EXPECT_EQ(state.zero_dates, 3u);
}

TEST_F(ReplicationTest, SurvivesASourceRestartMidStream) {
  CreateShop();
  InsertOrders(0, 100);
  std::atomic<bool> stop{false};
  auto options = Options();
  options.stop_when_caught_up = false;
  std::exception_ptr failure;
  std::thread replicator([&] {
    try {
      replicate::ReplicationTask(options, stop).Run();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  InsertOrders(100, 200);
  server_->Kill();  // as a crash would
  std::this_thread::sleep_for(std::chrono::seconds(1));
  server_->Start();
  InsertOrders(200, 300);
  // The replicator reconnects by itself and catches up.
  bool equal = false;
  for (int attempt = 0; attempt < 30 && !equal; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    equal = Verify().ok();
  }
  stop = true;
  replicator.join();
  if (failure) std::rethrow_exception(failure);
  const auto report = Verify();
  EXPECT_TRUE(report.ok()) << Describe(report);
}

TEST_F(ReplicationTest, APurgedPositionIsAClearErrorNamingTheFix) {
  CreateShop();
  InsertOrders(0, 10);
  ReplicateUntilCaughtUp();
  auto root = Root();
  InsertOrders(10, 20);
  root.Execute("FLUSH BINARY LOGS");
  const auto current = root.Query("SHOW MASTER STATUS");
  root.Execute("PURGE BINARY LOGS TO '" + *current.at(0).at(0) + "'");
  try {
    ReplicateUntilCaughtUp();
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("no longer has the binlog position"), std::string::npos) << message;
    EXPECT_NE(message.find("futureim replicate --resnapshot"), std::string::npos) << message;
  }
  replicate::ReplicationTask::Resnapshot(Options().layout);
  ReplicateUntilCaughtUp();
  const auto report = Verify();
  EXPECT_TRUE(report.ok()) << Describe(report);
}

}  // namespace
}  // namespace futureim::testing
