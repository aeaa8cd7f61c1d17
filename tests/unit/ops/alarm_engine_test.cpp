#include "ops/alarm_engine.h"

#include <gtest/gtest.h>

#include "metadata/metadata_db.h"
#include "support/temp_dir.h"

namespace futureim::ops {
namespace {

class AlarmEngineTest : public ::testing::Test {
 protected:
  AlarmEngineTest() { metadata::MetadataDb::Open(file_); }

  std::unique_ptr<AlarmEngine> NewEngine(AlarmSettings settings = {}) {
    return std::make_unique<AlarmEngine>(
        file_, AlarmRulesFromSettings(settings), [this] { return observation_; },
        [this](const AlarmTransition& t) { notified_.push_back(t); }, 0);
  }

  AlarmStatus StateOf(const AlarmEngine& engine, const std::string& rule) {
    for (const auto& status : engine.States()) {
      if (status.rule == rule) return status;
    }
    ADD_FAILURE() << "no rule " << rule;
    return {};
  }

  testing::TempDir dir_{"futureim-alarms"};
  std::filesystem::path file_ = dir_.path() / "meta.db";
  AlarmObservation observation_;
  std::vector<AlarmTransition> notified_;
};

TEST_F(AlarmEngineTest, DefaultRulesAreTheSpecsFour) {
  const auto rules = AlarmRulesFromSettings({});
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].name, "replication_lag");
  EXPECT_EQ(rules[0].threshold, 300);
  EXPECT_EQ(rules[1].name, "api_error_rate");
  EXPECT_DOUBLE_EQ(rules[1].threshold, 0.01);
  EXPECT_EQ(rules[1].window_seconds, 300);
  EXPECT_EQ(rules[2].name, "pipeline_failed");
  EXPECT_EQ(rules[3].name, "data_quality");
  EXPECT_DOUBLE_EQ(rules[3].threshold, 0.7);
  AlarmSettings off;
  off.replication_lag_seconds = 0;
  off.pipeline_failed = false;
  EXPECT_EQ(AlarmRulesFromSettings(off).size(), 2u);
}

TEST_F(AlarmEngineTest, ReplicationLagFiresResolvesAndFiresAgain) {
  auto engine = NewEngine();
  observation_.replication_lag_seconds = {{"orders", 12}, {"customers", 3}};
  EXPECT_TRUE(engine->Evaluate(1000).empty());
  EXPECT_EQ(StateOf(*engine, "replication_lag").state, "ok");

  observation_.replication_lag_seconds["orders"] = 301;
  auto changes = engine->Evaluate(2000);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].previous_state, "ok");
  EXPECT_EQ(changes[0].status.state, "firing");
  EXPECT_EQ(changes[0].status.since_ms, 2000);
  EXPECT_NE(changes[0].status.message.find("orders"), std::string::npos);
  EXPECT_DOUBLE_EQ(*changes[0].status.value, 301);

  // Still firing: no new notification, since unchanged.
  EXPECT_TRUE(engine->Evaluate(3000).empty());
  EXPECT_EQ(StateOf(*engine, "replication_lag").since_ms, 2000);

  observation_.replication_lag_seconds["orders"] = 300;  // not above the threshold
  changes = engine->Evaluate(4000);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].status.state, "resolved");
  EXPECT_EQ(changes[0].status.since_ms, 4000);
  observation_.replication_lag_seconds["orders"] = 900;
  changes = engine->Evaluate(5000);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].previous_state, "resolved");
  EXPECT_EQ(changes[0].status.state, "firing");
  EXPECT_EQ(notified_.size(), 3u);
}

