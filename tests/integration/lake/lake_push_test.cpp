// `futureim lake push` (lake/lake_mirror.h) against a real S3-compatible
// server: the store receives exactly the committed and published state, in
// an order that keeps it consistent, a second push sends nothing, and runs
// pruned locally are deleted from the store after the pointers moved.

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "lake/raw_tier_layout.h"
#include "lake/s3_object_store.h"
#include "lake/tier_layout.h"
#include "support/lake_fixture.h"
#include "support/s3rver_suite.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::lake {
namespace {

namespace fs = std::filesystem;

class LakePushTest : public testing::S3rverSuite {
 protected:
  testing::ProcessResult Futureim(std::vector<std::string> args, bool s3 = true) const {
    std::map<std::string, std::string> env = {{"FUTUREIM_WORKDIR", workdir_.path().string()},
                                              {"FUTUREIM_LOG_FORMAT", "json"}};
    if (s3) {
      env["FUTUREIM_LAKE_BACKEND"] = "s3";
      env["FUTUREIM_LAKE_S3_ENDPOINT"] = Settings().endpoint;
      env["FUTUREIM_LAKE_S3_BUCKET"] = testing::kBucket;
      env["FUTUREIM_LAKE_S3_PREFIX"] = prefix_;
      env["FUTUREIM_LAKE_S3_ACCESS_KEY_ID"] = "S3RVER";
      env["FUTUREIM_LAKE_S3_SECRET_ACCESS_KEY"] = "S3RVER";
    }
    args.insert(args.begin(), testing::FutureimBinary());
    return testing::RunProcess(args, env);
  }

  S3ObjectStore Store() const {
    auto settings = Settings();
    settings.prefix = prefix_;
    return S3ObjectStore(settings);
  }

  static std::string Bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  testing::TempDir workdir_{"futureim-lake-push"};
  std::string prefix_ = "lake-" + std::to_string(::getpid());
};

TEST_F(LakePushTest, PushesTheCommittedStateThenOnlyWhatChanged) {
  ASSERT_EQ(Futureim({"init"}, false).exit_code, 0);
  const fs::path lake_root = workdir_.path() / "lake";
  testing::LakeFixtureWriter lake(lake_root);
  testing::WriteShopLake(lake);

  const auto local = Futureim({"lake", "push"}, false);
  EXPECT_EQ(local.exit_code, 1);
  EXPECT_NE(local.err.find("lake.backend = local"), std::string::npos) << local.err;

  const auto first = Futureim({"lake", "push"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto store = Store();
  std::vector<std::string> keys = Keys(store.List(""));
  const auto has = [&](const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  // Committed raw files and the manifest, never the uncommitted commit 4 or
  // an in-progress file.
  const RawTierLayout raw(lake_root);
  for (const auto& file : raw.CommittedFiles("ecommerce", "orders", 3)) {
    EXPECT_TRUE(has(fs::relative(file, lake_root).generic_string())) << file;
  }
  for (const auto& key : keys) {
    EXPECT_EQ(key.find("c0000000004_"), std::string::npos) << key;
    EXPECT_EQ(key.find(".futureim-tmp-"), std::string::npos) << key;
  }
  EXPECT_EQ(store.Get(fs::relative(raw.ManifestPath(), lake_root).generic_string()),
            Bytes(raw.ManifestPath()));
  // The current runs and their pointers; nothing of an unpublished table.
  EXPECT_EQ(store.Get("curated/orders/_current"), "r2\n");
  EXPECT_EQ(store.Get("curated/orders/run=r2/part-0.parquet"),
            Bytes(lake_root / "curated/orders/run=r2/part-0.parquet"));
  EXPECT_FALSE(has("curated/drafts/run=r1/part-0.parquet"));
  EXPECT_TRUE(has("prod/demand_insights_engine/customer_segments/_current"));
  EXPECT_NE(first.out.find("pointer(s) published"), std::string::npos) << first.out;

  // Nothing new: nothing sent.
  const auto second = Futureim({"lake", "push"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find(": 0 object(s) uploaded"), std::string::npos) << second.out;

  // A new run published and the old one pruned locally: the store follows,
  // deleting the pruned run only after its pointer moved.
  const auto curated = RunTierLayout::Curated(lake_root);
  lake.WriteRun(curated, "orders", "r3", "SELECT 7 AS order_id, 70.0 AS total", true);
  fs::remove_all(curated.RunDir("orders", "r1"));
  fs::remove_all(curated.RunDir("orders", "r2"));
  const auto third = Futureim({"lake", "push"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_NE(third.out.find(": 1 object(s) uploaded"), std::string::npos) << third.out;
  EXPECT_NE(third.out.find(", 1 object(s) of pruned runs deleted"), std::string::npos) << third.out;
  EXPECT_EQ(store.Get("curated/orders/_current"), "r3\n");
  keys = Keys(store.List("curated/orders/"));
  EXPECT_EQ(keys, (std::vector<std::string>{"curated/orders/_current",
                                            "curated/orders/run=r3/part-0.parquet"}));
}

TEST_F(LakePushTest, WrongCredentialsAreAClearErrorAndTheStoreKeepsItsState) {
  ASSERT_EQ(Futureim({"init"}, false).exit_code, 0);
  testing::LakeFixtureWriter lake(workdir_.path() / "lake");
  testing::WriteShopLake(lake);
  auto result = testing::RunProcess({testing::FutureimBinary(), "lake", "push"},
                                    {{"FUTUREIM_WORKDIR", workdir_.path().string()},
                                     {"FUTUREIM_LAKE_BACKEND", "s3"},
                                     {"FUTUREIM_LAKE_S3_ENDPOINT", Settings().endpoint},
                                     {"FUTUREIM_LAKE_S3_BUCKET", testing::kBucket},
                                     {"FUTUREIM_LAKE_S3_PREFIX", prefix_},
                                     {"FUTUREIM_LAKE_S3_ACCESS_KEY_ID", "WRONG"},
                                     {"FUTUREIM_LAKE_S3_SECRET_ACCESS_KEY", "WRONG"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("ccess"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("WRONG"), std::string::npos) << "a credential was printed";
  EXPECT_TRUE(Store().List("").empty());
}

}  // namespace
}  // namespace futureim::lake
