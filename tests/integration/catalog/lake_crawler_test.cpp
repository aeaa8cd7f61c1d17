// The crawler over a real lake on disk (raw with a real replication
// manifest, curated runs with quality metadata, an encrypted curated table,
// a prod system), the stored catalog, and the crawl/catalog commands of the
// real binary.

#include "catalog/lake_crawler.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/key_store.h"
#include "lake/parquet_encryption.h"
#include "replicate/replication_state.h"
#include "support/lake_fixture.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::catalog {
namespace {

constexpr int64_t kOrdersCommitAt = 1704190000000000;  // 2024-01-02 10:06:40 UTC
constexpr int64_t kOrdersLastChange = 1704187800000000;

// A manifest as the replicator writes it (ReplicationState::ToJson), so the
// crawler reads it through the same ReadReplicationState as everyone else.
void WriteRealManifest(const std::filesystem::path& lake_root) {
  replicate::ReplicationState state;
  state.commit = 3;
  state.committed_at_us = kOrdersCommitAt;
  state.next_seq = 13;
  for (const auto& [table, key] :
       {std::pair{"orders", "order_id"}, std::pair{"customers", "customer_id"}}) {
    replicate::TableProgress progress;
    progress.schema = "ecommerce";
    progress.table = table;
    progress.state = replicate::TableState::kStreaming;
    progress.primary_key = {key};
    progress.load.done = true;
    if (std::string(table) == "orders") {
      progress.counters.last_commit_at_us = kOrdersCommitAt;
      progress.counters.last_change_ts_us = kOrdersLastChange;
    }
    state.tables[progress.QualifiedName()] = progress;
  }
  const lake::RawTierLayout layout(lake_root);
  std::ofstream(layout.ManifestPath()) << state.ToJson().dump();
}

class LakeCrawlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_root_ = dir_.path() / "lake";
    testing::LakeFixtureWriter writer(lake_root_);
    testing::WriteShopLake(writer);
    WriteRealManifest(lake_root_);
    const auto curated = lake::RunTierLayout::Curated(lake_root_);
    std::ofstream(curated.RunMetadataPath("orders", "r2"))
        << R"({"run_id": "r2", "quality": {"score": 0.93, "completeness": 1.0,
              "validity": 0.9, "consistency": 0.95, "uniqueness": 0.87}})";
    // An encrypted curated table, as curation writes it.
    key_ = core::GenerateKey();
    engine::Database database;
    lake::InstallParquetCrypto(database);
    engine::Connection connection(database);
    lake::RegisterParquetKey(connection, lake::kLakeKeyName, key_);
    const auto run_dir = curated.RunDir("payments", "p1");
    std::filesystem::create_directories(run_dir);
    lake::CopyToEncryptedParquet(connection,
                                 "SELECT * FROM (VALUES (1, 'visa'), (2, 'amex')) t(id, brand)",
                                 run_dir / "part-0.parquet", lake::kLakeKeyName);
    std::ofstream(curated.CurrentPointerPath("payments")) << "p1\n";
  }

  static const CatalogTable& Table(const LakeCatalog& catalog, const std::string& view) {
    const CatalogTable* table = catalog.Find(view);
    if (table == nullptr) throw std::runtime_error("no table " + view);
    return *table;
  }

  testing::TempDir dir_;
  std::filesystem::path lake_root_;
  std::string key_;
};

TEST_F(LakeCrawlerTest, DescribesRawTablesFromCommittedFilesAndTheManifest) {
  const auto catalog = LakeCrawler(lake_root_, key_).Crawl();
  const auto& orders = Table(catalog, "raw.orders");
  EXPECT_EQ(orders.tier, "raw");
  EXPECT_EQ(orders.schema, "ecommerce");
  EXPECT_EQ(orders.location, "raw/ecommerce/orders/");
  // Commits 1..3 (3 + 3 + 1 changes); commit 4 and the in-progress file are not committed.
  EXPECT_EQ(orders.rows, 7u);
  EXPECT_EQ(orders.files, 3u);
  ASSERT_EQ(orders.partitions.size(), 2u);
  EXPECT_EQ(orders.partitions[0].name, "commit_date=2024-01-01");
  EXPECT_EQ(orders.partitions[0].rows, 3u);
  EXPECT_EQ(orders.partitions[0].files, 1u);
  EXPECT_EQ(orders.partitions[1].name, "commit_date=2024-01-02");
  EXPECT_EQ(orders.partitions[1].rows, 4u);
  EXPECT_EQ(orders.partitions[1].files, 2u);
  EXPECT_EQ(orders.bytes, orders.partitions[0].bytes + orders.partitions[1].bytes);
  EXPECT_GT(orders.bytes, 0u);
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& column : orders.columns) columns.emplace_back(column.name, column.type);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"order_id", "INTEGER"},
      {"total", "DECIMAL(10,2)"},
      {"note", "VARCHAR"},
      {"_op", "VARCHAR"},
      {"_commit_ts", "TIMESTAMP WITH TIME ZONE"},
      {"_seq", "BIGINT"},
      {"commit_date", "VARCHAR"}};
  EXPECT_EQ(columns, expected);
  EXPECT_TRUE(orders.columns.back().partition);
  EXPECT_EQ(orders.primary_key, std::vector<std::string>{"order_id"});
  EXPECT_EQ(orders.updated_us, kOrdersCommitAt);
  EXPECT_EQ(orders.last_change_us, kOrdersLastChange);
  EXPECT_FALSE(orders.encrypted);
  EXPECT_TRUE(orders.error.empty()) << orders.error;

  const auto& customers = Table(catalog, "raw.customers");
  EXPECT_EQ(customers.rows, 5u);
  EXPECT_EQ(customers.primary_key, std::vector<std::string>{"customer_id"});
  EXPECT_GT(customers.updated_us, 0);  // no counters in the manifest: newest file time
}

