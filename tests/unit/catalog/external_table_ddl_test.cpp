// The DDL text per dialect, and the type mapping for every lake type the
// replicator writes (replicate/raw_table_schema.h), read back from a real
// Parquet file as the crawler sees it.

#include "catalog/external_table_ddl.h"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "engine/duckdb.h"
#include "replicate/raw_table_schema.h"
#include "support/temp_dir.h"

namespace futureim::catalog {
namespace {

using replicate::RawValueKind;
using source::BinlogColumnType;

CatalogTable RawOrders() {
  CatalogTable table;
  table.tier = "raw";
  table.schema = "ecommerce";
  table.name = "orders";
  table.view = "raw.orders";
  table.location = "raw/ecommerce/orders/";
  table.rows = 7;
  table.files = 3;
  table.columns = {{"order_id", "INTEGER", false},
                   {"total", "DECIMAL(12,2)", false},
                   {"note", "VARCHAR", false},
                   {"placed_at", "TIMESTAMP", false},
                   {"_commit_ts", "TIMESTAMP WITH TIME ZONE", false},
                   {"commit_date", "VARCHAR", true}};
  return table;
}

TEST(ExternalTableDdlTest, AthenaDeclaresPartitionsApartAndRepairs) {
  EXPECT_EQ(ExternalTableDdl(RawOrders(), SqlDialect::kAthena, "s3://shop-lake/prod/"),
            "-- raw.orders (raw): 7 rows in 3 files\n"
            "CREATE EXTERNAL TABLE IF NOT EXISTS `raw`.`orders` (\n"
            "  `order_id` int,\n"
            "  `total` decimal(12,2),\n"
            "  `note` string,\n"
            "  `placed_at` timestamp,\n"
            "  `_commit_ts` timestamp\n"
            ")\n"
            "PARTITIONED BY (`commit_date` string)\n"
            "STORED AS PARQUET\n"
            "LOCATION 's3://shop-lake/prod/raw/ecommerce/orders/';\n"
            "MSCK REPAIR TABLE `raw`.`orders`;\n");
}

TEST(ExternalTableDdlTest, TrinoListsThePartitionColumnLast) {
  EXPECT_EQ(ExternalTableDdl(RawOrders(), SqlDialect::kTrino, "s3://shop-lake/"),
            "-- raw.orders (raw): 7 rows in 3 files\n"
            "CREATE TABLE IF NOT EXISTS \"raw\".\"orders\" (\n"
            "  \"order_id\" integer,\n"
            "  \"total\" decimal(12,2),\n"
            "  \"note\" varchar,\n"
            "  \"placed_at\" timestamp,\n"
            "  \"_commit_ts\" timestamp,\n"
            "  \"commit_date\" varchar\n"
            ")\n"
            "WITH (\n"
            "  external_location = 's3://shop-lake/raw/ecommerce/orders/',\n"
            "  format = 'PARQUET',\n"
            "  partitioned_by = ARRAY['commit_date']\n"
            ");\n"
            "CALL system.sync_partition_metadata('raw', 'orders', 'ADD');\n");
}

TEST(ExternalTableDdlTest, SparkUsesParquetAndS3a) {
  EXPECT_EQ(ExternalTableDdl(RawOrders(), SqlDialect::kSpark, "s3://shop-lake/"),
            "-- raw.orders (raw): 7 rows in 3 files\n"
            "CREATE TABLE IF NOT EXISTS `raw`.`orders` (\n"
            "  `order_id` INT,\n"
            "  `total` DECIMAL(12,2),\n"
            "  `note` STRING,\n"
            "  `placed_at` TIMESTAMP_NTZ,\n"
            "  `_commit_ts` TIMESTAMP,\n"
            "  `commit_date` STRING\n"
            ")\n"
            "USING PARQUET\n"
            "PARTITIONED BY (`commit_date`)\n"
            "LOCATION 's3a://shop-lake/raw/ecommerce/orders/';\n"
            "MSCK REPAIR TABLE `raw`.`orders`;\n");
}

TEST(ExternalTableDdlTest, RunTablesPointAtTheCurrentRunWithoutPartitions) {
  CatalogTable table;
  table.tier = "prod";
  table.system = "demand_insights_engine";
  table.name = "customer_segments";
  table.view = "demand_insights_engine.customer_segments";
  table.location = "prod/demand_insights_engine/customer_segments/run=r2/";
  table.current_run = "r2";
  table.encrypted = true;
  table.columns = {
      {"customer_id", "BIGINT", false}, {"segment", "VARCHAR", false}, {"photo", "BLOB", false}};
  const std::string ddl = ExternalTableDdl(table, SqlDialect::kTrino, "file:///var/lake/");
  EXPECT_NE(ddl.find("-- points at run r2"), std::string::npos) << ddl;
  EXPECT_NE(ddl.find("-- its files are encrypted"), std::string::npos) << ddl;
  EXPECT_NE(ddl.find("  \"photo\" varbinary\n"), std::string::npos) << ddl;
  EXPECT_NE(ddl.find("external_location = "
                     "'file:///var/lake/prod/demand_insights_engine/customer_segments/run=r2/',\n"
                     "  format = 'PARQUET'\n);\n"),
            std::string::npos)
      << ddl;
  EXPECT_EQ(ddl.find("partitioned_by"), std::string::npos) << ddl;
  EXPECT_EQ(ddl.find("sync_partition_metadata"), std::string::npos) << ddl;
}

TEST(ExternalTableDdlTest, QuotesIdentifiersAndLiterals) {
  CatalogTable table = RawOrders();
  table.columns = {{"we`ird\"name", "INTEGER", false}};
  table.location = "raw/shop/it's/";
  EXPECT_NE(ExternalTableDdl(table, SqlDialect::kSpark, "file:///l/").find("`we``ird\"name` INT"),
            std::string::npos);
  const std::string trino = ExternalTableDdl(table, SqlDialect::kTrino, "file:///l/");
  EXPECT_NE(trino.find("\"we`ird\"\"name\" integer"), std::string::npos) << trino;
  EXPECT_NE(trino.find("'file:///l/raw/shop/it''s/'"), std::string::npos) << trino;
}

TEST(ExternalTableDdlTest, UnreadableTypesAndEmptyTablesBecomeComments) {
  for (const char* type :
       {"HUGEINT", "UBIGINT", "UINTEGER", "UUID", "INTERVAL", "TIME", "STRUCT(a INTEGER)",
        "MAP(VARCHAR, INTEGER)", "DECIMAL(39,0)", "DECIMAL(12)", "DECIMAL(x,2)"}) {
    for (auto dialect : {SqlDialect::kAthena, SqlDialect::kTrino, SqlDialect::kSpark}) {
      EXPECT_FALSE(ExternalColumnType(type, dialect)) << type;
    }
    CatalogTable table = RawOrders();
    table.columns.insert(table.columns.begin(), {"odd", type, false});
    EXPECT_EQ(ExternalTableDdl(table, SqlDialect::kTrino, "s3://b/"),
              std::string("-- skipped raw.orders: column odd has type ") + type +
                  ", which Trino cannot read from Parquet\n");
  }
  CatalogTable empty = RawOrders();
  empty.columns.clear();
  empty.error = "no committed files yet";
  EXPECT_EQ(ExternalTableDdl(empty, SqlDialect::kAthena, "s3://b/"),
            "-- skipped raw.orders: no committed files yet\n");
  EXPECT_EQ(ExternalColumnType("INTEGER[]", SqlDialect::kTrino), "array(integer)");
  EXPECT_EQ(ExternalColumnType("VARCHAR[]", SqlDialect::kAthena), "array<string>");
  EXPECT_EQ(ExternalColumnType("DOUBLE[]", SqlDialect::kSpark), "ARRAY<DOUBLE>");
}

TEST(ExternalTableDdlTest, LakeDdlCreatesEachSchemaOnce) {
  LakeCatalog catalog;
  catalog.tables.push_back(RawOrders());
  CatalogTable customers = RawOrders();
  customers.view = "raw.customers";
  customers.location = "raw/ecommerce/customers/";
  catalog.tables.push_back(customers);
  const std::string ddl = LakeDdl(catalog, SqlDialect::kTrino, "s3://b/");
  EXPECT_NE(ddl.find("CREATE SCHEMA IF NOT EXISTS \"raw\";\n"), std::string::npos) << ddl;
  EXPECT_EQ(ddl.find("CREATE SCHEMA"), ddl.rfind("CREATE SCHEMA")) << ddl;
  EXPECT_NE(ddl.find("\"raw\".\"orders\""), std::string::npos);
  EXPECT_NE(ddl.find("\"raw\".\"customers\""), std::string::npos);
  EXPECT_NE(
      LakeDdl(catalog, SqlDialect::kSpark, "s3://b/").find("CREATE DATABASE IF NOT EXISTS `raw`;"),
      std::string::npos);
}

TEST(ExternalTableDdlTest, ParsesDialects) {
  EXPECT_EQ(ParseSqlDialect("athena"), SqlDialect::kAthena);
  EXPECT_EQ(ParseSqlDialect("Trino"), SqlDialect::kTrino);
  EXPECT_EQ(ParseSqlDialect("spark"), SqlDialect::kSpark);
  EXPECT_FALSE(ParseSqlDialect("hive"));
}

// One source column of every kind the replicator maps (raw_table_schema.cpp).
source::BinlogColumn SourceColumn(BinlogColumnType type, const std::string& name,
                                  bool is_unsigned = false) {
  source::BinlogColumn column;
  column.type = type;
  column.name = name;
  column.is_unsigned = is_unsigned;
  return column;
}

std::vector<source::BinlogColumn> EverySourceColumn() {
  std::vector<source::BinlogColumn> columns = {
      SourceColumn(BinlogColumnType::kTiny, "tiny"),
      SourceColumn(BinlogColumnType::kTiny, "tiny_u", true),
      SourceColumn(BinlogColumnType::kShort, "small"),
      SourceColumn(BinlogColumnType::kShort, "small_u", true),
      SourceColumn(BinlogColumnType::kInt24, "medium"),
      SourceColumn(BinlogColumnType::kLong, "int"),
      SourceColumn(BinlogColumnType::kLong, "int_u", true),
      SourceColumn(BinlogColumnType::kLongLong, "big"),
      SourceColumn(BinlogColumnType::kLongLong, "big_u", true),
      SourceColumn(BinlogColumnType::kYear, "year"),
      SourceColumn(BinlogColumnType::kFloat, "float"),
      SourceColumn(BinlogColumnType::kDouble, "double"),
      SourceColumn(BinlogColumnType::kNewDate, "date"),
      SourceColumn(BinlogColumnType::kDatetime2, "datetime"),
      SourceColumn(BinlogColumnType::kTimestamp2, "timestamp"),
      SourceColumn(BinlogColumnType::kTime2, "time"),
      SourceColumn(BinlogColumnType::kEnum, "enum"),
      SourceColumn(BinlogColumnType::kSet, "set"),
      SourceColumn(BinlogColumnType::kJson, "json"),
      SourceColumn(BinlogColumnType::kGeometry, "geometry"),
  };
  auto bit = SourceColumn(BinlogColumnType::kBit, "bit8");
  bit.bit_width = 8;
  columns.push_back(bit);
  bit.name = "bit64";
  bit.bit_width = 64;
  columns.push_back(bit);
  for (auto [name, precision, scale] :
       {std::tuple{"dec", 12, 2}, std::tuple{"dec38", 38, 10}, std::tuple{"dec65", 65, 30}}) {
    auto decimal = SourceColumn(BinlogColumnType::kNewDecimal, name);
    decimal.precision = precision;
    decimal.scale = scale;
    columns.push_back(decimal);
  }
  for (auto type :
       {BinlogColumnType::kVarchar, BinlogColumnType::kString, BinlogColumnType::kBlob}) {
    auto text = SourceColumn(type, "text_" + std::to_string(static_cast<int>(type)));
    text.collation_id = 45;  // utf8mb4_general_ci
    columns.push_back(text);
    auto binary = SourceColumn(type, "binary_" + std::to_string(static_cast<int>(type)));
    binary.collation_id = source::kBinaryCollation;
    columns.push_back(binary);
  }
  return columns;
}

struct Expected {
  std::string spark;
  std::string trino;
};

Expected ExpectedFor(const replicate::RawColumn& column) {
  const std::string precision = std::to_string(column.decimal_width);
  const std::string scale = std::to_string(column.decimal_scale);
  switch (column.kind) {
    case RawValueKind::kTinyInt:
      return {"TINYINT", "tinyint"};
    case RawValueKind::kSmallInt:
      return {"SMALLINT", "smallint"};
    case RawValueKind::kInteger:
      return {"INT", "integer"};
    case RawValueKind::kBigInt:
    case RawValueKind::kTimeMicros:
      return {"BIGINT", "bigint"};
    case RawValueKind::kUnsignedBigInt:
      return {"DECIMAL(20,0)", "decimal(20,0)"};
    case RawValueKind::kDecimal:
      return {"DECIMAL(" + precision + "," + scale + ")",
              "decimal(" + precision + "," + scale + ")"};
    case RawValueKind::kWideDecimal:
    case RawValueKind::kText:
      return {"STRING", "varchar"};
    case RawValueKind::kFloat:
      return {"FLOAT", "real"};
    case RawValueKind::kDouble:
      return {"DOUBLE", "double"};
    case RawValueKind::kDate:
      return {"DATE", "date"};
    case RawValueKind::kTimestamp:
      return {"TIMESTAMP_NTZ", "timestamp"};
    case RawValueKind::kTimestampTz:
      return {"TIMESTAMP", "timestamp"};
    case RawValueKind::kBlob:
      return {"BINARY", "varbinary"};
  }
  return {};
}

TEST(ExternalTableDdlTest, MapsEveryRawTypeTheReplicatorWritesAsParquetReadsBack) {
  source::TableMap map;
  map.schema = "shop";
  map.table = "every_type";
  map.has_column_names = true;
  map.columns = EverySourceColumn();
  const auto schema = replicate::RawTableSchema::FromTableMap(map);

  // Write a real Parquet file with those lake types (plus the change
  // columns, as RawChangeWriter declares them) and read its schema back, as
  // the crawler does: that text is what ExternalColumnType maps.
  testing::TempDir dir;
  const auto file = dir.path() / "every_type.parquet";
  std::string select;
  for (const auto& column : schema.columns) {
    select += (select.empty() ? "" : ", ") + std::string("CAST(NULL AS ") + column.sql_type +
              ") AS \"" + column.name + "\"";
  }
  select += ", 'I'::VARCHAR AS _op, now()::TIMESTAMPTZ AS _commit_ts, 1::BIGINT AS _seq";
  engine::Database database;
  engine::Connection connection(database);
  connection.Execute("COPY (SELECT " + select + ") TO '" + file.string() + "' (FORMAT parquet)");
  std::map<std::string, std::string> parquet_types;
  for (const auto& row :
       connection.Query("DESCRIBE SELECT * FROM read_parquet('" + file.string() + "')")
           .FetchAllAsText()) {
    parquet_types[*row[0]] = *row[1];
  }

  std::set<RawValueKind> kinds;
  for (const auto& column : schema.columns) {
    kinds.insert(column.kind);
    const std::string& type = parquet_types.at(column.name);
    const Expected expected = ExpectedFor(column);
    EXPECT_EQ(ExternalColumnType(type, SqlDialect::kSpark), expected.spark)
        << column.name << " (" << type << ")";
    EXPECT_EQ(ExternalColumnType(type, SqlDialect::kTrino), expected.trino)
        << column.name << " (" << type << ")";
    EXPECT_TRUE(ExternalColumnType(type, SqlDialect::kAthena))
        << column.name << " (" << type << ")";
  }
  EXPECT_EQ(kinds.size(), 15u) << "a RawValueKind is not covered";
  EXPECT_EQ(ExternalColumnType(parquet_types.at("_op"), SqlDialect::kSpark), "STRING");
  EXPECT_EQ(ExternalColumnType(parquet_types.at("_commit_ts"), SqlDialect::kSpark), "TIMESTAMP");
  EXPECT_EQ(ExternalColumnType(parquet_types.at("_commit_ts"), SqlDialect::kTrino), "timestamp");
  EXPECT_EQ(ExternalColumnType(parquet_types.at("_seq"), SqlDialect::kTrino), "bigint");
}

}  // namespace
}  // namespace futureim::catalog
