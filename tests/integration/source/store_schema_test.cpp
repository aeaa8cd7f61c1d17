// The store schema on a real private MariaDB, the private instance's users and
// settings, and the source connection's contract (URIs, errors, results).

#include "generate/store_schema.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <mysqld_error.h>

#include "core/error.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"
#include "support/mariadb_suite.h"
#include "support/private_mariadb.h"
#include "support/temp_dir.h"

namespace futureim {
namespace {

using source::MysqlConnection;
using source::SourceEndpoint;
using source::SourceError;
using testing::PrivateMariadb;

// ---------------------------------------------------------------------------
// The expected schema, written out independently of store_schema.cpp from
// SPEC.md §1 and REFERENCE.md §1.2, in the form MariaDB's information_schema
// reports it (int(11), tinyint(1) for BOOLEAN, quoted string defaults, "NULL"
// for DEFAULT NULL, no entry for no default).

struct ExpectedColumn {
  const char* name;
  const char* type;
  bool nullable;
  const char* default_value;  // nullptr: the column has no default
  const char* extra = "";
};

const ExpectedColumn kCreatedAt = {"created_at", "timestamp", false, "current_timestamp()"};
const ExpectedColumn kUpdatedAt = {"updated_at", "timestamp", false, "current_timestamp()",
                                   "on update current_timestamp()"};

struct ExpectedTable {
  const char* name;
  std::vector<ExpectedColumn> columns;
};

const std::vector<ExpectedTable>& ExpectedTables() {
  static const std::vector<ExpectedTable> tables = {
      {"customers",
       {{"customer_id", "varchar(36)", false, nullptr},
        {"email", "varchar(255)", false, nullptr},
        {"first_name", "varchar(100)", false, nullptr},
        {"last_name", "varchar(100)", false, nullptr},
        {"phone", "varchar(20)", true, "NULL"},
        {"address_line1", "varchar(255)", true, "NULL"},
        {"address_line2", "varchar(255)", true, "NULL"},
        {"city", "varchar(100)", true, "NULL"},
        {"state", "varchar(50)", true, "NULL"},
        {"postal_code", "varchar(20)", true, "NULL"},
        {"country", "varchar(50)", false, "'US'"},
        kCreatedAt,
        kUpdatedAt,
        {"is_active", "tinyint(1)", false, "1"},
        {"customer_segment", "varchar(50)", true, "NULL"},
        {"lifetime_value", "decimal(12,2)", true, "0.00"}}},
      {"categories",
       {{"category_id", "varchar(36)", false, nullptr},
        {"category_name", "varchar(100)", false, nullptr},
        {"parent_category_id", "varchar(36)", true, "NULL"},
        {"description", "text", true, "NULL"},
        kCreatedAt,
        kUpdatedAt,
        {"is_active", "tinyint(1)", false, "1"}}},
      {"products",
       {{"product_id", "varchar(36)", false, nullptr},
        {"product_name", "varchar(255)", false, nullptr},
        {"category_id", "varchar(36)", true, "NULL"},
        {"description", "text", true, "NULL"},
        {"sku", "varchar(100)", false, nullptr},
        {"price", "decimal(10,2)", false, nullptr},
        {"cost", "decimal(10,2)", true, "NULL"},
        {"weight", "decimal(8,2)", true, "NULL"},
        {"dimensions", "varchar(50)", true, "NULL"},
        {"brand", "varchar(100)", true, "NULL"},
        {"manufacturer", "varchar(100)", true, "NULL"},
        kCreatedAt,
        kUpdatedAt,
        {"is_active", "tinyint(1)", false, "1"}}},
      {"inventory",
       {{"inventory_id", "varchar(36)", false, nullptr},
        {"product_id", "varchar(36)", false, nullptr},
        {"warehouse_location", "varchar(100)", false, nullptr},
        {"quantity_available", "int(11)", false, "0"},
        {"quantity_reserved", "int(11)", false, "0"},
        {"reorder_point", "int(11)", false, "10"},
        {"reorder_quantity", "int(11)", false, "50"},
        {"last_restocked_at", "timestamp", true, "NULL"},
        kCreatedAt,
        kUpdatedAt}},
      {"orders",
       {{"order_id", "varchar(36)", false, nullptr},
        {"customer_id", "varchar(36)", false, nullptr},
        {"order_date", "timestamp", false, "current_timestamp()"},
        {"order_status", "varchar(50)", false, "'pending'"},
        {"total_amount", "decimal(12,2)", false, nullptr},
        {"tax_amount", "decimal(10,2)", false, "0.00"},
        {"shipping_amount", "decimal(10,2)", false, "0.00"},
        {"discount_amount", "decimal(10,2)", false, "0.00"},
        {"payment_method", "varchar(50)", true, "NULL"},
        {"shipping_address_line1", "varchar(255)", true, "NULL"},
        {"shipping_address_line2", "varchar(255)", true, "NULL"},
        {"shipping_city", "varchar(100)", true, "NULL"},
        {"shipping_state", "varchar(50)", true, "NULL"},
        {"shipping_postal_code", "varchar(20)", true, "NULL"},
        {"shipping_country", "varchar(50)", false, "'US'"},
        kCreatedAt,
        kUpdatedAt}},
      {"order_items",
       {{"order_item_id", "varchar(36)", false, nullptr},
        {"order_id", "varchar(36)", false, nullptr},
        {"product_id", "varchar(36)", false, nullptr},
        {"quantity", "int(11)", false, nullptr},
        {"unit_price", "decimal(10,2)", false, nullptr},
        {"discount_amount", "decimal(10,2)", false, "0.00"},
        {"tax_amount", "decimal(10,2)", false, "0.00"},
        {"total_amount", "decimal(12,2)", false, nullptr},
        kCreatedAt,
        kUpdatedAt}},
      {"payments",
       {{"payment_id", "varchar(36)", false, nullptr},
        {"order_id", "varchar(36)", false, nullptr},
        {"payment_method", "varchar(50)", false, nullptr},
        {"payment_status", "varchar(50)", false, "'pending'"},
        {"amount", "decimal(12,2)", false, nullptr},
        {"transaction_id", "varchar(255)", true, "NULL"},
        {"card_last_four", "char(4)", true, "NULL"},
        {"card_type", "varchar(20)", true, "NULL"},
        {"payment_date", "timestamp", false, "current_timestamp()"},
        kCreatedAt,
        kUpdatedAt}},
      {"shipments",
       {{"shipment_id", "varchar(36)", false, nullptr},
        {"order_id", "varchar(36)", false, nullptr},
        {"carrier", "varchar(100)", true, "NULL"},
        {"tracking_number", "varchar(255)", true, "NULL"},
        {"shipment_status", "varchar(50)", false, "'pending'"},
        {"shipped_date", "timestamp", true, "NULL"},
        {"estimated_delivery_date", "timestamp", true, "NULL"},
        {"actual_delivery_date", "timestamp", true, "NULL"},
        {"shipping_cost", "decimal(10,2)", true, "NULL"},
        kCreatedAt,
        kUpdatedAt}},
      {"reviews",
       {{"review_id", "varchar(36)", false, nullptr},
        {"product_id", "varchar(36)", false, nullptr},
        {"customer_id", "varchar(36)", false, nullptr},
        {"rating", "int(11)", false, nullptr},
        {"review_title", "varchar(255)", true, "NULL"},
        {"review_text", "text", true, "NULL"},
        {"is_verified_purchase", "tinyint(1)", false, "0"},
        {"helpful_count", "int(11)", false, "0"},
        kCreatedAt,
        kUpdatedAt}},
      {"promotions",
       {{"promotion_id", "varchar(36)", false, nullptr},
        {"promotion_code", "varchar(50)", false, nullptr},
        {"promotion_name", "varchar(255)", false, nullptr},
        {"description", "text", true, "NULL"},
        {"discount_type", "varchar(20)", false, nullptr},
        {"discount_value", "decimal(10,2)", false, nullptr},
        {"min_purchase_amount", "decimal(10,2)", true, "NULL"},
        {"max_discount_amount", "decimal(10,2)", true, "NULL"},
        {"start_date", "timestamp", false, nullptr},
        {"end_date", "timestamp", false, nullptr},
        {"usage_limit", "int(11)", true, "NULL"},
        {"usage_count", "int(11)", false, "0"},
        {"is_active", "tinyint(1)", false, "1"},
        kCreatedAt,
        kUpdatedAt}},
  };
  return tables;
}

// "table.index(columns)", with " UNIQUE" for unique ones (PRIMARY included).
const std::set<std::string> kExpectedIndexes = {
    "customers.PRIMARY(customer_id) UNIQUE",
    "customers.idx_email(email) UNIQUE",
    "customers.idx_created_at(created_at)",
    "customers.idx_customer_segment(customer_segment)",
    "categories.PRIMARY(category_id) UNIQUE",
    "categories.idx_parent_category(parent_category_id)",
    "categories.idx_category_name(category_name)",
    "products.PRIMARY(product_id) UNIQUE",
    "products.idx_sku(sku) UNIQUE",
    "products.idx_category(category_id)",
    "products.idx_price(price)",
    "products.idx_brand(brand)",
    "inventory.PRIMARY(inventory_id) UNIQUE",
    "inventory.idx_product(product_id)",
    "inventory.idx_warehouse(warehouse_location)",
    "inventory.idx_quantity(quantity_available)",
    "orders.PRIMARY(order_id) UNIQUE",
    "orders.idx_customer(customer_id)",
    "orders.idx_order_date(order_date)",
    "orders.idx_order_status(order_status)",
    "orders.idx_total_amount(total_amount)",
    "order_items.PRIMARY(order_item_id) UNIQUE",
    "order_items.idx_order(order_id)",
    "order_items.idx_product(product_id)",
    "payments.PRIMARY(payment_id) UNIQUE",
    "payments.idx_order(order_id)",
    "payments.idx_payment_status(payment_status)",
    "payments.idx_payment_date(payment_date)",
    "payments.idx_transaction_id(transaction_id)",
    "shipments.PRIMARY(shipment_id) UNIQUE",
    "shipments.idx_order(order_id)",
    "shipments.idx_tracking_number(tracking_number)",
    "shipments.idx_shipment_status(shipment_status)",
    "shipments.idx_shipped_date(shipped_date)",
    "reviews.PRIMARY(review_id) UNIQUE",
    "reviews.idx_product(product_id)",
    "reviews.idx_customer(customer_id)",
    "reviews.idx_rating(rating)",
    "reviews.idx_created_at(created_at)",
    "promotions.PRIMARY(promotion_id) UNIQUE",
    "promotions.idx_promotion_code(promotion_code) UNIQUE",
    "promotions.idx_start_date(start_date)",
    "promotions.idx_end_date(end_date)",
    "promotions.idx_is_active(is_active)",
};

const std::set<std::string> kExpectedForeignKeys = {
    "categories.parent_category_id -> categories.category_id ON DELETE SET NULL",
    "products.category_id -> categories.category_id ON DELETE SET NULL",
    "inventory.product_id -> products.product_id ON DELETE CASCADE",
    "orders.customer_id -> customers.customer_id ON DELETE CASCADE",
    "order_items.order_id -> orders.order_id ON DELETE CASCADE",
    "order_items.product_id -> products.product_id ON DELETE RESTRICT",
    "payments.order_id -> orders.order_id ON DELETE CASCADE",
    "shipments.order_id -> orders.order_id ON DELETE CASCADE",
    "reviews.product_id -> products.product_id ON DELETE CASCADE",
    "reviews.customer_id -> customers.customer_id ON DELETE CASCADE",
};

std::string Value(const std::optional<std::string>& value) { return value.value_or("<null>"); }

std::string Describe(const ExpectedColumn& column) {
  return std::string(column.name) + " " + column.type + (column.nullable ? " NULL" : " NOT NULL") +
         " default=" + (column.default_value ? column.default_value : "<null>") +
         " extra=" + column.extra;
}

template <typename Container>
std::string Join(const Container& items) {
  std::string out;
  for (const auto& item : items) {
    out += std::string(item) + "\n";
  }
  return out;
}

// ---------------------------------------------------------------------------
// One private MariaDB shared by the tests of the suite.

class StoreSchemaTest : public testing::PrivateMariadbSuite {
 protected:
  // A store_app connection with the schema applied (each test may be the
  // only one in its process, so none relies on another having run).
  static MysqlConnection StoreWithSchema() {
    auto connection = MysqlConnection::Connect(Server().StoreUser());
    generate::ApplyStoreSchema(connection);
    return connection;
  }
};

TEST_F(StoreSchemaTest, CreatesEveryTableWithTheExactColumns) {
  auto store = StoreWithSchema();

  std::vector<std::string> expected_names;
  for (const auto& table : ExpectedTables()) {
    expected_names.emplace_back(table.name);
  }
  const auto names = generate::StoreTableNames();
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.end()), expected_names);

