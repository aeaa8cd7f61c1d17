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
#include "lake/raw_tier_layout.h"
#include "replication_fixture.h"
#include "support/subprocess.h"

namespace futureim::testing {
namespace {

class ReplicationCrashTest : public ReplicationFixture {
 protected:
  std::map<std::string, std::string> Env() const {
    const auto repl = server_->ReplicationUser();
    return {{"FUTUREIM_WORKDIR", workdir_.path().string()},
            {"FUTUREIM_LAKE_PATH", lake_.path().string()},
            {"FUTUREIM_SOURCE_PORT", std::to_string(repl.port)},
            {"FUTUREIM_SOURCE_USER", repl.user},
            {"FUTUREIM_SOURCE_PASSWORD", repl.password},
            {"FUTUREIM_REPLICATION_CHUNK_ROWS", "1000"},
            {"FUTUREIM_REPLICATION_FLUSH_INTERVAL_MS", "100"},
            {"FUTUREIM_LOG_FORMAT", "json"}};
  }

  ProcessResult Futureim(const std::vector<std::string>& args,
                         std::map<std::string, std::string> env = {}) const {
    std::vector<std::string> argv = {FutureimBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto all = Env();
    all.insert(env.begin(), env.end());
    return RunProcess(argv, all);
  }

  pid_t Spawn(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {FutureimBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto all = Env();
    all.insert(env.begin(), env.end());
    return SpawnProcess(argv, all, (workdir_.path() / "children.log").string());
  }

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

  TempDir workdir_{"futureim-crash"};
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
  auto verify = Futureim({"verify", "--json"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(DuplicateSeqs(), 0u);
  const auto report = nlohmann::json::parse(verify.out);
  EXPECT_EQ(report["tables"].size(), 10u);
}

}  // namespace
}  // namespace futureim::testing
