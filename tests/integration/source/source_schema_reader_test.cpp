// SourceSchemaReader against a real private MariaDB: the TableMap read from
// information_schema equals, column by column, the TableMap parsed from a
// real TABLE_MAP event of the same table (binlog_row_metadata=FULL).

#include "source/source_schema_reader.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <mysqld_error.h>

#include "source/mysql_connection.h"
#include "support/binlog_capture.h"
#include "support/every_type_table.h"
#include "support/mariadb_suite.h"
#include "support/private_mariadb.h"

namespace futureim {
namespace {

using source::BinlogColumnType;
using source::MysqlConnection;
using source::SourceSchemaReader;
using source::TableMap;
using testing::PrivateMariadb;

class SourceSchemaReaderTest : public testing::PrivateMariadbSuite {
 protected:
  // Creates `table` with `create`, inserts `insert`, and returns the TABLE_MAP
  // the insert was logged with.
  static TableMap LoggedTableMap(const std::string& table, const std::string& create,
                                 const std::string& insert) {
    auto store = MysqlConnection::Connect(Server().StoreUser());
    store.Execute(create);
    const auto start = testing::EndOfBinlog(Server());
    store.Execute(insert);
    const auto end = testing::EndOfBinlog(Server());
    for (auto& map : testing::TableMapsIn(testing::ReadBinlogEvents(Server(), start, end))) {
      if (map.table == table) return map;
    }
    ADD_FAILURE() << "no TABLE_MAP for " << table;
    return {};
  }