  const auto tables = store.Query(
      "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES "
      "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME");
  std::set<std::string> actual_tables;
  for (const auto& row : tables) {
    actual_tables.insert(Value(row[0]));
    EXPECT_EQ(Value(row[1]), "InnoDB") << Value(row[0]);
    EXPECT_EQ(Value(row[2]), "utf8mb4_unicode_ci") << Value(row[0]);
  }
  EXPECT_EQ(actual_tables, std::set<std::string>(expected_names.begin(), expected_names.end()));

  for (const auto& table : ExpectedTables()) {
    const auto rows = store.Query(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
        "CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
        std::string(table.name) + "' ORDER BY ORDINAL_POSITION");
    std::vector<std::string> actual;
    for (const auto& row : rows) {
      actual.push_back(Value(row[0]) + " " + Value(row[1]) +
                       (Value(row[2]) == "YES" ? " NULL" : " NOT NULL") +
                       " default=" + Value(row[3]) + " extra=" + Value(row[4]));
      if (row[5]) {  // text columns inherit the table's character set
        EXPECT_EQ(Value(row[5]), "utf8mb4") << table.name << "." << Value(row[0]);
        EXPECT_EQ(Value(row[6]), "utf8mb4_unicode_ci") << table.name << "." << Value(row[0]);
      }
    }
    std::vector<std::string> expected;
    for (const auto& column : table.columns) {
      expected.push_back(Describe(column));
    }
    EXPECT_EQ(Join(actual), Join(expected)) << "columns of " << table.name;
  }
}

