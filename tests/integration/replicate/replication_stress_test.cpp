// The real `futureim replicate` under load the issue names: one transaction
// of 2M rows (whole, in bounded memory) and a replication connection killed
// on the server (reconnect, nothing lost).

#include <chrono>
#include <set>
#include <thread>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "replicate/replication_state.h"
#include "replication_fixture.h"

namespace futureim::testing {
namespace {

using namespace std::chrono_literals;

class ReplicationStressTest : public ReplicationProcessFixture {
 protected:
  std::optional<replicate::ReplicationState> Manifest() const {
    return replicate::ReadReplicationState(Options().layout.ManifestPath());
  }

  // Waits until `done` holds for the committed manifest; false on timeout.
  template <typename Predicate>
  bool WaitForManifest(std::chrono::seconds timeout, Predicate done) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto state = Manifest();
      if (state && done(*state)) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  static bool Streaming(const replicate::ReplicationState& state, const std::string& table) {
    const auto it = state.tables.find(table);
    return it != state.tables.end() && it->second.state == replicate::TableState::kStreaming;
  }

  // SIGTERM (commit and stop), then reap; returns the peak resident set in KiB.
  static long StopAndPeakRssKib(pid_t pid, int* exit_code) {
    ::kill(pid, SIGTERM);
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return usage.ru_maxrss;
  }

