#include "ops/pipeline_run_log.h"

#include <gtest/gtest.h>

#include "metadata/metadata_db.h"
#include "ops/pipeline_runner.h"
#include "support/temp_dir.h"

namespace futureim::ops {
namespace {

class PipelineRunLogTest : public ::testing::Test {
 protected:
  PipelineRunLogTest() { metadata::MetadataDb::Open(file_); }
  testing::TempDir dir_{"futureim-runs"};
  std::filesystem::path file_ = dir_.path() / "meta.db";
};

TEST_F(PipelineRunLogTest, RecordsOutcomesDurationsAndCounts) {
  PipelineRunLog log(file_);
  const auto first = log.Start("api", "user-1", 1000);
  log.Succeed(first, 3500, "20261124T2200", 12);
  const auto second = log.Start("schedule", "", 5000);
  log.Fail(second, 5250, "raw tier locked");
  const auto runs = log.Recent(10);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, second);
  EXPECT_EQ(runs[0].status, "failed");
  EXPECT_EQ(runs[0].error, "raw tier locked");
  EXPECT_DOUBLE_EQ(*runs[0].DurationSeconds(), 0.25);
  EXPECT_EQ(runs[1].curation_run, "20261124T2200");
  EXPECT_EQ(runs[1].tables, 12);
  EXPECT_DOUBLE_EQ(*runs[1].DurationSeconds(), 2.5);
  EXPECT_EQ(log.LastFinished()->id, second);
  const auto counts = log.Counts();
  EXPECT_EQ(counts.succeeded, 1u);
  EXPECT_EQ(counts.failed, 1u);
  EXPECT_EQ(log.Recent(1).size(), 1u);
}

TEST_F(PipelineRunLogTest, ARunLeftRunningByADeadProcessIsMarkedFailed) {
  {
    PipelineRunLog log(file_);
    log.Start("api", "", 1000);
  }
  PipelineRunLog reopened(file_);
  const auto run = reopened.LastFinished();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, "failed");
  EXPECT_NE(run->error.find("interrupted"), std::string::npos);
}

TEST_F(PipelineRunLogTest, TheRunnerRunsOneAtATimeAndRecordsFailures) {
  PipelineRunLog log(file_);
  std::atomic<bool> release{false};
  std::atomic<int> calls{0};
  PipelineRunner runner(log, [&]() -> nlohmann::json {
    ++calls;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {{"run_id", "r1"}, {"tables", nlohmann::json::array({1, 2, 3})}};
  });
  std::optional<PipelineRunOutcome> first;
  std::thread worker([&] { first = runner.TryRun("api", "admin"); });
  while (!runner.Running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_FALSE(runner.TryRun("api", "admin"));  // busy: refused, nothing recorded
  release = true;
  worker.join();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->run.status, "succeeded");
  EXPECT_EQ(first->run.curation_run, "r1");
  EXPECT_EQ(first->run.tables, 3);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(log.Recent(10).size(), 1u);

  PipelineRunner failing(log, []() -> nlohmann::json { throw std::runtime_error("boom"); });
  const auto failed = failing.TryRun("api", "admin");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->run.status, "failed");
  EXPECT_EQ(failed->run.error, "boom");
  EXPECT_TRUE(failed->report.is_null());
  EXPECT_FALSE(failing.Running());  // released after a failure
}

}  // namespace
}  // namespace futureim::ops
