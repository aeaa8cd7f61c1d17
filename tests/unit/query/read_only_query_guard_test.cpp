// The read-only guard against hostile SQL, through QueryRunner over a real
// lake on disk (so the lock-down is in place, as in production), plus the
// lock-down alone: what a statement that slipped past the guard could still do.

#include <fstream>
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "query/connection_lockdown.h"
#include "query/lake_views.h"
#include "query/query_error.h"
#include "query/query_runner.h"
#include "support/lake_fixture.h"
#include "support/shop_lake_query_test.h"
#include "support/temp_dir.h"

namespace futureim::query {
namespace {

using ::testing::HasSubstr;

class GuardTest : public testing::ShopLakeQueryTest {
 protected:
};

struct Hostile {
  std::string sql;
  // A fragment the error message must contain: it names why.
  std::string why;
  QueryErrorKind kind = QueryErrorKind::kRejected;
};

std::vector<Hostile> HostileStatements() {
  std::vector<Hostile> cases = {
      // DDL
      {"CREATE TABLE t (a INT)", "DDL"},
      {"CREATE TABLE t AS SELECT * FROM raw.orders", "DDL"},
      {"CREATE VIEW v AS SELECT 1", "DDL"},
      {"DROP VIEW raw.orders", "DDL"},
      {"DROP SCHEMA raw CASCADE", "DDL"},
      {"ALTER VIEW raw.orders RENAME TO x", "DDL"},
      {"CREATE MACRO m(x) AS x + 1", "DDL"},
      {"CREATE MACRO rc(p) AS TABLE SELECT * FROM read_csv(p)", "DDL"},
      {"CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", "DDL"},
      {"CREATE SEQUENCE s", "DDL"},
      {"create or replace temp table x as select 1", "DDL"},
      // DML
      {"INSERT INTO raw.orders VALUES (1)", "DML"},
      {"UPDATE raw.orders SET total = 0", "DML"},
      {"DELETE FROM raw.orders", "DML"},
      {"TRUNCATE raw.orders", "DML"},
      {"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "WITH"},
      // Files
      {"COPY (SELECT * FROM raw.orders) TO '/tmp/futureim-stolen.csv'", "COPY"},
      {"COPY raw.orders FROM '/etc/passwd'", "COPY"},
      {"EXPORT DATABASE '/tmp/futureim-export'", "EXPORT"},
      {"IMPORT DATABASE '/tmp/futureim-export'", "IMPORT"},
      {"SELECT * FROM read_csv('/etc/passwd')", "read_csv"},
      {"SELECT * FROM read_csv_auto('/etc/passwd')", "read_csv_auto"},
      {"SELECT * FROM read_text('/etc/hostname')", "read_text"},
      {"SELECT * FROM read_blob('/etc/shadow')", "read_blob"},
      {"SELECT * FROM read_json('/etc/passwd')", "read_json"},
      {"SELECT * FROM glob('/etc/*')", "glob"},
      {"SELECT * FROM sniff_csv('/etc/passwd')", "sniff_csv"},
      {"SELECT * FROM parquet_metadata('/tmp/x.parquet')", "parquet_metadata"},
      {"SELECT * FROM parquet_schema('/tmp/x.parquet')", "parquet_schema"},
      {"SELECT * FROM read_parquet('/tmp/elsewhere/*.parquet')", "read_parquet"},
      {"SELECT * FROM '/etc/passwd'", "looks like a file"},
      {"SELECT * FROM 'secrets.csv'", "looks like a file"},
      {"SELECT * FROM raw.orders, '/etc/passwd' p", "looks like a file"},
      // ... wherever they hide: CTE, subquery, join, IN, lateral
      {"WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x", "read_csv"},
      {"SELECT * FROM raw.orders WHERE note IN (SELECT column0 FROM read_csv('/etc/passwd'))",
       "read_csv"},
      {"SELECT (SELECT count(*) FROM glob('/*')) AS n", "glob"},
      {"SELECT * FROM raw.orders o JOIN read_text('/etc/hosts') t ON true", "read_text"},
      {"SELECT * FROM (SELECT * FROM (SELECT * FROM read_blob('/etc/passwd')))", "read_blob"},
      {"SELECT * FROM query('SELECT 1')", "query"},
      {"SELECT * FROM query_table('raw.orders')", "query_table"},
      // Configuration, environment, catalogs, extensions
      {"SELECT getenv('HOME')", "getenv"},
      {"SELECT current_setting('allowed_paths')", "current_setting"},
      {"SELECT * FROM duckdb_settings()", "duckdb_settings"},
      {"SELECT * FROM pg_settings", "pg_settings"},
      {"SELECT setting FROM pg_catalog.pg_settings WHERE name = 'allowed_paths'", "pg_settings"},
      {"SELECT * FROM duckdb_databases()", "duckdb_databases"},
      {"SELECT * FROM duckdb_temporary_files()", "duckdb_temporary_files"},
      {"SELECT * FROM duckdb_secrets()", "duckdb_secrets"},
      {"SELECT * FROM duckdb_extensions()", "duckdb_extensions"},
      {"SELECT * FROM pragma_database_size()", "pragma_database_size"},
      {"SELECT * FROM json_execute_serialized_sql('{}')", "json_execute_serialized_sql"},
      {"PRAGMA database_list", "PRAGMA"},
      {"PRAGMA enable_profiling", "PRAGMA"},
      {"SET enable_external_access = true", "SET"},
      {"SET lock_configuration = false", "SET"},
      {"RESET allowed_paths", "RESET"},
      {"SET VARIABLE x = 1", "SET"},
      {"INSTALL httpfs", "INSTALL"},
      {"LOAD httpfs", "LOAD"},
      {"FORCE INSTALL httpfs", "INSTALL"},
      {"ATTACH '/tmp/futureim-other.db' AS other", "ATTACH"},
      {"ATTACH ':memory:' AS scratch", "ATTACH"},
      {"DETACH memory", "DETACH"},
      {"USE raw", "USE"},
      {"CALL pragma_version()", "CALL"},
      {"CALL checkpoint()", "CALL"},
      {"CHECKPOINT", "CHECKPOINT"},
      {"FORCE CHECKPOINT", "FORCE"},
      {"VACUUM", "VACUUM"},
      {"ANALYZE", "ANALYZE"},
      {"EXPLAIN ANALYZE SELECT * FROM raw.orders", "EXPLAIN"},
      {"BEGIN TRANSACTION", "transaction"},
      {"PREPARE p AS SELECT 1", "prepared"},
      {"PIVOT raw.orders ON note USING count(*)", "PIVOT without an IN list"},
      // More than one statement, or none
      {"SELECT 1; DROP VIEW raw.orders", "2 statements"},
      {"SELECT 1; SELECT 2", "2 statements"},
      {"SELECT 1;\n-- harmless?\nDROP VIEW raw.orders", "2 statements"},
      {"/* */ DROP VIEW raw.orders", "DDL"},
      {"/* SELECT */ DELETE FROM raw.orders", "DML"},
      {"-- SELECT 1\nDROP VIEW raw.orders", "DDL"},
      {"(DELETE FROM raw.orders)", "invalid query", QueryErrorKind::kInvalid},
      {"", "empty"},
      {"   \n\t ", "empty"},
      {"-- just a comment", "no statement"},
      {"/* only */ /* comments */", "no statement"},
      {";", "no statement"},
      // Bad text
      {std::string("SELECT 1\0; DROP VIEW raw.orders", 32), "NUL"},
      {"SELECT '\xff\xfe'", "UTF-8"},
      {"SELECT '\xc0\xaf'", "UTF-8"},  // overlong '/'
      {"SELECT 1 /* " + std::string(10 << 20, 'x') + " */", "limit"},
      // COPY cannot hide in a CTE either: DuckDB's grammar refuses it.
      {"WITH x AS (COPY raw.orders TO '/tmp/x.csv') SELECT 1", "invalid query",
       QueryErrorKind::kInvalid},
  };
  return cases;
}

TEST_F(GuardTest, RejectsEveryHostileStatementSayingWhy) {
  const auto cases = HostileStatements();
  ASSERT_GE(cases.size(), 40u);
  for (const Hostile& hostile : cases) {
    const std::string label = hostile.sql.substr(0, 120);
    try {
      runner_->Run(hostile.sql, {});
      ADD_FAILURE() << "accepted: " << label;
    } catch (const QueryError& e) {
      EXPECT_EQ(e.Kind(), hostile.kind) << label << " -> " << e.what();
      EXPECT_THAT(e.what(), HasSubstr(hostile.why)) << label;
    }
  }
  // Nothing changed: the views are intact and no file was written.
  EXPECT_EQ(runner_->Run("SELECT count(*) FROM raw.orders", {}).rows[0][0], "7");
  EXPECT_FALSE(std::filesystem::exists("/tmp/futureim-stolen.csv"));
  EXPECT_FALSE(std::filesystem::exists("/tmp/futureim-export"));
  EXPECT_FALSE(std::filesystem::exists("/tmp/futureim-other.db"));
}

TEST_F(GuardTest, AcceptsLegitimateQueries) {
  const std::vector<std::string> queries = {
      "SELECT * FROM raw.orders",
      "select order_id, total from raw_current.orders order by order_id",
      "FROM curated.orders",
      "VALUES (1, 'a'), (2, 'b')",
      "(SELECT 1 AS one)",
      "SELECT 1; -- a trailing comment is not a statement",
      "/* why */ SELECT 1",
      "WITH big AS (SELECT * FROM raw_current.orders WHERE total > 15) "
      "SELECT count(*), sum(total) FROM big",
      "SELECT c.name, count(o.order_id) FROM raw_current.customers c "
      "LEFT JOIN raw_current.orders o ON o.order_id = c.customer_id GROUP BY ALL",
      "SELECT order_id, total, sum(total) OVER (ORDER BY _seq ROWS UNBOUNDED PRECEDING) AS "
      "running, row_number() OVER (PARTITION BY order_id ORDER BY _seq DESC) AS rn "
      "FROM raw.orders QUALIFY rn = 1",
      "SELECT commit_date, _op, count(*) FROM raw.orders GROUP BY ROLLUP (commit_date, _op)",
      "SELECT s.segment, count(*) FROM demand_insights_engine.customer_segments s "
      "JOIN raw_current.customers c USING (customer_id) GROUP BY 1",
      "SELECT * FROM range(5) r, unnest([1, 2]) u",
      "SELECT * FROM generate_series(1, 3)",
      "SELECT table_schema, table_name FROM information_schema.tables",
      "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal",
      "DESCRIBE raw.orders",
      "SUMMARIZE raw_current.orders",
      "SHOW TABLES",
      "SELECT * FROM (PIVOT raw.orders ON _op IN ('L', 'I', 'U', 'D') USING count(*))",
      "PIVOT raw.orders ON _op IN ('L', 'I', 'U', 'D') USING count(*)",
      "SELECT 'ünïcödé ✓' AS text, 'it''s' AS quote",
      "SELECT 'DROP TABLE x; -- not a statement' AS text",
  };
  for (const auto& sql : queries) {
    try {
      runner_->Run(sql, {});
    } catch (const QueryError& e) {
      ADD_FAILURE() << sql << " -> " << e.what();
    }
  }
}

TEST_F(GuardTest, TrailingCommentIsNotExecuted) {
  const auto result = runner_->Run("SELECT count(*) FROM raw.orders; -- DROP VIEW raw.orders", {});
  EXPECT_EQ(result.rows[0][0], "7");
  EXPECT_EQ(runner_->Run("SELECT count(*) FROM raw.orders", {}).rows[0][0], "7");
}

TEST_F(GuardTest, SyntaxAndBindErrorsAreInvalidNotRejected) {
  for (const char* sql :
       {"SELEC 1", "SELECT * FROM raw.no_such_table", "SELECT nope FROM raw.orders"}) {
    try {
      runner_->Run(sql, {});
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const QueryError& e) {
      EXPECT_EQ(e.Kind(), QueryErrorKind::kInvalid) << sql << " -> " << e.what();
    }
  }
}

// The last layer alone: SQL run straight on a locked-down connection, as if
// the guard had let it through.
class LockDownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::LakeFixtureWriter lake(dir_.path() / "lake");
    testing::WriteShopLake(lake);
    outside_ = lake.Copy("SELECT 42 AS secret", dir_.path() / "outside.parquet");
    std::ofstream(dir_.path() / "outside.csv") << "secret\n42\n";
    engine::Connection setup(database_);
    catalog_ = CreateLakeViews(setup, dir_.path() / "lake");
    LockDownToFiles(setup, catalog_.files);
  }

