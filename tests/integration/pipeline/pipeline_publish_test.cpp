// Atomic publish under SIGKILL: the real `futureim pipeline run` is killed at
// random instants while it curates; the previous run must stay current and
// readable, and the next run must finish and publish the right rows.

#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "core/key_store.h"
#include "engine/duckdb.h"
#include "lake/parquet_encryption.h"
#include "lake/tier_layout.h"
#include "replicate/replication_state.h"
#include "support/lake_fixture.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::testing {
namespace {

namespace fs = std::filesystem;
// A fresh random key per test process: no key literal in the repository.
const std::string kKey = core::GenerateKey();

class PipelinePublishTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Env() const {
    return {{"FUTUREIM_WORKDIR", workdir_.path().string()},
            {"FUTUREIM_LAKE_PATH", lake_.path().string()},
            {"FUTUREIM_LAKE_ENCRYPTION_KEY", kKey},
            {"FUTUREIM_LAKE_PII_KEY", "pii-key"},
            {"FUTUREIM_PIPELINE_MEMORY_LIMIT", "1GB"},
            {"FUTUREIM_LOG_FORMAT", "json"}};
  }

  ProcessResult Futureim(std::vector<std::string> args) const {
    args.insert(args.begin(), FutureimBinary());
    return RunProcess(args, Env());
  }

  // Commit `commit`: `rows` inserted items with ids from `first`, in 4 files.
  void WriteCommit(uint64_t commit, int64_t first, int64_t rows) {
    for (uint32_t f = 0; f < 4; ++f) {
      const int64_t begin = first + f * rows / 4, end = first + (f + 1) * rows / 4;
      writer_.WriteRawFile(
          "ecommerce", "items", "2026-01-01", commit, f,
          "SELECT CAST(i AS VARCHAR) AS item_id, 'customer' || (i % 1000) || '@shop.example' AS "
          "email, CAST(i % 97 AS DECIMAL(10,2)) AS price, 'I' AS _op, TIMESTAMPTZ "
          "'2026-01-01 00:00:00+00' AS _commit_ts, CAST(i + 1 AS BIGINT) AS _seq FROM range(" +
              std::to_string(begin) + ", " + std::to_string(end) + ") r(i)");
    }
    state_.commit = commit;
    writer_.WriteManifest(state_.ToJson().dump());
  }

  uint64_t CurrentRows() {
    const auto tier = lake::RunTierLayout::Curated(lake_.path());
    engine::Database database;
    lake::InstallParquetCrypto(database);
    engine::Connection connection(database);
    lake::RegisterParquetKey(connection, "k", kKey);
    std::vector<std::string> files;
    for (const auto& file : tier.CurrentFiles("items")) files.push_back(file.string());
    return lake::VerifyEncryptedParquet(connection, files, "k");
  }

  void SetUp() override {
    ASSERT_EQ(Futureim({"init"}).exit_code, 0);
    replicate::TableProgress items;
    items.schema = "ecommerce";
    items.table = "items";
    items.state = replicate::TableState::kStreaming;
    items.primary_key = {"item_id"};
    state_.tables["ecommerce.items"] = items;
  }

  TempDir workdir_{"futureim-pipeline"};
  TempDir lake_{"futureim-pipeline-lake"};
  LakeFixtureWriter writer_{lake_.path()};
  replicate::ReplicationState state_;
};

TEST_F(PipelinePublishTest, KilledRunsLeaveThePreviousRunCurrent) {
  constexpr int64_t kRows = 600'000;
  WriteCommit(1, 0, kRows);
  const auto started = std::chrono::steady_clock::now();
  const auto first = Futureim({"pipeline", "run"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // Kills land at random points of a run as long as the first one took:
  // scaled to this machine's speed, so a fast machine still sees real kills.
  const auto run_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  const auto tier = lake::RunTierLayout::Curated(lake_.path());
  const auto published = tier.CurrentRun("items");
  ASSERT_TRUE(published.has_value());
  ASSERT_EQ(CurrentRows(), static_cast<uint64_t>(kRows));

  WriteCommit(2, kRows, kRows);
  std::mt19937 random(7);
  int killed = 0;
  for (int attempt = 0; attempt < 5; ++attempt) {
    const pid_t pid = SpawnProcess({FutureimBinary(), "pipeline", "run"}, Env(),
                                   (workdir_.path() / "pipeline.log").string());
    const auto delay_ms = run_ms / 10 + static_cast<int64_t>(random() % 700) * run_ms / 1000;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status)) break;  // it finished first: nothing left to interrupt
    ++killed;
    // The run it was writing never became current; readers still see the
    // first run, whole.
    ASSERT_EQ(tier.CurrentRun("items"), published);
    ASSERT_EQ(CurrentRows(), static_cast<uint64_t>(kRows));
  }
  EXPECT_GE(killed, 3) << "the run finished before most kills";

  const auto last = Futureim({"pipeline", "run"});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_NE(tier.CurrentRun("items"), published);
  EXPECT_EQ(CurrentRows(), static_cast<uint64_t>(2 * kRows));
  // Leftovers of the killed runs are gone; at most the first, an attempt that
  // finished before its kill, and the last run are kept (keep 3).
  EXPECT_LE(tier.Runs("items").size(), 3u);
  for (const auto& entry : fs::directory_iterator(tier.Root())) {
    EXPECT_EQ(entry.path().filename().string().find(".futureim-tmp-pipeline"), std::string::npos);
  }
}

}  // namespace
}  // namespace futureim::testing
