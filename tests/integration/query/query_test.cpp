// futureim query end to end over a real lake on disk: the views (raw,
// raw_current, curated, prod), the commit protocol (uncommitted and
// in-progress files invisible), the time and row limits, the output formats,
// and the real binary.

#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "query/query_error.h"
#include "query/query_runner.h"
#include "query/result_format.h"
#include "support/lake_fixture.h"
#include "support/shop_lake_query_test.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::query {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Rows = std::vector<std::vector<QueryValue>>;

class QueryTest : public testing::ShopLakeQueryTest {
 protected:
  static Rows RowsOf(const std::string& sql) { return runner_->Run(sql, {}).rows; }
};

TEST_F(QueryTest, CatalogHasEveryPublishedTableAndSaysWhatItSkipped) {
  const auto catalog = runner_->Catalog();
  std::vector<std::string> names;
  for (const auto& view : catalog.views) names.push_back(view.schema + "." + view.name);
  // Every raw view first: a raw_current view may read its parents' raw views.
  EXPECT_THAT(names, ElementsAre("raw.customers", "raw.orders", "raw_current.customers",
                                 "raw_current.orders", "curated.orders",
                                 "demand_insights_engine.customer_segments"));
  EXPECT_THAT(catalog.skipped, ElementsAre("curated.drafts: no published run yet"));
}

TEST_F(QueryTest, RawViewShowsOnlyCommittedChangesWithMetadataColumns) {
  const auto result = runner_->Run(
      "SELECT order_id, total, _op, _seq, commit_date, _commit_ts FROM raw.orders ORDER BY _seq",
      {});
  EXPECT_EQ(result.columns[4].type, "DATE");
  EXPECT_EQ(result.columns[5].type, "TIMESTAMP WITH TIME ZONE");
  ASSERT_EQ(result.rows.size(), 7u);  // not order 99 (commit 4) nor 98 (in progress)
  EXPECT_EQ(result.rows[0], (std::vector<QueryValue>{"1", "10.00", "L", "1", "2024-01-01",
                                                     "2024-01-01 10:00:00+00"}));
  EXPECT_EQ(result.rows[6], (std::vector<QueryValue>{"2", "22.00", "I", "7", "2024-01-02",
                                                     "2024-01-02 09:30:00+00"}));
  EXPECT_EQ(RowsOf("SELECT count(*) FROM raw.orders WHERE order_id IN (98, 99)")[0][0], "0");
}

TEST_F(QueryTest, RawCurrentAppliesUpdatesDeletesAndReinserts) {
  EXPECT_EQ(
      RowsOf("SELECT order_id, total, _op FROM raw_current.orders ORDER BY order_id"),
      (Rows{{"1", "11.00", "U"}, {"2", "22.00", "I"}, {"3", "30.00", "L"}, {"4", "40.00", "I"}}));
}

TEST_F(QueryTest, RawCurrentForgetsEverythingBeforeATruncateMarker) {
  EXPECT_EQ(RowsOf("SELECT customer_id, name, _seq FROM raw_current.customers"),
            (Rows{{"3", "Cyd", "12"}}));
  // The raw view still has the whole history, marker included.
  EXPECT_EQ(RowsOf("SELECT count(*), count(*) FILTER (_op = 'T') FROM raw.customers"),
            (Rows{{"5", "1"}}));
}

TEST_F(QueryTest, CuratedAndProdViewsReadTheCurrentRun) {
  EXPECT_EQ(RowsOf("SELECT order_id, total FROM curated.orders ORDER BY 1"),
            (Rows{{"1", "11.0"}, {"3", "30.0"}}));
  EXPECT_EQ(RowsOf("SELECT * FROM demand_insights_engine.customer_segments ORDER BY 1"),
            (Rows{{"1", "loyal"}, {"3", "new"}}));
}

TEST_F(QueryTest, RefreshPicksUpNewCommitsAndRuns) {
  testing::TempDir dir("query-refresh");
  testing::LakeFixtureWriter lake(dir.path() / "lake");
  testing::WriteShopLake(lake);
  QueryRunner runner(dir.path() / "lake");
  EXPECT_EQ(runner.Run("SELECT count(*) FROM raw.orders", {}).rows[0][0], "7");
  // Commit 4 reaches the manifest; curated.orders gets a new run.
  lake.WriteManifest(
      R"({"commit": 4, "tables": {"ecommerce.orders": {"primary_key": ["order_id"]}}})");
  lake.WriteRun(lake::RunTierLayout::Curated(lake.root()), "orders", "r3", "SELECT 7 AS order_id",
                true);
  EXPECT_EQ(runner.Run("SELECT count(*) FROM raw.orders", {}).rows[0][0], "7");
  runner.Refresh();
  EXPECT_EQ(runner.Run("SELECT count(*) FROM raw.orders", {}).rows[0][0], "8");
  EXPECT_EQ(runner.Run("SELECT count(*) FROM raw_current.orders", {}).rows[0][0], "5");
  EXPECT_EQ(runner.Run("SELECT order_id FROM curated.orders", {}).rows, (Rows{{"7"}}));
}