  // DuckDB's error for `sql`, or "" when it ran.
  std::string ErrorOf(const std::string& sql) {
    try {
      connection_.Execute(sql);
      return "";
    } catch (const engine::DuckDbError& e) {
      return e.what();
    }
  }

  testing::TempDir dir_{"query-lockdown"};
  engine::Database database_;
  engine::Connection connection_{database_};
  LakeViewCatalog catalog_;
  std::filesystem::path outside_;
};

TEST_F(LockDownTest, ViewsStillWork) {
  EXPECT_EQ(connection_.Query("SELECT count(*) FROM raw.orders").ScalarInt64(), 7);
  EXPECT_EQ(connection_.Query("SELECT count(*) FROM raw_current.customers").ScalarInt64(), 1);
  EXPECT_EQ(connection_.Query("SELECT count(*) FROM curated.orders").ScalarInt64(), 2);
  EXPECT_EQ(connection_.Query("SELECT count(*) FROM demand_insights_engine.customer_segments")
                .ScalarInt64(),
            2);
}

TEST_F(LockDownTest, NoOtherFileCanBeReadOrWritten) {
  const auto lake = dir_.path() / "lake";
  const auto uncommitted =
      lake / "raw/ecommerce/orders/commit_date=2024-01-03/c0000000004_000000.parquet";
  ASSERT_TRUE(std::filesystem::exists(uncommitted));
  const std::vector<std::string> attempts = {
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM '/etc/passwd'",
      "SELECT * FROM read_text('/etc/hostname')",
      "SELECT * FROM read_blob('" + outside_.string() + "')",
      "SELECT * FROM read_parquet('" + outside_.string() + "')",
      "SELECT * FROM read_csv('" + (dir_.path() / "outside.csv").string() + "')",
      // Even inside the lake: uncommitted files, manifests, folders.
      "SELECT * FROM read_parquet('" + uncommitted.string() + "')",
      "SELECT * FROM read_text('" + (lake / "raw/_futureim/replication/manifest.json").string() +
          "')",
      "SELECT * FROM glob('" + lake.string() + "/**')",
      "SELECT * FROM parquet_metadata('" + outside_.string() + "')",
      "SELECT * FROM sniff_csv('/etc/passwd')",
      "COPY (SELECT 1) TO '" + (lake / "raw/evil.csv").string() + "'",
      "COPY (SELECT 1) TO '" + (dir_.path() / "evil.csv").string() + "'",
      "ATTACH '" + (dir_.path() / "other.db").string() + "' AS other",
      "INSTALL httpfs",
      "LOAD httpfs",
      "SET enable_external_access = true",
      "SET allowed_directories = ['/']",
      "SET allowed_paths = ['/etc/passwd']",
      "RESET allowed_paths",
      "SET lock_configuration = false",
      "SET temp_directory = '/tmp'",
  };
  for (const auto& sql : attempts) {
    const std::string error = ErrorOf(sql);
    EXPECT_FALSE(error.empty()) << "ran: " << sql;
  }
  EXPECT_FALSE(std::filesystem::exists(lake / "raw/evil.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "evil.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "other.db"));
  // The settings survived every attempt.
  EXPECT_EQ(
      connection_.Query("SELECT current_setting('enable_external_access')::VARCHAR").ScalarText(),
      "false");
  EXPECT_EQ(connection_.Query("SELECT count(*) FROM raw.orders").ScalarInt64(), 7);
}

TEST_F(LockDownTest, EmbeddedDuckDbHasNoGetenv) {
  EXPECT_THAT(ErrorOf("SELECT getenv('HOME')"), HasSubstr("does not exist"));
}

}  // namespace
}  // namespace futureim::query