TEST_F(StoreSchemaTest, CreatesEveryKeyIndexForeignKeyAndCheck) {
  auto store = StoreWithSchema();

  std::set<std::string> indexes;
  for (const auto& row :
       store.Query("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, "
                   "GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ',') "
                   "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                   "GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE")) {
    indexes.insert(Value(row[0]) + "." + Value(row[1]) + "(" + Value(row[3]) + ")" +
                   (Value(row[2]) == "0" ? " UNIQUE" : ""));
  }
  EXPECT_EQ(Join(indexes), Join(kExpectedIndexes));

  std::set<std::string> foreign_keys;
  for (const auto& row :
       store.Query("SELECT rc.TABLE_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, "
                   "k.REFERENCED_COLUMN_NAME, rc.DELETE_RULE "
                   "FROM information_schema.REFERENTIAL_CONSTRAINTS rc "
                   "JOIN information_schema.KEY_COLUMN_USAGE k "
                   "  ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA "
                   " AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME "
                   "WHERE rc.CONSTRAINT_SCHEMA = DATABASE()")) {
    foreign_keys.insert(Value(row[0]) + "." + Value(row[1]) + " -> " + Value(row[2]) + "." +
                        Value(row[3]) + " ON DELETE " + Value(row[4]));
  }
  EXPECT_EQ(Join(foreign_keys), Join(kExpectedForeignKeys));

  // StoreTableNames() is in dependency order: every referenced table comes
  // no later than the table that references it.
  const auto names = generate::StoreTableNames();
  const auto position = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) - names.begin();
  };
  for (const auto& fk : kExpectedForeignKeys) {
    const std::string child = fk.substr(0, fk.find('.'));
    const size_t arrow = fk.find("-> ") + 3;
    const std::string parent = fk.substr(arrow, fk.find('.', arrow) - arrow);
    EXPECT_LE(position(parent), position(child)) << fk;
  }

  EXPECT_EQ(
      Value(store.QueryScalar("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                              "WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'reviews'")),
      "`rating` between 1 and 5");
}

TEST_F(StoreSchemaTest, DefaultsAndConstraintsBehave) {
  auto store = StoreWithSchema();
  store.Execute(
      "INSERT INTO customers (customer_id, email, first_name, last_name) "
      "VALUES ('c-1', 'ada@example.com', 'Ada', 'Lovelace')");
  const auto customer = store.Query(
      "SELECT country, is_active, lifetime_value, created_at IS NOT NULL, "
      "updated_at IS NOT NULL FROM customers WHERE customer_id = 'c-1'");
  ASSERT_EQ(customer.size(), 1u);
  EXPECT_EQ(Value(customer[0][0]), "US");
  EXPECT_EQ(Value(customer[0][1]), "1");
  EXPECT_EQ(Value(customer[0][2]), "0.00");
  EXPECT_EQ(Value(customer[0][3]), "1");
  EXPECT_EQ(Value(customer[0][4]), "1");

  try {
    store.Execute(
        "INSERT INTO customers (customer_id, email, first_name, last_name) "
        "VALUES ('c-2', 'ada@example.com', 'Ada', 'Again')");
    ADD_FAILURE() << "a duplicate email was accepted";
  } catch (const SourceError& e) {
    EXPECT_EQ(e.code(), ER_DUP_ENTRY);
  }

  store.Execute(
      "INSERT INTO products (product_id, product_name, sku, price) "
      "VALUES ('p-1', 'Lamp', 'SKU-1', 19.99)");
  store.Execute(
      "INSERT INTO reviews (review_id, product_id, customer_id, rating) "
      "VALUES ('r-5', 'p-1', 'c-1', 5)");
  for (const int rating : {0, 6}) {
    try {
      store.Execute(
          "INSERT INTO reviews (review_id, product_id, customer_id, rating) "
          "VALUES ('r-bad', 'p-1', 'c-1', " +
          std::to_string(rating) + ")");
      ADD_FAILURE() << "rating " << rating << " was accepted";
    } catch (const SourceError& e) {
      EXPECT_EQ(e.code(), ER_CONSTRAINT_FAILED) << e.what();
    }
  }
  // Deleting the customer cascades to the review.
  store.Execute("DELETE FROM customers WHERE customer_id = 'c-1'");
  EXPECT_EQ(store.QueryScalar("SELECT COUNT(*) FROM reviews"), "0");
  store.Execute("DELETE FROM products");
}

TEST_F(StoreSchemaTest, ApplyingTwiceIsHarmless) {
  auto store = StoreWithSchema();
  store.Execute(
      "INSERT INTO categories (category_id, category_name) VALUES ('cat-twice', 'Lamps')");
  EXPECT_NO_THROW(generate::ApplyStoreSchema(store));
  EXPECT_NO_THROW(generate::ApplyStoreSchema(store));
  EXPECT_EQ(store.QueryScalar("SELECT COUNT(*) FROM information_schema.TABLES "
                              "WHERE TABLE_SCHEMA = DATABASE()"),
            "10");
  EXPECT_EQ(store.QueryScalar("SELECT category_name FROM categories "
                              "WHERE category_id = 'cat-twice'"),
            "Lamps");
  store.Execute("DELETE FROM categories WHERE category_id = 'cat-twice'");

  for (const auto& statement : generate::StoreSchemaStatements()) {
    EXPECT_TRUE(statement.starts_with("CREATE TABLE IF NOT EXISTS ")) << statement;
  }
}

TEST_F(StoreSchemaTest, ApplyingWithoutADatabaseSaysSo) {
  auto endpoint = Server().StoreUser();
  endpoint.database.clear();
  auto connection = MysqlConnection::Connect(endpoint);
  try {
    generate::ApplyStoreSchema(connection);
    FAIL() << "expected an error";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no database selected"), std::string::npos) << e.what();
  }
}

TEST_F(StoreSchemaTest, ReplicationUserHasLeastPrivilege) {
  StoreWithSchema();
  auto repl = MysqlConnection::Connect(Server().ReplicationUser());
  std::vector<std::string> grants;
  for (const auto& row : repl.Query("SHOW GRANTS")) {
    grants.push_back(Value(row[0]));
  }
  ASSERT_EQ(grants.size(), 2u) << Join(grants);
  EXPECT_TRUE(grants[0].starts_with(
      "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dms_remote`@`127.0.0.1`"))
      << grants[0];
  EXPECT_EQ(grants[1], "GRANT SELECT ON `ecommerce`.* TO `dms_remote`@`127.0.0.1`");

  // What replication needs works: read the binlog position, read the tables.
  EXPECT_FALSE(repl.Query("SHOW MASTER STATUS").empty());
  EXPECT_NO_THROW(repl.Query("SELECT * FROM customers LIMIT 1"));

  // Nothing else does.
  const auto expect_denied = [&](const std::string& sql, int code) {
    try {
      repl.Execute(sql);
      ADD_FAILURE() << "dms_remote was allowed: " << sql;
    } catch (const SourceError& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find("denied"), std::string::npos) << e.what();
    }
  };
  expect_denied(
      "INSERT INTO customers (customer_id, email, first_name, last_name) "
      "VALUES ('x', 'x@example.com', 'x', 'x')",
      ER_TABLEACCESS_DENIED_ERROR);
  expect_denied("DELETE FROM customers", ER_TABLEACCESS_DENIED_ERROR);
  expect_denied("CREATE TABLE intruder (id INT)", ER_TABLEACCESS_DENIED_ERROR);
  expect_denied("SELECT * FROM mysql.user", ER_TABLEACCESS_DENIED_ERROR);
}