TEST_F(LakeCrawlerTest, DescribesRunsWithTheCurrentRunAndItsQuality) {
  const auto catalog = LakeCrawler(lake_root_, key_).Crawl();
  const auto& orders = Table(catalog, "curated.orders");
  EXPECT_EQ(orders.tier, "curated");
  EXPECT_EQ(orders.current_run, "r2");
  EXPECT_EQ(orders.location, "curated/orders/run=r2/");
  EXPECT_EQ(orders.rows, 2u);
  EXPECT_EQ(orders.files, 1u);
  ASSERT_EQ(orders.partitions.size(), 2u);
  EXPECT_EQ(orders.partitions[0].name, "run=r1");
  EXPECT_EQ(orders.partitions[0].rows, 1u);
  EXPECT_FALSE(orders.partitions[0].current);
  EXPECT_EQ(orders.partitions[1].name, "run=r2");
  EXPECT_TRUE(orders.partitions[1].current);
  ASSERT_TRUE(orders.QualityScore());
  EXPECT_DOUBLE_EQ(*orders.QualityScore(), 0.93);
  EXPECT_DOUBLE_EQ(orders.quality->at("uniqueness").get<double>(), 0.87);
  EXPECT_GT(orders.updated_us, 0);

  // A pointer to a run that is not there is reported, not followed.
  const auto curated = lake::RunTierLayout::Curated(lake_root_);
  std::filesystem::create_directories(curated.TableDir("ghost"));
  std::ofstream(curated.CurrentPointerPath("ghost")) << "r9\n";
  const auto with_ghost = LakeCrawler(lake_root_, key_).Crawl();
  const auto& ghost = Table(with_ghost, "curated.ghost");
  EXPECT_EQ(ghost.error, "the current-run pointer names run r9, which does not exist");
  EXPECT_TRUE(ghost.current_run.empty());

  const auto& drafts = Table(catalog, "curated.drafts");
  EXPECT_EQ(drafts.error, "no published run yet");
  EXPECT_EQ(drafts.rows, 0u);
  EXPECT_EQ(drafts.partitions.size(), 1u);

  const auto& segments = Table(catalog, "demand_insights_engine.customer_segments");
  EXPECT_EQ(segments.tier, "prod");
  EXPECT_EQ(segments.system, "demand_insights_engine");
  EXPECT_EQ(segments.rows, 2u);
  EXPECT_EQ(segments.location,
            "prod/demand_insights_engine/customer_segments/run=2024-01-03T00-00-00/");
  EXPECT_FALSE(segments.QualityScore());

  const auto& payments = Table(catalog, "curated.payments");
  EXPECT_TRUE(payments.encrypted);
  EXPECT_EQ(payments.rows, 2u);
  ASSERT_EQ(payments.columns.size(), 2u);
  EXPECT_EQ(payments.columns[1].name, "brand");
  EXPECT_TRUE(payments.error.empty()) << payments.error;
}

TEST_F(LakeCrawlerTest, EncryptedTablesWithoutTheRightKeyAreListedWithTheReason) {
  const auto without_key = LakeCrawler(lake_root_, std::nullopt).Crawl();
  const auto& payments = Table(without_key, "curated.payments");
  EXPECT_TRUE(payments.encrypted);
  EXPECT_EQ(payments.files, 1u);
  EXPECT_GT(payments.bytes, 0u);
  EXPECT_EQ(payments.rows, 0u);
  EXPECT_NE(payments.error.find("lake.encryption_key"), std::string::npos) << payments.error;
  EXPECT_EQ(Table(without_key, "raw.orders").rows, 7u);  // the rest is unaffected

  const auto wrong_key = LakeCrawler(lake_root_, core::GenerateKey()).Crawl();
  const auto& wrong = Table(wrong_key, "curated.payments");
  EXPECT_EQ(wrong.rows, 0u);
  EXPECT_NE(wrong.error.find("encrypted with another key"), std::string::npos) << wrong.error;
}

