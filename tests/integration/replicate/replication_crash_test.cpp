// The exactly-once promise under SIGKILL: the real `futureim replicate` is
// killed at random instants, during the full load and during CDC under live
// writes from the simulator; after the restarts `verify` must find the lake
// equal to the source, and the raw tier must hold no _seq twice.

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include <signal.h>
#include <sys/wait.h>

#include "engine/duckdb.h"
#include "engine/sql_text.h"
#include "lake/raw_tier_layout.h"
#include "replication_fixture.h"

namespace futureim::testing {
namespace {

class ReplicationCrashTest : public ReplicationProcessFixture {
 protected:
  std::string StoreTarget() const {
    const auto store = server_->StoreUser();
    return "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/ecommerce";
  }

  // (table, _seq) pairs that occur more than once among committed raw files.
  uint64_t DuplicateSeqs() const {
    const lake::RawTierLayout layout(lake_.path());
    engine::Database db;
    engine::Connection connection(db);
    uint64_t duplicates = 0;
    for (const auto& table : layout.Tables()) {
      const auto files = layout.CommittedFiles(table.schema, table.table, layout.LastCommit());
      if (files.empty()) continue;
      std::string list;
      for (const auto& f : files) list += (list.empty() ? "'" : ", '") + f.string() + "'";
      duplicates += static_cast<uint64_t>(*connection
                                               .Query("SELECT count(*) - count(DISTINCT _seq) "
                                                      "FROM read_parquet([" +
                                                      list + "], union_by_name=true)")
                                               .ScalarInt64());
    }
    return duplicates;
  }
};

TEST_F(ReplicationCrashTest, KilledTwentyTimesDuringLoadAndLiveCdcTheLakeEqualsTheSource) {
  const std::map<std::string, std::string> target_env = {
      {"FUTUREIM_TARGET_PASSWORD", server_->StoreUser().password}};
  auto generated = Futureim({"--log-level", "warn", "generate", "--scale", "0.3", "--seed", "7",
                             "--target", StoreTarget()},
                            target_env);
  ASSERT_EQ(generated.exit_code, 0) << generated.err;

  std::mt19937 random(2026);
  auto kill_after = [&](pid_t pid, int min_ms, int max_ms) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(min_ms + static_cast<int>(random() % (max_ms - min_ms))));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFSIGNALED(status);
  };

  // Kills 1-6 during the full load (about 150k rows in 1000-row chunks).
  int kills = 0;
  for (; kills < 6; ++kills) {
    EXPECT_TRUE(kill_after(Spawn({"replicate"}), 200, 1500)) << "replicate ended by itself";
  }
  // Kills 7-20 while the simulator trades live.
  const pid_t trader = Spawn({"--log-level", "warn", "generate", "--scale", "0.3", "--seed", "7",
                              "--target", StoreTarget(), "--live", "40"},
                             target_env);
  for (; kills < 20; ++kills) {
    EXPECT_TRUE(kill_after(Spawn({"replicate"}), 300, 2500)) << "replicate ended by itself";
  }
  ::kill(trader, SIGTERM);
  int status = 0;
  ::waitpid(trader, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the live trader failed";

  auto caught_up = Futureim({"replicate", "--until-caught-up"});
  ASSERT_EQ(caught_up.exit_code, 0) << caught_up.err;
  auto verify = Futureim({"verify", "--json", "--max-keys", "100000"});
  EXPECT_EQ(DuplicateSeqs(), 0u);
  const auto report = nlohmann::json::parse(verify.out);
  ASSERT_EQ(report["tables"].size(), 10u) << verify.err;
  EXPECT_TRUE(report["lake_caught_up"].get<bool>());
  // Exact, every table: ON DELETE CASCADE children of the orders the trader
  // deleted (never in the binlog) are removed by the current-state rules.
  for (const auto& table : report["tables"]) {
    EXPECT_TRUE(table["ok"].get<bool>()) << table.dump();
    EXPECT_EQ(table["missing_in_lake"], 0) << table["table"];
    EXPECT_EQ(table["extra_in_lake"], 0) << table["table"];
    EXPECT_EQ(table["different"], 0) << table["table"];
  }
  EXPECT_TRUE(report["ok"].get<bool>());
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  // The trader did delete orders that had children, so the rules were needed.
  const lake::RawTierLayout layout(lake_.path());
  engine::Database db;
  engine::Connection lake(db);
  const auto orders = layout.CommittedFiles("ecommerce", "orders", layout.LastCommit());
  const auto items = layout.CommittedFiles("ecommerce", "order_items", layout.LastCommit());
  const auto cascaded =
      lake.Query("SELECT count(*) FROM read_parquet(" + engine::PathListLiteral(items) +
                 ", union_by_name=true) i WHERE order_id IN (SELECT order_id "
                 "FROM read_parquet(" +
                 engine::PathListLiteral(orders) + ", union_by_name=true) WHERE _op = 'D')")
          .ScalarInt64();
  EXPECT_GT(*cascaded, 0) << "no deleted order had items: the cascade was not exercised";
}

}  // namespace
}  // namespace futureim::testing
