// The run layout of the curated and prod tiers: the current-run pointer.

#include "lake/tier_layout.h"

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "support/temp_dir.h"

namespace futureim::lake {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

void Touch(const fs::path& file) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << "x";
}

TEST(RunTierLayoutTest, PathsFollowTheLayout) {
  const auto curated = RunTierLayout::Curated("/lake");
  EXPECT_EQ(curated.RunDir("orders", "r7"), fs::path("/lake/curated/orders/run=r7"));
  EXPECT_EQ(curated.CurrentPointerPath("orders"), fs::path("/lake/curated/orders/_current"));
  EXPECT_EQ(RunTierLayout::Prod("/lake", "compliance_guardian").TableDir("alerts"),
            fs::path("/lake/prod/compliance_guardian/alerts"));
}

TEST(RunTierLayoutTest, RunIdsCannotEscapeTheTable) {
  EXPECT_TRUE(RunTierLayout::IsValidRunId("2024-01-03T00-00-00"));
  EXPECT_TRUE(RunTierLayout::IsValidRunId("r_1.2"));
  for (const char* bad : {"", ".", "..", "../x", "a/b", "a b", "r\n"}) {
    EXPECT_FALSE(RunTierLayout::IsValidRunId(bad)) << bad;
  }
}

TEST(RunTierLayoutTest, CurrentFilesFollowThePointer) {
  testing::TempDir dir("tier-layout");
  const auto curated = RunTierLayout::Curated(dir.path());
  Touch(curated.RunDir("orders", "r1") / "a.parquet");
  Touch(curated.RunDir("orders", "r2") / "b.parquet");
  Touch(curated.RunDir("orders", "r2") / "a.parquet");
  Touch(curated.RunDir("orders", "r2") / ".c.parquet.inprogress");
  Touch(curated.RunDir("orders", "r2") / "_SUCCESS");
  Touch(curated.RunDir("drafts", "r1") / "a.parquet");  // never published
  Touch(dir.path() / "curated" / "_tmp" / "x");         // not a table

  EXPECT_THAT(curated.Tables(), ElementsAre("drafts", "orders"));
  EXPECT_EQ(curated.CurrentRun("orders"), std::nullopt);
  EXPECT_TRUE(curated.CurrentFiles("orders").empty());

  std::ofstream(curated.CurrentPointerPath("orders")) << "r2\n";
  EXPECT_EQ(curated.CurrentRun("orders"), "r2");
  EXPECT_THAT(curated.CurrentFiles("orders"),
              ElementsAre(curated.RunDir("orders", "r2") / "a.parquet",
                          curated.RunDir("orders", "r2") / "b.parquet"));
}

TEST(RunTierLayoutTest, RunsListEveryRunFolderAndTheirFiles) {
  testing::TempDir dir("tier-layout");
  const auto curated = RunTierLayout::Curated(dir.path());
  Touch(curated.RunDir("orders", "r2") / "a.parquet");
  Touch(curated.RunDir("orders", "r2") / "_run.json");
  Touch(curated.RunDir("orders", "r1") / "b.parquet");
  fs::create_directories(curated.TableDir("orders") / "run=bad id");  // not a valid run id
  fs::create_directories(curated.TableDir("orders") / "other");       // not a run folder
  EXPECT_THAT(curated.Runs("orders"), ElementsAre("r1", "r2"));
  EXPECT_THAT(curated.RunFiles("orders", "r2"),
              ElementsAre(curated.RunDir("orders", "r2") / "a.parquet"));
  EXPECT_TRUE(curated.RunFiles("orders", "r9").empty());
  EXPECT_EQ(curated.RunMetadataPath("orders", "r2"), curated.RunDir("orders", "r2") / "_run.json");
}

TEST(RunTierLayoutTest, BadPointersAreClearErrors) {
  testing::TempDir dir("tier-layout");
  const auto curated = RunTierLayout::Curated(dir.path());
  fs::create_directories(curated.TableDir("orders"));
  std::ofstream(curated.CurrentPointerPath("orders")) << "../../etc";
  EXPECT_THROW(curated.CurrentRun("orders"), core::Error);
  std::ofstream(curated.CurrentPointerPath("orders")) << "r9";
  EXPECT_THROW(curated.CurrentFiles("orders"), core::Error);  // names a missing run
}

TEST(RunTierLayoutTest, ProdSystemsAreTheFoldersUnderProd) {
  testing::TempDir dir("tier-layout");
  fs::create_directories(dir.path() / "prod" / "market_pulse");
  fs::create_directories(dir.path() / "prod" / "compliance_guardian");
  fs::create_directories(dir.path() / "prod" / ".staging");
  EXPECT_THAT(RunTierLayout::ProdSystems(dir.path()),
              ElementsAre("compliance_guardian", "market_pulse"));
}

}  // namespace
}  // namespace futureim::lake