TEST_F(LakeCrawlerTest, StoredCatalogRoundTripsAndDamageIsAClearError) {
  EXPECT_FALSE(LakeCatalog::Load(lake_root_));
  const auto catalog = LakeCrawler(lake_root_, key_).Crawl();
  catalog.Save(lake_root_);
  const auto loaded = LakeCatalog::Load(lake_root_);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->ToJson(), catalog.ToJson());
  EXPECT_EQ(loaded->tables.size(), 6u);  // 2 raw, 3 curated, 1 prod
  std::ofstream(LakeCatalog::FilePath(lake_root_)) << "{\"format\": 1, \"tables\": [";
  try {
    LakeCatalog::Load(lake_root_);
    FAIL() << "a damaged catalog loaded";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("futureim crawl"), std::string::npos) << e.what();
  }
}

TEST_F(LakeCrawlerTest, CrawlAndCatalogCommandsOfTheBinary) {
  const auto workdir = dir_.path();
  const std::map<std::string, std::string> env = {{"FUTUREIM_WORKDIR", workdir.string()},
                                                  {"FUTUREIM_LAKE_ENCRYPTION_KEY", key_}};
  auto futureim = [&](std::vector<std::string> args) {
    args.insert(args.begin(), testing::FutureimBinary());
    return testing::RunProcess(args, env);
  };
  ASSERT_EQ(futureim({"init"}).exit_code, 0);

  const auto before = futureim({"catalog", "list"});
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_NE(before.err.find("run `futureim crawl`"), std::string::npos) << before.err;

  const auto crawl = futureim({"crawl"});
  ASSERT_EQ(crawl.exit_code, 0) << crawl.err;
  EXPECT_NE(crawl.out.find("curated.orders"), std::string::npos) << crawl.out;
  EXPECT_NE(crawl.out.find("0.930"), std::string::npos) << crawl.out;
  EXPECT_TRUE(std::filesystem::exists(LakeCatalog::FilePath(lake_root_)));

  const auto json = futureim({"crawl", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out).at("tables").size(), 6u);

  const auto show = futureim({"catalog", "show", "raw.orders", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out).at("rows"), 7);
  const auto missing = futureim({"catalog", "show", "raw.nothing"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no table 'raw.nothing'"), std::string::npos) << missing.err;

  const auto trino = futureim({"catalog", "ddl", "--dialect", "trino"});
  ASSERT_EQ(trino.exit_code, 0) << trino.err;
  const std::string lake_uri = "file://" + std::filesystem::absolute(lake_root_).string() + "/";
  EXPECT_NE(trino.out.find("external_location = '" + lake_uri + "raw/ecommerce/orders/'"),
            std::string::npos)
      << trino.out;
  EXPECT_NE(trino.out.find("partitioned_by = ARRAY['commit_date']"), std::string::npos);
  const auto athena =
      futureim({"catalog", "ddl", "--dialect", "athena", "--location", "s3://shop/lake"});
  ASSERT_EQ(athena.exit_code, 0) << athena.err;
  EXPECT_NE(athena.out.find("LOCATION 's3://shop/lake/curated/orders/run=r2/';"), std::string::npos)
      << athena.out;
  const auto s3 =
      testing::RunProcess({testing::FutureimBinary(), "catalog", "ddl", "--dialect", "spark"},
                          {{"FUTUREIM_WORKDIR", workdir.string()},
                           {"FUTUREIM_LAKE_BACKEND", "s3"},
                           {"FUTUREIM_LAKE_S3_BUCKET", "shop-lake"},
                           {"FUTUREIM_LAKE_S3_PREFIX", "/futureim/"}});
  ASSERT_EQ(s3.exit_code, 0) << s3.err;
  EXPECT_NE(s3.out.find("LOCATION 's3a://shop-lake/futureim/raw/ecommerce/orders/';"),
            std::string::npos)
      << s3.out;
  EXPECT_EQ(futureim({"catalog", "ddl", "--dialect", "hive"}).exit_code, 2);

  // query --repeat: the latency a long-running process sees, for bench/query.
  const auto timed = futureim({"query", "--repeat", "3", "SELECT count(*) FROM raw.orders"});
  ASSERT_EQ(timed.exit_code, 0) << timed.err;
  EXPECT_NE(timed.out.find("7"), std::string::npos) << timed.out;
  EXPECT_NE(timed.err.find("latency over 3 runs: p50 "), std::string::npos) << timed.err;
}

}  // namespace
}  // namespace futureim::catalog