TEST_F(StoreSchemaTest, ServerHasRowBasedBinlogWithFullImagesAndMetadata) {
  // Checked as the replication user: what a source check will see.
  auto repl = MysqlConnection::Connect(Server().ReplicationUser());
  const auto row = repl.Query(
      "SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@binlog_row_metadata, "
      "@@server_id, @@character_set_server, @@collation_server")[0];
  EXPECT_EQ(Value(row[0]), "1");
  EXPECT_EQ(Value(row[1]), "ROW");
  EXPECT_EQ(Value(row[2]), "FULL");
  EXPECT_EQ(Value(row[3]), "FULL");
  EXPECT_EQ(Value(row[4]), "1");
  EXPECT_EQ(Value(row[5]), "utf8mb4");
  EXPECT_EQ(Value(row[6]), "utf8mb4_unicode_ci");

  const auto schema = repl.Query(
      "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
      "WHERE SCHEMA_NAME = 'ecommerce'");
  ASSERT_EQ(schema.size(), 1u);
  EXPECT_EQ(Value(schema[0][0]), "utf8mb4");
  EXPECT_EQ(Value(schema[0][1]), "utf8mb4_unicode_ci");
  EXPECT_TRUE(repl.ServerVersion().find("MariaDB") != std::string::npos) << repl.ServerVersion();
}