TEST_F(QueryTest, NoManifestMeansNoCurrentViews) {
  testing::TempDir dir("query-no-manifest");
  testing::LakeFixtureWriter lake(dir.path() / "lake");
  lake.WriteRawFile("shop", "items", "2024-01-01", 0, 0, "SELECT 1 AS id, 'L' AS _op, 1 AS _seq");
  QueryRunner runner(dir.path() / "lake");
  // Without a manifest nothing is committed (commit 0 is the first).
  EXPECT_EQ(runner.Run("SELECT count(*) FROM raw.items", {}).rows[0][0], "1");
  EXPECT_THAT(runner.Catalog().skipped, ElementsAre("raw_current.items: no replication manifest"));
}

TEST_F(QueryTest, TimeLimitInterruptsASlowQuery) {
  const auto start = std::chrono::steady_clock::now();
  try {
    runner_->Run("SELECT sum(a.range * b.range % 7) FROM range(100000000) a, range(100000) b",
                 {.timeout = std::chrono::milliseconds(500)});
    FAIL() << "a query of hours finished";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.Kind(), QueryErrorKind::kTimedOut);
    EXPECT_STREQ(e.what(), "query timed out after 0.5 s");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // The runner is fine afterwards.
  EXPECT_EQ(RowsOf("SELECT 1")[0][0], "1");
}

TEST_F(QueryTest, RowLimitStopsEarlyAndSaysSo) {
  const auto limited = runner_->Run("SELECT * FROM range(100000) ORDER BY 1", {.max_rows = 5});
  EXPECT_TRUE(limited.truncated);
  EXPECT_EQ(limited.rows, (Rows{{"0"}, {"1"}, {"2"}, {"3"}, {"4"}}));
  // Exactly at the limit is not truncated; a chunk boundary (2048) either.
  EXPECT_FALSE(runner_->Run("SELECT * FROM range(5)", {.max_rows = 5}).truncated);
  EXPECT_FALSE(runner_->Run("SELECT * FROM range(2048)", {.max_rows = 2048}).truncated);
  EXPECT_TRUE(runner_->Run("SELECT * FROM range(2049)", {.max_rows = 2048}).truncated);
  // Streaming: 10^12 rows, but only the first 3 are ever computed.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(runner_->Run("SELECT * FROM range(1000000000000)", {.max_rows = 3}).truncated);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(QueryTest, RunsConcurrentlyFromSeveralThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> ok = 0;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 10; ++k) {
        if (runner_->Run("SELECT count(*) FROM raw_current.orders", {}).rows[0][0] == "4") ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, 40);
}

TEST_F(QueryTest, MemoryLimitApplies) {
  testing::TempDir dir("query-memory");
  std::filesystem::create_directories(dir.path() / "lake");
  QueryRunner runner(dir.path() / "lake", {.memory_limit = "64MB"});
  try {
    runner.Run("SELECT list(range) FROM range(100000000)", {});
    FAIL() << "ran past the memory limit";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.Kind(), QueryErrorKind::kFailed);
    EXPECT_THAT(e.what(), HasSubstr("memory"));
  }
}

TEST_F(QueryTest, ThreeOutputFormats) {
  const auto result = runner_->Run(
      "SELECT order_id, total, note || ', \"x\"' AS note, NULL::VARCHAR AS missing, "
      "'\\x00\\xFF'::BLOB AS bytes, true AS flag, 1.5::DOUBLE AS ratio "
      "FROM raw_current.orders ORDER BY order_id LIMIT 2",
      {});
  EXPECT_EQ(FormatAsCsv(result),
            "order_id,total,note,missing,bytes,flag,ratio\r\n"
            "1,11.00,\"o1, \"\"x\"\"\",,\\x00\\xFF,true,1.5\r\n"
            "2,22.00,\"o2, \"\"x\"\"\",,\\x00\\xFF,true,1.5\r\n");
  const auto json = nlohmann::json::parse(FormatAsJson(result));
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0], nlohmann::json::parse(R"({"order_id": 1, "total": "11.00", "note": "o1, \"x\"",
      "missing": null, "bytes": "AP8=", "flag": true, "ratio": 1.5})"));
  EXPECT_EQ(FormatAsTable(result),
            "order_id | total | note    | missing | bytes    | flag | ratio\n"
            "---------+-------+---------+---------+----------+------+------\n"
            "       1 | 11.00 | o1, \"x\" | NULL    | \\x00\\xFF | true |   1.5\n"
            "       2 | 22.00 | o2, \"x\" | NULL    | \\x00\\xFF | true |   1.5\n"
            "(2 rows)\n");
}

