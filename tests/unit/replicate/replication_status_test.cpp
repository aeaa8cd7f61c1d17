// `futureim status`'s replication section: the committed manifest and the
// running task's status.json combined per table.

#include "replicate/replication_status.h"

#include <fstream>

#include <gtest/gtest.h>

#include "replicate/replication_state.h"
#include "replicate/replication_task.h"
#include "support/temp_dir.h"

namespace futureim::replicate {
namespace {

class ReplicationStatusTest : public ::testing::Test {
 protected:
  void WriteManifest(const ReplicationState& state) {
    std::filesystem::create_directories(layout_.StateDir());
    std::ofstream(layout_.ManifestPath()) << state.ToJson().dump();
  }
  void WriteLive(const nlohmann::json& status) {
    std::filesystem::create_directories(layout_.StateDir());
    std::ofstream(ReplicationStatusPath(layout_)) << status.dump();
  }

  testing::TempDir dir_{"futureim-status"};
  lake::RawTierLayout layout_{dir_.path()};
};

constexpr int64_t kNow = 1'700'000'000'000'000;

TEST_F(ReplicationStatusTest, WithoutAManifestReplicationIsNotConfigured) {
  const auto report = ReplicationStatusReport(layout_, kNow);
  EXPECT_TRUE(report["ok"].get<bool>());
  EXPECT_FALSE(report["configured"].get<bool>());
  EXPECT_FALSE(report["running"].get<bool>());
}

TEST_F(ReplicationStatusTest, TablesComeFromTheManifestLagAndThroughputFromTheLiveStatus) {
  ReplicationState state;
  state.commit = 42;
  state.position = source::BinlogPosition{"mysql-bin.000003", 1234};
  TableProgress orders;
  orders.schema = "shop";
  orders.table = "orders";
  orders.state = TableState::kStreaming;
  orders.counters.rows_loaded = 1000;
  orders.counters.inserts = 5;
  orders.counters.updates = 7;
  orders.counters.deletes = 2;
  orders.counters.truncates = 1;
  orders.load.chunks = 3;
  orders.foreign_keys.push_back({"fk", {"c"}, "shop", "customers", {"id"}, "CASCADE", "RESTRICT"});
  TableProgress items = orders;
  items.table = "items";
  items.state = TableState::kLoading;
  items.foreign_keys.clear();
  state.tables = {{"shop.orders", orders}, {"shop.items", items}};
  WriteManifest(state);
  WriteLive({{"phase", "streaming"},
             {"updated_at_us", kNow - 1'000'000},
             {"source_lag_seconds", 1.5},
             {"target_lag_ms", {{"p50", 400.0}, {"p95", 900.0}, {"p99", 1000.0}}},
             {"rows_per_second", 2500.0}});

  const auto report = ReplicationStatusReport(layout_, kNow);
  EXPECT_TRUE(report["ok"].get<bool>());
  EXPECT_TRUE(report["configured"].get<bool>());
  EXPECT_TRUE(report["running"].get<bool>());
  EXPECT_EQ(report["commit"], 42);
  EXPECT_EQ(report["position"], "mysql-bin.000003:1234");
  EXPECT_EQ(report["target_lag_ms"]["p95"], 900.0);
  EXPECT_EQ(report["rows_per_second"], 2500.0);
  ASSERT_EQ(report["tables"].size(), 2u);
  const auto& i = report["tables"][0];
  const auto& o = report["tables"][1];
  EXPECT_EQ(o["table"], "shop.orders");
  EXPECT_EQ(o["state"], "streaming");
  EXPECT_EQ(o["rows_loaded"], 1000);
  EXPECT_EQ(o["changes_applied"], 15);
  EXPECT_EQ(o["load_chunks"], 3);
  EXPECT_EQ(o["foreign_keys"], 1);
  EXPECT_EQ(o["source_lag_seconds"], 1.5);
  EXPECT_EQ(i["state"], "loading");
  EXPECT_TRUE(i["source_lag_seconds"].is_null());

  // A status file nobody refreshed for a minute: not running.
  WriteLive({{"phase", "streaming"}, {"updated_at_us", kNow - 60'000'000}});
  EXPECT_FALSE(ReplicationStatusReport(layout_, kNow)["running"].get<bool>());
  // The task's error makes the section a problem.
  WriteLive({{"phase", "reconnecting"},
             {"updated_at_us", kNow},
             {"error", {{"message", "lost connection"}, {"at_us", kNow}}}});
  const auto failing = ReplicationStatusReport(layout_, kNow);
  EXPECT_FALSE(failing["ok"].get<bool>());
  EXPECT_EQ(failing["error"], "lost connection");
}

TEST_F(ReplicationStatusTest, ADamagedManifestIsReportedNotThrown) {
  std::filesystem::create_directories(layout_.StateDir());
  std::ofstream(layout_.ManifestPath()) << "{not json";
  const auto report = ReplicationStatusReport(layout_, kNow);
  EXPECT_FALSE(report["ok"].get<bool>());
  EXPECT_NE(report["error"].get<std::string>().find("damaged"), std::string::npos);
}

}  // namespace
}  // namespace futureim::replicate