TEST_F(StoreSchemaTest, UsersWereCreatedOutsideTheBinlog) {
  // CREATE USER ... IDENTIFIED BY would put the passwords in clear text into
  // the binlog that replication reads.
  auto root = MysqlConnection::Connect(Server().Root());
  std::string events;
  for (const auto& row : root.Query("SHOW BINLOG EVENTS")) {
    events += Value(row[5]) + "\n";
  }
  EXPECT_EQ(events.find(Server().StoreUser().password), std::string::npos);
  EXPECT_EQ(events.find(Server().ReplicationUser().password), std::string::npos);
  EXPECT_EQ(events.find("IDENTIFIED"), std::string::npos) << events;
}

TEST_F(StoreSchemaTest, WrongPasswordSaysAccessDeniedWithoutThePassword) {
  auto endpoint = Server().StoreUser();
  const std::string wrong = "Wr0ng-Passw0rd-" + std::to_string(Server().port());
  endpoint.password = wrong;
  try {
    MysqlConnection::Connect(endpoint);
    FAIL() << "connected with a wrong password";
  } catch (const SourceError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.code(), ER_ACCESS_DENIED_ERROR);
    EXPECT_TRUE(message.starts_with("access denied")) << message;
    EXPECT_NE(message.find("store_app"), std::string::npos) << message;
    EXPECT_NE(message.find("127.0.0.1:" + std::to_string(Server().port())), std::string::npos)
        << message;
    EXPECT_EQ(message.find(wrong), std::string::npos) << message;
    EXPECT_EQ(message.find(Server().StoreUser().password), std::string::npos) << message;
  }
}

