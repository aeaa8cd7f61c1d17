#include "auth/audit_log.h"

#include <gtest/gtest.h>

#include "metadata/metadata_db.h"
#include "support/temp_dir.h"

namespace futureim::auth {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  AuditLogTest() : db_(metadata::MetadataDb::Open(dir_.path() / "meta.db")), log_(db_.database()) {
    for (int i = 0; i < 5; ++i) {
      log_.Append({"user-" + std::to_string(i % 2),
                   i % 2 ? "login" : "login_failed",
                   "t",
                   "127.0.0.1",
                   {{"n", i}}},
                  1000 + i);
    }
  }
  testing::TempDir dir_;
  metadata::MetadataDb db_;
  AuditLog log_;
};

TEST_F(AuditLogTest, ChainsEachRowToThePrevious) {
  const auto all = log_.Find({});
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.back().prev_hash, "");  // the first row
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    EXPECT_EQ(all[i].prev_hash, all[i + 1].hash);
    EXPECT_EQ(all[i].hash,
              AuditLog::ChainHash(all[i].prev_hash,
                                  AuditLog::CanonicalText(all[i].id, all[i].at_ms, all[i].event)));
  }
  const auto verification = log_.Verify();
  EXPECT_EQ(verification.rows_checked, 5);
  EXPECT_EQ(verification.first_bad_id, std::nullopt);
}

TEST_F(AuditLogTest, FiltersAndPaginates) {
  AuditFilter filter;
  filter.action = "login";
  EXPECT_EQ(log_.Find(filter).size(), 2u);
  filter = {};
  filter.since_ms = 1002;
  filter.until_ms = 1004;
  EXPECT_EQ(log_.Find(filter).size(), 2u);
  filter = {};
  filter.limit = 2;
  const auto page1 = log_.Find(filter);
  ASSERT_EQ(page1.size(), 2u);
  filter.before_id = page1.back().id;
  const auto page2 = log_.Find(filter);
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_LT(page2.front().id, page1.back().id);
}

TEST_F(AuditLogTest, RefusesUpdatesAndNamesTheFirstEditedRow) {
  auto& db = db_.database();
  EXPECT_ANY_THROW(db.Execute("UPDATE audit_log SET action = 'x' WHERE id = 3"));
  EXPECT_ANY_THROW(db.Execute("DELETE FROM audit_log WHERE id = 3"));
  // Someone with file access drops the trigger and edits row 3.
  db.Execute("DROP TRIGGER audit_log_no_update");
  db.Execute("UPDATE audit_log SET detail = '{\"n\":99}' WHERE id = 3");
  const auto verification = log_.Verify();
  ASSERT_TRUE(verification.first_bad_id);
  EXPECT_EQ(*verification.first_bad_id, 3);
  EXPECT_EQ(verification.rows_checked, 3);
}

TEST_F(AuditLogTest, DetectsADeletedRow) {
  auto& db = db_.database();
  db.Execute("DROP TRIGGER audit_log_no_delete");
  db.Execute("DELETE FROM audit_log WHERE id = 2");
  const auto verification = log_.Verify();
  ASSERT_TRUE(verification.first_bad_id);
  EXPECT_EQ(*verification.first_bad_id, 3);  // its link points at the missing row
}

}  // namespace
}  // namespace futureim::auth