TEST_F(AlarmEngineTest, ErrorRateIsMeasuredOverTheWindowOnly) {
  AlarmSettings settings;
  settings.api_5xx_window_seconds = 60;
  auto engine = NewEngine(settings);
  // 1000 answers, 5 errors: 0.5 %, below 1 %.
  observation_.http = {1000, 5};
  EXPECT_TRUE(engine->Evaluate(10'000).empty());
  EXPECT_NEAR(*StateOf(*engine, "api_error_rate").value, 0.005, 1e-9);
  // The next 100 answers hold 10 errors: the window (since t=0) has 15/1100.
  observation_.http = {1100, 15};
  auto changes = engine->Evaluate(20'000);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].status.rule, "api_error_rate");
  EXPECT_EQ(changes[0].status.state, "firing");
  // Two minutes later only the samples inside the last 60 s count: no new
  // answers since t=20 s → 0 errors of 0 answers → resolved.
  changes = engine->Evaluate(140'000);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].status.state, "resolved");
  // 1000 new answers without an error inside the window: stays resolved.
  observation_.http = {2100, 15};
  EXPECT_TRUE(engine->Evaluate(150'000).empty());
  EXPECT_NEAR(*StateOf(*engine, "api_error_rate").value, 0.0, 1e-12);
}

TEST_F(AlarmEngineTest, PipelineFailureAndLowQualityFire) {
  auto engine = NewEngine();
  observation_.last_pipeline_run = PipelineRun{.id = 7, .status = "failed", .error = "disk full"};
  observation_.data_quality = {{"orders", 0.95}, {"reviews", 0.65}};
  const auto changes = engine->Evaluate(1000);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].status.rule, "pipeline_failed");
  EXPECT_NE(changes[0].status.message.find("disk full"), std::string::npos);
  EXPECT_EQ(changes[1].status.rule, "data_quality");
  EXPECT_NE(changes[1].status.message.find("reviews"), std::string::npos);
  EXPECT_DOUBLE_EQ(*changes[1].status.value, 0.65);
  observation_.last_pipeline_run->status = "succeeded";
  observation_.data_quality["reviews"] = 0.7;  // at the threshold: not below
  EXPECT_EQ(engine->Evaluate(2000).size(), 2u);
  EXPECT_EQ(StateOf(*engine, "pipeline_failed").state, "resolved");
  EXPECT_EQ(StateOf(*engine, "data_quality").state, "resolved");
}

TEST_F(AlarmEngineTest, StateSurvivesARestartWithoutASecondNotification) {
  {
    auto engine = NewEngine();
    observation_.data_quality = {{"orders", 0.1}};
    ASSERT_EQ(engine->Evaluate(1000).size(), 1u);
  }
  auto engine = NewEngine();
  EXPECT_EQ(StateOf(*engine, "data_quality").state, "firing");
  EXPECT_EQ(StateOf(*engine, "data_quality").since_ms, 1000);
  EXPECT_TRUE(engine->Evaluate(2000).empty());  // still firing: not announced again
  EXPECT_EQ(notified_.size(), 1u);
}

TEST_F(AlarmEngineTest, AFailedObservationChangesNothing) {
  auto engine = NewEngine();
  auto failing = std::make_unique<AlarmEngine>(
      file_, AlarmRulesFromSettings({}),
      []() -> AlarmObservation { throw std::runtime_error("lake unreadable"); }, nullptr, 0);
  EXPECT_THROW(failing->Evaluate(1000), std::runtime_error);
  EXPECT_EQ(StateOf(*failing, "data_quality").state, "ok");
  EXPECT_EQ(StateOf(*failing, "data_quality").evaluated_ms, 0);
}

TEST_F(AlarmEngineTest, TheThreadEvaluatesPeriodicallyAndStops) {
  auto engine = NewEngine();
  observation_.data_quality = {{"orders", 0.2}};
  engine->Start(std::chrono::milliseconds(20));
  for (int i = 0; i < 200 && notified_.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  engine->Stop();
  ASSERT_EQ(notified_.size(), 1u);
  EXPECT_EQ(notified_[0].status.state, "firing");
}

}  // namespace
}  // namespace futureim::ops