  std::vector<std::string> BinlogDumpThreads() {
    std::vector<std::string> ids;
    for (const auto& row :
         Root().Query("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE "
                      "'Binlog Dump%'")) {
      ids.push_back(*row.at(0));
    }
    return ids;
  }
};

TEST_F(ReplicationStressTest, ATwoMillionRowTransactionArrivesWholeInUnder512MB) {
  auto db = Store();
  db.Execute(
      "CREATE TABLE ecommerce.big (id BIGINT PRIMARY KEY, k INT NOT NULL, name VARCHAR(40), "
      "amount DECIMAL(12,2), at DATETIME(6)) ENGINE=InnoDB");
  db.Execute("CREATE TABLE ecommerce.digits (d INT PRIMARY KEY)");
  db.Execute("INSERT INTO ecommerce.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
  const pid_t replicator = Spawn({"replicate"});
  ASSERT_TRUE(WaitForManifest(60s, [](const auto& state) {
    return Streaming(state, "ecommerce.big") && Streaming(state, "ecommerce.digits");
  })) << "the full load did not finish";

  // One statement, one transaction: 2,000,000 rows.
  db.Execute("SET SESSION max_statement_time = 0");
  db.Execute(
      "INSERT INTO ecommerce.big SELECT n, n % 1000, concat('row ', n), n / 100, "
      "'2024-01-01 00:00:00.000001' + INTERVAL n SECOND FROM (SELECT a.d + 10 * b.d + 100 * c.d "
      "+ 1000 * e.d + 10000 * f.d + 100000 * g.d + 1000000 * h.d AS n FROM ecommerce.digits a, "
      "ecommerce.digits b, ecommerce.digits c, ecommerce.digits e, ecommerce.digits f, "
      "ecommerce.digits g, ecommerce.digits h WHERE h.d < 2) AS numbers");
  ASSERT_EQ(*db.QueryScalar("SELECT count(*) FROM ecommerce.big"), "2000000");

  // Every committed manifest holds none or all of the transaction.
  std::set<uint64_t> seen;
  const bool arrived = WaitForManifest(600s, [&](const auto& state) {
    const uint64_t inserts = state.tables.at("ecommerce.big").counters.inserts;
    seen.insert(inserts);
    return inserts >= 2'000'000;
  });
  int exit_code = 0;
  const long peak_kib = StopAndPeakRssKib(replicator, &exit_code);
  ASSERT_TRUE(arrived) << "the transaction did not arrive in 10 minutes";
  EXPECT_EQ(exit_code, 0);
  for (const uint64_t inserts : seen) {
    EXPECT_TRUE(inserts == 0 || inserts == 2'000'000) << "a partial commit: " << inserts;
  }
  // The limit holds for the release build (measured 173 MiB). The binary is
  // built like this test: under AddressSanitizer every heap byte has shadow
  // bytes and freed memory sits in a 256 MiB quarantine (measured 772 MiB),
  // so there the bound only catches a transaction held whole (~1.5 GiB+).
#if defined(__SANITIZE_ADDRESS__)
  constexpr long kMaxPeakKib = 1280L * 1024;
#else
  constexpr long kMaxPeakKib = 512L * 1024;
#endif
  EXPECT_LT(peak_kib, kMaxPeakKib) << "peak RSS " << peak_kib / 1024 << " MiB";
  std::cout << "2M-row transaction: peak RSS of futureim replicate " << peak_kib / 1024 << " MiB\n";

  const auto verify = Futureim({"verify", "--json"});
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const auto report = nlohmann::json::parse(verify.out);
  for (const auto& table : report["tables"]) {
    EXPECT_TRUE(table["ok"].get<bool>()) << table.dump();
    if (table["table"] == "ecommerce.big") {
      EXPECT_EQ(table["lake_rows"], 2'000'000);
    }
  }
}

TEST_F(ReplicationStressTest, AKilledReplicationConnectionReconnectsAndLosesNothing) {
  auto db = Store();
  db.Execute("CREATE TABLE ecommerce.events (id INT PRIMARY KEY, note VARCHAR(20))");
  const pid_t replicator = Spawn({"replicate"});
  ASSERT_TRUE(
      WaitForManifest(60s, [](const auto& state) { return Streaming(state, "ecommerce.events"); }));
  int next = 0;
  auto insert_batch = [&] {
    db.Execute("BEGIN");
    for (int i = 0; i < 200; ++i, ++next) {
      db.Execute("INSERT INTO ecommerce.events VALUES (" + std::to_string(next) + ", 'e" +
                 std::to_string(next) + "')");
    }
    db.Execute("COMMIT");
  };
  std::set<std::string> killed;
  for (int round = 0; round < 3; ++round) {
    insert_batch();
    // The dump thread of the replicator (a new one after each reconnect).
    std::vector<std::string> threads;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      threads = BinlogDumpThreads();
      if (threads.size() == 1 && !killed.count(threads[0])) break;
      std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(threads.size(), 1u) << "round " << round;
    ASSERT_FALSE(killed.count(threads[0])) << "no reconnect after round " << round - 1;
    Root().Execute("KILL " + threads[0]);
    killed.insert(threads[0]);
    insert_batch();  // written while the replicator is cut off
  }
  const auto verify = Futureim({"verify", "--json", "--wait", "60"});
  // `futureim status` shows the running task and the table's figures.
  const auto status = nlohmann::json::parse(Futureim({"status", "--json"}).out)["replication"];
  EXPECT_TRUE(status["configured"].get<bool>()) << status.dump();
  EXPECT_TRUE(status["running"].get<bool>()) << status.dump();
  ASSERT_EQ(status["tables"].size(), 1u) << status.dump();
  EXPECT_EQ(status["tables"][0]["state"], "streaming");
  EXPECT_EQ(status["tables"][0]["changes_applied"], 1200);
  int exit_code = 0;
  StopAndPeakRssKib(replicator, &exit_code);
  EXPECT_EQ(exit_code, 0) << "the replicator must survive a dropped connection";
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const auto report = nlohmann::json::parse(verify.out);
  ASSERT_EQ(report["tables"].size(), 1u);
  EXPECT_TRUE(report["tables"][0]["ok"].get<bool>()) << report.dump();
  EXPECT_EQ(report["tables"][0]["lake_rows"], next);
  EXPECT_EQ(next, 1200);
}

}  // namespace
}  // namespace futureim::testing