  static TableMap CatalogTableMap(const std::string& table) {
    // As the replication user: least privilege must be enough.
    auto repl = MysqlConnection::Connect(Server().ReplicationUser());
    return SourceSchemaReader(repl).ReadTable("ecommerce", table);
  }
};

// Every field a TABLE_MAP with full metadata gives, except table_id/flags.
void ExpectSameTableMap(const TableMap& logged, const TableMap& catalog) {
  EXPECT_EQ(catalog.schema, logged.schema);
  EXPECT_EQ(catalog.table, logged.table);
  EXPECT_TRUE(logged.has_column_names);
  EXPECT_TRUE(catalog.has_column_names);
  ASSERT_EQ(catalog.columns.size(), logged.columns.size());
  for (size_t i = 0; i < logged.columns.size(); ++i) {
    const auto& want = logged.columns[i];
    const auto& got = catalog.columns[i];
    SCOPED_TRACE("column " + std::to_string(i) + " " + want.name + " (" +
                 source::BinlogColumnTypeName(want.type) + ")");
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(source::BinlogColumnTypeName(got.type), source::BinlogColumnTypeName(want.type));
    EXPECT_EQ(got.nullable, want.nullable);
    EXPECT_EQ(got.precision, want.precision);
    EXPECT_EQ(got.scale, want.scale);
    EXPECT_EQ(got.fsp, want.fsp);
    EXPECT_EQ(got.length_bytes, want.length_bytes);
    EXPECT_EQ(got.max_length, want.max_length);
    EXPECT_EQ(got.pack_length, want.pack_length);
    EXPECT_EQ(got.bit_width, want.bit_width);
    EXPECT_EQ(got.is_unsigned, want.is_unsigned);
    EXPECT_EQ(got.collation_id, want.collation_id);
    EXPECT_EQ(got.enum_values, want.enum_values);
    EXPECT_EQ(got.set_values, want.set_values);
    EXPECT_EQ(got.geometry_type, want.geometry_type);
  }
  EXPECT_EQ(catalog.primary_key, logged.primary_key);
  EXPECT_EQ(catalog.primary_key_prefix, logged.primary_key_prefix);
}

TEST_F(SourceSchemaReaderTest, EveryTypeTableEqualsItsTableMap) {
  const auto logged = LoggedTableMap("every_type", testing::CreateEveryTypeTable("every_type"),
                                     "INSERT INTO every_type (id) VALUES (1)");
  ASSERT_EQ(logged.columns.size(), testing::EveryTypeColumns().size());
  ExpectSameTableMap(logged, CatalogTableMap("every_type"));
}

// Types and shapes beyond the every-type table: collations by full name
// (uca1400), other charsets, ENUM/SET with quotes, backslashes and commas,
// wide SETs and ENUMs (2- and 8-byte values), float/decimal/zerofill
// signedness, NOT NULL, geometry subtypes, and a prefix key.
TEST_F(SourceSchemaReaderTest, UnusualColumnsEqualTheirTableMap) {
  std::string wide_enum = "ENUM(";
  for (int i = 0; i < 300; ++i) wide_enum += (i ? ",'v" : "'v") + std::to_string(i) + "'";
  wide_enum += ")";
  std::string wide_set = "SET(";
  for (int i = 0; i < 40; ++i) wide_set += (i ? ",'s" : "'s") + std::to_string(i) + "'";
  wide_set += ")";
  const std::string create =
      "CREATE TABLE unusual (k TEXT NOT NULL, n INT NOT NULL, "
      "u VARCHAR(7) COLLATE utf8mb4_uca1400_ai_ci, cy VARCHAR(9) CHARACTER SET cp1251, "
      "bg CHAR(3) CHARACTER SET big5, u16 VARCHAR(4) CHARACTER SET utf16, "
      "c_l1_255 CHAR(255) CHARACTER SET latin1 NOT NULL DEFAULT '', c_bin CHAR(4) BINARY, "
      "e ENUM('it''s','a\\\\b','x,y','plain') CHARACTER SET latin1, "
      "s SET('a b','c''d') COLLATE utf8mb4_bin, we " +
      wide_enum + ", ws " + wide_set +
      ", fu FLOAT UNSIGNED, f73 FLOAT(7,3), du DOUBLE UNSIGNED, decu DECIMAL(5,5) UNSIGNED, "
      "z INT ZEROFILL, bo BOOLEAN NOT NULL DEFAULT 0, yr YEAR NOT NULL DEFAULT 2000, "
      "ser SERIAL, b64 BIT(64), pt POINT, poly POLYGON, geo GEOMETRY, "
      "PRIMARY KEY (k(10), n)) DEFAULT CHARSET=utf8mb4";
  const auto logged =
      LoggedTableMap("unusual", create, "INSERT INTO unusual (k, n) VALUES ('key', 1)");
  ExpectSameTableMap(logged, CatalogTableMap("unusual"));
  // Spot checks that the comparison compared something.
  const auto catalog = CatalogTableMap("unusual");
  EXPECT_EQ(catalog.columns[8].enum_values,
            (std::vector<std::string>{"it's", "a\\b", "x,y", "plain"}));
  EXPECT_EQ(catalog.columns[10].pack_length, 2);
  EXPECT_EQ(catalog.columns[11].pack_length, 8);
  EXPECT_EQ(catalog.primary_key, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(catalog.primary_key_prefix, (std::vector<uint32_t>{10, 0}));
}

// Without a PRIMARY KEY the server treats the first UNIQUE index over NOT
// NULL columns as the primary key (and says so in TABLE_MAP); in its key
// order, not the columns' order.
TEST_F(SourceSchemaReaderTest, UniqueNotNullKeyActsAsPrimaryKey) {
  const auto logged =
      LoggedTableMap("promoted",
                     "CREATE TABLE promoted (a INT NOT NULL, b VARCHAR(10) NOT NULL, c INT, "
                     "UNIQUE KEY k_c (c), UNIQUE KEY k_ba (b, a))",
                     "INSERT INTO promoted VALUES (1, 'x', 2)");
  const auto catalog = CatalogTableMap("promoted");
  ExpectSameTableMap(logged, catalog);
  EXPECT_EQ(catalog.primary_key, (std::vector<uint32_t>{1, 0}));
}

TEST_F(SourceSchemaReaderTest, TableWithoutKeyHasNoPrimaryKey) {
  const auto logged = LoggedTableMap("keyless", "CREATE TABLE keyless (a INT, b TEXT, KEY (a))",
                                     "INSERT INTO keyless VALUES (1, 'x')");
  const auto catalog = CatalogTableMap("keyless");
  ExpectSameTableMap(logged, catalog);
  EXPECT_TRUE(catalog.primary_key.empty());
}

TEST_F(SourceSchemaReaderTest, ListsBaseTablesSortedAndRefusesMissingTable) {
  auto store = MysqlConnection::Connect(Server().StoreUser());
  store.Execute("CREATE DATABASE IF NOT EXISTS ecommerce");
  store.Execute("CREATE TABLE list_b (id INT PRIMARY KEY)");
  store.Execute("CREATE TABLE list_a (id INT PRIMARY KEY)");
  store.Execute("CREATE VIEW list_view AS SELECT id FROM list_a");
  SourceSchemaReader reader(store);
  const auto tables = reader.ListTables("ecommerce");
  EXPECT_TRUE(std::is_sorted(tables.begin(), tables.end()));
  EXPECT_NE(std::find(tables.begin(), tables.end(), "list_a"), tables.end());
  EXPECT_NE(std::find(tables.begin(), tables.end(), "list_b"), tables.end());
  EXPECT_EQ(std::find(tables.begin(), tables.end(), "list_view"), tables.end());
  EXPECT_TRUE(reader.ListTables("no_such_schema").empty());
  try {
    reader.ReadTable("ecommerce", "no_such_table");
    FAIL() << "reading a missing table did not fail";
  } catch (const source::SourceError& e) {
    EXPECT_EQ(e.code(), ER_NO_SUCH_TABLE);
    EXPECT_NE(std::string(e.what()).find("ecommerce.no_such_table"), std::string::npos);
  }
}

TEST_F(SourceSchemaReaderTest, RefusesATypeItCannotReplicate) {
  auto store = MysqlConnection::Connect(Server().StoreUser());
  store.Execute("CREATE TABLE with_inet6 (id INT PRIMARY KEY, addr INET6)");
  try {
    SourceSchemaReader(store).ReadTable("ecommerce", "with_inet6");
    FAIL() << "an INET6 column was accepted";
  } catch (const source::SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("addr"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("inet6"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace futureim