TEST_F(StoreSchemaTest, TlsRequiredIsEnforced) {
  // The private server has no TLS configured, so requiring it must fail
  // rather than silently fall back to plain text.
  auto endpoint = Server().StoreUser();
  endpoint.require_tls = true;
  try {
    MysqlConnection::Connect(endpoint);
    FAIL() << "connected without TLS although TLS was required";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("TLS is required but the server at 127.0.0.1:"),
              std::string::npos)
        << e.what();
  }
  // Over the Unix socket (never leaves the machine) it is not required.
  auto root = Server().Root();
  root.require_tls = true;
  EXPECT_NO_THROW(MysqlConnection::Connect(root));
}

TEST(SourceTlsTest, RequiredTlsIsUsedWhenTheServerOffersIt) {
  const testing::TempDir certs("futureim-certs");
  const auto key = certs.path() / "key.pem";
  const auto cert = certs.path() / "cert.pem";
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout '" +
      key.string() + "' -out '" + cert.string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  PrivateMariadb server({"--ssl-cert=" + cert.string(), "--ssl-key=" + key.string()});

  auto endpoint = server.StoreUser();
  endpoint.require_tls = true;
  auto connection = MysqlConnection::Connect(endpoint);
  const auto cipher = connection.Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  ASSERT_EQ(cipher.size(), 1u);
  EXPECT_FALSE(Value(cipher[0][1]).empty());
}

