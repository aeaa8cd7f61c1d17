// Replication end to end against a private MariaDB: full load, CDC, DDL,
// source restarts, a purged position — each checked by `verify`'s
// comparison of the source with the lake's current state.

#include <chrono>
#include <thread>

#include "core/error.h"
#include "engine/duckdb.h"
#include "query/lake_views.h"
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
          "'paid', 'a,c', '{\"k\": [1, 2]}', x'00ff10', 'café', 2024, 1.5, -2.25e-300)");
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

// InnoDB applies ON DELETE CASCADE / SET NULL inside the engine: those rows
// never reach the binlog. The manifest records each table's foreign keys and
// the current state (verify, raw_current views) applies them: a 4-level
// chain customers → orders → items → notes, a SET NULL from orders to
// categories and categories' SET NULL self reference.
TEST_F(ReplicationTest, OnDeleteCascadeAndSetNullAreAppliedToTheCurrentState) {
  auto db = Store();
  db.Execute(
      "CREATE TABLE ecommerce.categories (category_id INT PRIMARY KEY, parent_category_id INT "
      "NULL, "
      "CONSTRAINT fk_cat_parent FOREIGN KEY (parent_category_id) REFERENCES "
      "ecommerce.categories (category_id) ON DELETE SET NULL) ENGINE=InnoDB");
  db.Execute("CREATE TABLE ecommerce.customers (customer_id INT PRIMARY KEY, name VARCHAR(20))");
  db.Execute(
      "CREATE TABLE ecommerce.orders (order_id INT PRIMARY KEY, customer_id INT NOT NULL, "
      "category_id INT NULL, CONSTRAINT fk_order_customer FOREIGN KEY (customer_id) REFERENCES "
      "ecommerce.customers (customer_id) ON DELETE CASCADE, CONSTRAINT fk_order_category FOREIGN "
      "KEY (category_id) REFERENCES ecommerce.categories (category_id) ON DELETE SET NULL)");
  db.Execute(
      "CREATE TABLE ecommerce.order_items (item_id INT PRIMARY KEY, order_id INT NOT NULL, "
      "CONSTRAINT fk_item_order FOREIGN KEY (order_id) REFERENCES ecommerce.orders (order_id) "
      "ON DELETE CASCADE)");
  db.Execute(
      "CREATE TABLE ecommerce.item_notes (note_id INT PRIMARY KEY, item_id INT NOT NULL, "
      "CONSTRAINT fk_note_item FOREIGN KEY (item_id) REFERENCES ecommerce.order_items (item_id) "
      "ON DELETE CASCADE)");
  db.Execute("INSERT INTO ecommerce.categories VALUES (1, NULL), (2, 1), (3, 1), (4, 2)");
  db.Execute("INSERT INTO ecommerce.customers VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')");
  db.Execute("INSERT INTO ecommerce.orders VALUES (10, 1, 1), (11, 1, 2), (20, 2, 1), (30, 3, 4)");
  db.Execute(
      "INSERT INTO ecommerce.order_items VALUES (100, 10), (101, 10), (110, 11), (200, 20), "
      "(300, 30)");
  db.Execute(
      "INSERT INTO ecommerce.item_notes VALUES (1000, 100), (1001, 101), (1100, 110), (2000, 200)");
  ReplicateUntilCaughtUp();

  const auto loaded = replicate::ReplicationCheckpoint::Open(Options().layout).State();
  const auto& order_keys = loaded.tables.at("ecommerce.orders").foreign_keys;
  ASSERT_EQ(order_keys.size(), 2u);
  EXPECT_EQ(order_keys[0], (lake::ForeignKeyRule{"fk_order_category",
                                                 {"category_id"},
                                                 "ecommerce",
                                                 "categories",
                                                 {"category_id"},
                                                 "SET NULL",
                                                 "RESTRICT"}));
  EXPECT_EQ(order_keys[1].on_delete, "CASCADE");
  EXPECT_EQ(loaded.tables.at("ecommerce.categories").foreign_keys.at(0).parent_table, "categories");
  EXPECT_TRUE(loaded.tables.at("ecommerce.customers").foreign_keys.empty());

  // Through CDC: a customer (cascades three levels down), an order on its
  // own, a category (nulls orders and child categories); a new order of a
  // surviving customer written after the deletes stays.
  db.Execute("DELETE FROM ecommerce.customers WHERE customer_id = 1");
  db.Execute("DELETE FROM ecommerce.orders WHERE order_id = 20");
  db.Execute("DELETE FROM ecommerce.categories WHERE category_id = 1");
  db.Execute("INSERT INTO ecommerce.orders VALUES (31, 3, 2)");
  db.Execute("INSERT INTO ecommerce.order_items VALUES (310, 31)");
  // A foreign key added later is recorded without a reload and applied.
  db.Execute("CREATE TABLE ecommerce.gifts (gift_id INT PRIMARY KEY, order_id INT)");
  db.Execute("INSERT INTO ecommerce.gifts VALUES (1, 30), (2, 31)");
  db.Execute(
      "ALTER TABLE ecommerce.gifts ADD CONSTRAINT fk_gift_order FOREIGN KEY (order_id) "
      "REFERENCES ecommerce.orders (order_id) ON DELETE SET NULL");
  db.Execute("DELETE FROM ecommerce.orders WHERE order_id = 30");
  ReplicateUntilCaughtUp();

  const auto report = Verify();
  ASSERT_TRUE(report.ok()) << Describe(report);
  ASSERT_EQ(report.tables.size(), 6u);
  for (const auto& table : report.tables) {
    EXPECT_EQ(table.extra_in_lake + table.missing_in_lake + table.different, 0u) << table.table;
  }
  const auto state = replicate::ReplicationCheckpoint::Open(Options().layout).State();
  EXPECT_EQ(state.tables.at("ecommerce.gifts").foreign_keys.size(), 1u);

  // The raw_current views show the same state as the source.
  engine::Database lake_db;
  engine::Connection lake(lake_db);
  const auto catalog = query::CreateLakeViews(lake, lake_.path());
  auto lake_rows = [&](const std::string& sql) {
    std::string out;
    for (const auto& row : lake.Query(sql).FetchAllAsText()) {
      for (const auto& value : row) out += value.value_or("NULL") + ",";
      out += ";";
    }
    return out;
  };
  auto source_rows = [&](const std::string& sql) {
    std::string out;
    for (const auto& row : db.Query(sql)) {
      for (const auto& value : row) out += value.value_or("NULL") + ",";
      out += ";";
    }
    return out;
  };
  for (const auto& [view, source] : std::vector<std::pair<std::string, std::string>>{
           {"SELECT category_id, parent_category_id FROM raw_current.categories ORDER BY 1",
            "SELECT category_id, parent_category_id FROM ecommerce.categories ORDER BY 1"},
           {"SELECT order_id, customer_id, category_id FROM raw_current.orders ORDER BY 1",
            "SELECT order_id, customer_id, category_id FROM ecommerce.orders ORDER BY 1"},
           {"SELECT item_id, order_id FROM raw_current.order_items ORDER BY 1",
            "SELECT item_id, order_id FROM ecommerce.order_items ORDER BY 1"},
           {"SELECT note_id, item_id FROM raw_current.item_notes ORDER BY 1",
            "SELECT note_id, item_id FROM ecommerce.item_notes ORDER BY 1"},
           {"SELECT gift_id, order_id FROM raw_current.gifts ORDER BY 1",
            "SELECT gift_id, order_id FROM ecommerce.gifts ORDER BY 1"}}) {
    EXPECT_EQ(lake_rows(view), source_rows(source)) << view;
  }
  // And what that is, spelled out: only the surviving chain remains.
  EXPECT_EQ(lake_rows("SELECT item_id FROM raw_current.order_items ORDER BY 1"), "310,;");
  EXPECT_EQ(lake_rows("SELECT note_id FROM raw_current.item_notes ORDER BY 1"), "");
  EXPECT_EQ(lake_rows("SELECT category_id, parent_category_id FROM raw_current.categories "
                      "ORDER BY 1"),
            "2,NULL,;3,NULL,;4,2,;");
  EXPECT_EQ(lake_rows("SELECT gift_id, order_id FROM raw_current.gifts ORDER BY 1"),
            "1,NULL,;2,31,;");
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
  // The server keeps a file a dump thread still reads (the previous run's,
  // until the server notices it is gone): purge until the old file is gone.
  for (int attempt = 0; attempt < 100; ++attempt) {
    root.Execute("PURGE BINARY LOGS TO '" + *current.at(0).at(0) + "'");
    if (*root.Query("SHOW BINARY LOGS").at(0).at(0) == *current.at(0).at(0)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(*root.Query("SHOW BINARY LOGS").at(0).at(0), *current.at(0).at(0));
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
