// The analytics systems' framework: a run writes prod/<system>/ by the run
// layout, publishes every table at once with its metrics, is read back by
// the lake views, and a failing or concurrent run leaves the previous run
// current. The systems here are small real systems over the shop lake's
// curated tier (tests/support/lake_fixture.h), not stand-ins for a product
// part: the framework is what is under test.

#include "systems/system_runner.h"

#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "core/config.h"
#include "core/environment.h"
#include "core/error.h"
#include "lake/tier_layout.h"
#include "query/query_runner.h"
#include "support/lake_fixture.h"
#include "support/temp_dir.h"
#include "systems/system_registry.h"

namespace futureim::systems {
namespace {

namespace fs = std::filesystem;

// Revenue per order from curated.orders, plus a failure switch.
class OrderTotalsSystem : public AnalyticsSystem {
 public:
  std::function<void(SystemRunContext&)> before_write;
  bool fail_after_write = false;

  std::string_view Name() const override { return "order_totals"; }
  std::string_view Slug() const override { return "order-totals"; }
  std::string_view Title() const override { return "Order Totals"; }
  nlohmann::json Run(SystemRunContext& context) override {
    if (before_write) before_write(context);
    context.lake.Execute(
        "CREATE TEMP TABLE totals AS SELECT order_id, total * 2 AS doubled FROM curated.orders");
    const uint64_t rows = context.output.Write("order_totals", "SELECT * FROM totals");
    context.output.Write("summary",
                         "SELECT count(*) AS orders, sum(doubled) AS doubled FROM totals");
    if (fail_after_write) throw core::Error("the model did not converge");
    return {{"orders", rows}, {"seed", context.seed}};
  }
};

class SystemRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteShopLake(lake_); }

  SystemRunOptions Options(int second) const {
    SystemRunOptions options;
    options.lake_root = dir_.path();
    options.encrypt = false;
    options.keep_runs = 2;
    options.seed = 7;
    options.now =
        std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000 + second));
    return options;
  }

  testing::TempDir dir_{"futureim-systems"};
  testing::LakeFixtureWriter lake_{dir_.path()};
  core::Config config_ =
      core::Config::Load(dir_.path() / "none.toml", dir_.path(), core::Environment({}));
};

TEST_F(SystemRunnerTest, ARunIsPublishedWithItsMetricsAndReadByTheViews) {
  OrderTotalsSystem system;
  const auto report = SystemRunner(Options(0), config_).Run(system);
  EXPECT_EQ(report.system, "order_totals");
  EXPECT_EQ(report.run_id, lake::RunTierLayout::RunIdAt(*Options(0).now));
  ASSERT_EQ(report.tables.size(), 2u);
  EXPECT_EQ(report.tables[0].table, "order_totals");
  EXPECT_EQ(report.tables[0].rows, 2u);  // the current curated run has orders 1 and 3
  EXPECT_EQ(report.metrics.at("seed"), 7);

  const auto tier = lake::RunTierLayout::Prod(dir_.path(), "order_totals");
  EXPECT_EQ(tier.CurrentRun("summary"), report.run_id);
  std::ifstream record_file(tier.RunMetadataPath("summary", report.run_id));
  const auto record = nlohmann::json::parse(record_file);
  EXPECT_EQ(record.at("metrics").at("orders"), 2);
  EXPECT_EQ(record.at("rows"), 1);
  EXPECT_EQ(record.at("system"), "order_totals");

  query::QueryRunner runner(dir_.path());
  const auto result = runner.Run("SELECT orders, doubled FROM order_totals.summary", {});
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0], "2");
  EXPECT_EQ(result.rows[0][1], "82.0");  // (11 + 30) × 2
  // A trusted session sees the same views and may use TEMP tables.
  auto session = runner.OpenSession();
  session.connection().Execute("CREATE TEMP TABLE t AS SELECT * FROM order_totals.order_totals");
  EXPECT_EQ(session.connection().Query("SELECT count(*) FROM t").ScalarInt64(), 2);
}

TEST_F(SystemRunnerTest, AFailingRunLeavesThePreviousRunCurrent) {
  OrderTotalsSystem system;
  const auto first = SystemRunner(Options(0), config_).Run(system);
  system.fail_after_write = true;
  EXPECT_THROW(
      {
        try {
          SystemRunner(Options(1), config_).Run(system);
        } catch (const core::Error& e) {
          EXPECT_STREQ(e.what(), "the model did not converge");
          throw;
        }
      },
      core::Error);
  const auto tier = lake::RunTierLayout::Prod(dir_.path(), "order_totals");
  EXPECT_EQ(tier.CurrentRun("order_totals"), first.run_id);
  EXPECT_EQ(tier.CurrentRun("summary"), first.run_id);
  // The unpublished folder goes with the next successful run's pruning.
  system.fail_after_write = false;
  const auto third = SystemRunner(Options(2), config_).Run(system);
  EXPECT_EQ(tier.Runs("summary"), (std::vector<std::string>{first.run_id, third.run_id}));
  const auto fourth = SystemRunner(Options(3), config_).Run(system);
  EXPECT_EQ(tier.Runs("summary"), (std::vector<std::string>{third.run_id, fourth.run_id}));
  EXPECT_EQ(fourth.runs_pruned, 2u);
}

TEST_F(SystemRunnerTest, OneRunPerSystemAtATime) {
  OrderTotalsSystem outer;
  std::string inner_error;
  outer.before_write = [&](SystemRunContext&) {
    OrderTotalsSystem inner;
    try {
      SystemRunner(Options(5), config_).Run(inner);
    } catch (const core::Error& e) {
      inner_error = e.what();
    }
  };
  SystemRunner(Options(4), config_).Run(outer);
  EXPECT_NE(inner_error.find("another run of order_totals is writing"), std::string::npos)
      << inner_error;
}

TEST_F(SystemRunnerTest, BadTableNamesAndMissingKeysAreRefused) {
  OrderTotalsSystem system;
  system.before_write = [](SystemRunContext& context) {
    EXPECT_THROW(context.output.Write("../escape", "SELECT 1"), core::Error);
    EXPECT_THROW(context.output.Write("Upper", "SELECT 1"), core::Error);
  };
  SystemRunner(Options(6), config_).Run(system);
  auto options = Options(7);
  options.encrypt = true;
  EXPECT_THROW(SystemRunner(options, config_), core::Error);
  options.encrypt = false;
  options.keep_runs = 0;
  EXPECT_THROW(SystemRunner(options, config_), core::Error);
}

TEST_F(SystemRunnerTest, AMissingCuratedTableSkipsTheSystemAndNamesTheTable) {
  class NeedsPayments : public OrderTotalsSystem {
   public:
    std::vector<std::string_view> RequiredCuratedTables() const override {
      return {"orders", "payments"};
    }
  } system;
  try {
    SystemRunner(Options(8), config_).Run(system);
    ADD_FAILURE() << "the run was not skipped";
  } catch (const SystemSkipped& e) {
    EXPECT_NE(std::string(e.what()).find("no curated.payments"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(lake::RunTierLayout::Prod(dir_.path(), "order_totals").CurrentRun("summary"));
}

TEST_F(SystemRunnerTest, TheRegistryFindsSystemsByNameAndSlug) {
  for (const auto& system : AllSystems()) {
    EXPECT_EQ(FindSystem(system->Name())->Name(), system->Name());
    EXPECT_EQ(FindSystem(system->Slug())->Name(), system->Name());
  }
  EXPECT_EQ(FindSystem("no_such_system"), nullptr);
}

}  // namespace
}  // namespace futureim::systems