TEST_F(StoreSchemaTest, QueryReturnsNullsAndBinaryValues) {
  auto store = MysqlConnection::Connect(Server().StoreUser());
  const auto rows = store.Query("SELECT NULL, X'610062', 42, '' UNION ALL SELECT 'x', '', 7, NULL");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], std::nullopt);
  EXPECT_EQ(rows[0][1], std::string("a\0b", 3));
  EXPECT_EQ(rows[0][2], "42");
  EXPECT_EQ(rows[0][3], "");
  EXPECT_EQ(rows[1][3], std::nullopt);

  EXPECT_EQ(store.QueryScalar("SELECT 1 FROM DUAL WHERE 1 = 0"), std::nullopt);
  EXPECT_EQ(store.QueryScalar("SELECT NULL"), std::nullopt);
  EXPECT_TRUE(store.Query("DO 1").empty());
  store.Execute("SELECT 1, 2, 3");  // its result is discarded; the connection stays usable

  using namespace std::string_literals;
  const std::string tricky = "O'Reilly \\ \"q\" \n\r\x1a\0end"s;
  EXPECT_EQ(store.QueryScalar("SELECT '" + store.Escape(tricky) + "'"), tricky);

  try {
    store.Execute("SELEKT 'not-in-the-message'");
    FAIL() << "bad SQL was accepted";
  } catch (const SourceError& e) {
    EXPECT_EQ(e.code(), ER_PARSE_ERROR);
    EXPECT_NE(std::string(e.what()).find("store_app@127.0.0.1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store.QueryScalar("SELECT 'still usable'"), "still usable");

  MysqlConnection moved = std::move(store);
  EXPECT_EQ(moved.QueryScalar("SELECT @@character_set_client"), "utf8mb4");
  EXPECT_TRUE(moved.endpoint().password.empty());
}

TEST_F(StoreSchemaTest, LocalInfileOnlyWhenAskedFor) {
  auto store = StoreWithSchema();
  const auto file = Server().dir().parent_path() / "categories.tsv";
  std::ofstream(file) << "cat-a\tLamps\ncat-b\tChairs\n";
  const std::string load = "LOAD DATA LOCAL INFILE '" + store.Escape(file.string()) +
                           "' INTO TABLE categories (category_id, category_name)";
  EXPECT_THROW(store.Execute(load), SourceError);

  source::ConnectOptions options;
  options.local_infile = true;
  auto loader = MysqlConnection::Connect(Server().StoreUser(), options);
  loader.Execute(load);
  EXPECT_EQ(loader.QueryScalar("SELECT COUNT(*) FROM categories WHERE category_id LIKE 'cat-_'"),
            "2");
  loader.Execute("DELETE FROM categories WHERE category_id LIKE 'cat-_'");
}

TEST(SourceConnectionTest, UnreachableServerSaysSo) {
  SourceEndpoint endpoint;
  endpoint.port = 1;  // nothing listens on port 1
  endpoint.user = "nobody";
  try {
    MysqlConnection::Connect(endpoint, std::chrono::seconds(2));
    FAIL() << "connected to port 1";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
}

// The fixture itself: a server that is stopped, restarted and killed keeps its
// data and port, and extra server options apply on every start.
TEST(PrivateMariadbTest, RestartKeepsDataPortAndOptions) {
  PrivateMariadb server({"--binlog-row-image=MINIMAL"});
  const int port = server.port();
  {
    auto store = MysqlConnection::Connect(server.StoreUser());
    generate::ApplyStoreSchema(store);
    store.Execute("INSERT INTO categories (category_id, category_name) VALUES ('k', 'Kept')");
    EXPECT_EQ(store.QueryScalar("SELECT @@binlog_row_image"), "MINIMAL");
  }

  server.Stop();
  EXPECT_FALSE(server.running());
  try {
    MysqlConnection::Connect(server.StoreUser(), std::chrono::seconds(2));
    FAIL() << "connected to a stopped server";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach"), std::string::npos) << e.what();
  }

  server.Start();
  EXPECT_EQ(server.port(), port);
  {
    auto store = MysqlConnection::Connect(server.StoreUser());
    EXPECT_EQ(store.QueryScalar("SELECT category_name FROM categories WHERE category_id = 'k'"),
              "Kept");
    EXPECT_EQ(store.QueryScalar("SELECT @@binlog_row_image"), "MINIMAL");
  }

  server.Kill();
  server.Start();
  EXPECT_EQ(server.port(), port);
  auto store = MysqlConnection::Connect(server.StoreUser());
  EXPECT_EQ(store.QueryScalar("SELECT category_name FROM categories WHERE category_id = 'k'"),
            "Kept");
  const auto dir = server.dir();
  EXPECT_TRUE(std::filesystem::exists(dir / "instance.env"));
  EXPECT_EQ(
      std::filesystem::status(dir / "instance.env").permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

// ---------------------------------------------------------------------------
// SourceEndpoint::FromUri and Describe (no server needed).

TEST(SourceEndpointTest, ParsesAFullUri) {
  const auto e = SourceEndpoint::FromUri("mysql://store_app:s3cret@db.example.com:3307/ecommerce");
  EXPECT_EQ(e.user, "store_app");
  EXPECT_EQ(e.password, "s3cret");
  EXPECT_EQ(e.host, "db.example.com");
  EXPECT_EQ(e.port, 3307);
  EXPECT_EQ(e.database, "ecommerce");
  EXPECT_TRUE(e.socket.empty());
  EXPECT_FALSE(e.require_tls);
}

TEST(SourceEndpointTest, AppliesDefaults) {
  const auto e = SourceEndpoint::FromUri("mariadb://dms_remote@10.0.0.5/ecommerce");
  EXPECT_EQ(e.user, "dms_remote");
  EXPECT_EQ(e.password, "");
  EXPECT_EQ(e.host, "10.0.0.5");
  EXPECT_EQ(e.port, 3306);
  const auto no_database = SourceEndpoint::FromUri("MySQL://u@h");
  EXPECT_EQ(no_database.host, "h");
  EXPECT_EQ(no_database.database, "");
}

TEST(SourceEndpointTest, PercentDecodesEveryPart) {
  const auto e =
      SourceEndpoint::FromUri("mysql://us%40er:p%40ss%3Aw%2Fd%25@127.0.0.1:3306/eco%20db");
  EXPECT_EQ(e.user, "us@er");
  EXPECT_EQ(e.password, "p@ss:w/d%");
  EXPECT_EQ(e.database, "eco db");
  // An unencoded '@' or ':' in a password still parses: the last '@' ends it.
  const auto raw = SourceEndpoint::FromUri("mysql://u:p@ss:w@h:3310/db");
  EXPECT_EQ(raw.user, "u");
  EXPECT_EQ(raw.password, "p@ss:w");
  EXPECT_EQ(raw.host, "h");
  EXPECT_EQ(raw.port, 3310);
}

TEST(SourceEndpointTest, ParsesSocketTlsAndIpv6) {
  const auto socket = SourceEndpoint::FromUri("mysql://root@/ecommerce?socket=%2Ftmp%2Fm.sock");
  EXPECT_EQ(socket.socket, "/tmp/m.sock");
  EXPECT_EQ(socket.host, "localhost");
  EXPECT_EQ(socket.database, "ecommerce");
  const auto plain_socket = SourceEndpoint::FromUri("mysql://root@localhost/db?socket=/run/m.sock");
  EXPECT_EQ(plain_socket.socket, "/run/m.sock");

  EXPECT_TRUE(SourceEndpoint::FromUri("mysql://u@h/db?tls=required").require_tls);
  EXPECT_TRUE(SourceEndpoint::FromUri("mysql://u@h/db?tls=true&socket=/s").require_tls);
  EXPECT_FALSE(SourceEndpoint::FromUri("mysql://u@h/db?tls=preferred").require_tls);

  const auto v6 = SourceEndpoint::FromUri("mysql://u@[::1]:3307/db");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 3307);
}

TEST(SourceEndpointTest, RejectsMalformedUrisSayingWhatIsWrong) {
  struct Case {
    const char* uri;
    const char* says;
  };
  const Case cases[] = {
      {"store_app:Secr3tPw@127.0.0.1:3306/ecommerce", "does not start with mysql://"},
      {"http://u:Secr3tPw@h/db", "unsupported scheme 'http://'"},
      {"mysql://127.0.0.1:3306/ecommerce", "the user is missing"},
      {"mysql://:Secr3tPw@h/db", "the user is empty"},
      {"mysql://u:Secr3tPw@h:99999/db", "the port '99999' is not a number"},
      {"mysql://u:Secr3tPw@h:33o6/db", "the port '33o6' is not a number"},
      {"mysql://u:Secr3tPw@h:/db", "the port after ':' is empty"},
      {"mysql://u:Secr3tPw%zz@h/db", "bad percent-encoding in the password"},
      {"mysql://u:Secr3tPw%4@h/db", "bad percent-encoding in the password"},
      {"mysql://u:Secr3tPw@/db", "the host is missing"},
      {"mysql://u:Secr3tPw@h:1:2/db", "several ':'"},
      {"mysql://u:Secr3tPw@[::1/db", "no closing ']'"},
      {"mysql://u:Secr3tPw@h/a/b", "must not contain '/'"},
      {"mysql://u:Secr3tPw@h/db?sslmode=require", "unknown parameter 'sslmode'"},
      {"mysql://u:Secr3tPw@h/db?tls=maybe", "tls='maybe'"},
      {"mysql://u:Secr3tPw@/db?socket=", "socket= needs a path"},
  };
  for (const auto& c : cases) {
    try {
      SourceEndpoint::FromUri(c.uri);
      ADD_FAILURE() << "accepted " << c.uri;
    } catch (const core::Error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(c.says), std::string::npos) << c.uri << " -> " << message;
      EXPECT_TRUE(message.starts_with("invalid source URI: ")) << message;
      EXPECT_EQ(message.find("Secr3tPw"), std::string::npos) << c.uri << " -> " << message;
    }
  }
}

TEST(SourceEndpointTest, DescribeNeverShowsThePasswordAndRoundTrips) {
  const auto e = SourceEndpoint::FromUri("mysql://dms_remote:Secr3tPw@127.0.0.1:3307/ecommerce");
  EXPECT_EQ(e.Describe(), "mysql://dms_remote@127.0.0.1:3307/ecommerce");

  const auto odd = SourceEndpoint::FromUri(
      "mariadb://us%40er:Secr3tPw@[::1]:3308/eco%20db?socket=/tmp/my%20s.sock&tls=required");
  const std::string described = odd.Describe();
  EXPECT_EQ(described.find("Secr3tPw"), std::string::npos) << described;
  const auto again = SourceEndpoint::FromUri(described);
  EXPECT_EQ(again.user, odd.user);
  EXPECT_EQ(again.password, "");
  EXPECT_EQ(again.host, odd.host);
  EXPECT_EQ(again.socket, odd.socket);
  EXPECT_EQ(again.database, odd.database);
  EXPECT_EQ(again.require_tls, odd.require_tls);
}

}  // namespace
}  // namespace futureim