TEST_F(QueryTest, NestedTypesAreShownAsDuckDbText) {
  const auto result = runner_->Run(
      "SELECT order_id, list(total ORDER BY _seq) AS totals, {'op': last(_op ORDER BY _seq)} AS s, "
      "map([1], ['x']) AS m FROM raw.orders GROUP BY order_id ORDER BY order_id LIMIT 2",
      {});
  EXPECT_EQ(result.columns[1].type, "DECIMAL(10,2)[]");
  EXPECT_EQ(result.columns[1].json_kind, JsonKind::kString);
  EXPECT_EQ(result.columns[0].json_kind, JsonKind::kNumber);
  EXPECT_EQ(result.rows, (Rows{{"1", "[10.00, 11.00]", "{'op': U}", "{1=x}"},
                               {"2", "[20.00, 20.00, 22.00]", "{'op': I}", "{1=x}"}}));
  // Same names, same order, also when names repeat.
  EXPECT_EQ(runner_->Run("SELECT [1] AS a, 2 AS a", {}).rows, (Rows{{"[1]", "2"}}));
}

// ---------------------------------------------------------------------------
// The real binary.

class QueryCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Futureim({"init"}).exit_code, 0);
    testing::LakeFixtureWriter lake(workdir_.path() / "lake");
    testing::WriteShopLake(lake);
  }

  testing::ProcessResult Futureim(std::vector<std::string> args,
                                  std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), testing::FutureimBinary());
    env["FUTUREIM_WORKDIR"] = workdir_.path().string();
    env["FUTUREIM_LOG_FORMAT"] = "json";
    return testing::RunProcess(args, env);
  }

  testing::TempDir workdir_{"query-cli"};
};

TEST_F(QueryCliTest, PrintsEachFormat) {
  const char* sql = "SELECT order_id, total FROM raw_current.orders ORDER BY 1";
  auto table = Futureim({"query", sql});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out,
            "order_id | total\n"
            "---------+------\n"
            "       1 | 11.00\n"
            "       2 | 22.00\n"
            "       3 | 30.00\n"
            "       4 | 40.00\n"
            "(4 rows)\n");
  auto csv = Futureim({"query", sql, "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, "order_id,total\r\n1,11.00\r\n2,22.00\r\n3,30.00\r\n4,40.00\r\n");
  auto json = Futureim({"query", sql, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)[3],
            nlohmann::json::parse(R"({"order_id": 4, "total": "40.00"})"));
}

TEST_F(QueryCliTest, RowLimitAndTimeLimitFromTheCommandLine) {
  auto limited =
      Futureim({"query", "SELECT * FROM range(100)", "--max-rows", "2", "--format", "csv"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_EQ(limited.out, "range\r\n0\r\n1\r\n");
  EXPECT_THAT(limited.err, HasSubstr("truncated at 2 rows"));

  auto slow =
      Futureim({"query", "SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 8",
                "--timeout", "1"});
  EXPECT_EQ(slow.exit_code, 1);
  EXPECT_THAT(slow.err, HasSubstr("query timed out after 1 s"));
}

TEST_F(QueryCliTest, RefusesHostileSqlWithExitOne) {
  auto drop = Futureim({"query", "DROP VIEW raw.orders"});
  EXPECT_EQ(drop.exit_code, 1);
  EXPECT_THAT(drop.err, HasSubstr("query rejected"));
  EXPECT_THAT(drop.err, HasSubstr("DDL"));
  auto file = Futureim({"query", "SELECT * FROM read_text('/etc/passwd')"});
  EXPECT_EQ(file.exit_code, 1);
  EXPECT_THAT(file.err, HasSubstr("read_text"));
  EXPECT_EQ(file.out, "");
}

TEST_F(QueryCliTest, BadUsageIsExitTwo) {
  EXPECT_EQ(Futureim({"query"}).exit_code, 2);
  EXPECT_EQ(Futureim({"query", "SELECT 1", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(Futureim({"query", "SELECT 1", "--max-rows", "0"}).exit_code, 2);
}

TEST_F(QueryCliTest, ConfigSettingsAreTheDefaults) {
  auto result = Futureim({"query", "SELECT * FROM range(3)", "--format", "csv"},
                         {{"FUTUREIM_QUERY_MAX_ROWS", "1"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "range\r\n0\r\n");
}

}  // namespace
}  // namespace futureim::query
