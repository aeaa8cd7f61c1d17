#include "metadata/metadata_db.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/temp_dir.h"

namespace futureim::metadata {
namespace {

TEST(MetadataDbTest, MigratesOnceAndKeepsFacts) {
  testing::TempDir dir;
  const auto file = dir.path() / "meta" / "futureim.db";
  {
    auto db = MetadataDb::Open(file);
    EXPECT_GE(db.SchemaVersion(), 1);
    db.SetFact("k", "v1");
    db.SetFact("k", "v2");
  }
  auto reopened = MetadataDb::Open(file);
  EXPECT_EQ(reopened.GetFact("k"), "v2");
  EXPECT_EQ(reopened.GetFact("absent"), std::nullopt);
}

TEST(MetadataDbTest, RefusesNewerSchema) {
  testing::TempDir dir;
  const auto file = dir.path() / "futureim.db";
  { SqliteDatabase::Open(file).Execute("PRAGMA user_version = 9999"); }
  EXPECT_THROW(MetadataDb::Open(file), core::Error);
}

TEST(MetadataDbTest, NotADatabaseIsAClearError) {
  testing::TempDir dir;
  const auto file = dir.path() / "futureim.db";
  std::ofstream(file) << "this is not sqlite, just text that is long enough to be a header....";
  EXPECT_THROW(MetadataDb::Open(file), core::Error);
}

}  // namespace
}  // namespace futureim::metadata
