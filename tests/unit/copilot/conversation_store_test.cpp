// Conversations belong to one user: another user can neither read, continue
// nor delete them, and a listing only ever shows the caller's own.

#include "systems/copilot/conversation_store.h"

#include <gtest/gtest.h>

#include "metadata/metadata_db.h"
#include "support/temp_dir.h"

namespace futureim::systems::copilot {
namespace {

class ConversationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = metadata::MetadataDb::Open(file_);
    for (const char* id : {"alice", "bob"}) {
      auto insert = db.database().Prepare(
          "INSERT INTO users (id, email, name, password_hash, roles, created_at, updated_at) "
          "VALUES (?, ?, ?, 'x', 'viewer', 0, 0)");
      insert.Bind(1, id).Bind(2, std::string(id) + "@example.com").Bind(3, id);
      insert.Step();
    }
  }

  testing::TempDir dir_{"copilot-conversations"};
  std::filesystem::path file_ = dir_.path() / "metadata.db";
};

TEST_F(ConversationStoreTest, OnlyTheOwnerReadsContinuesOrDeletes) {
  ConversationStore store(file_);
  const auto created = store.Create("alice", {{"topic", "sales"}}, 1000);
  EXPECT_EQ(created.id.size(), 32u);
  CopilotReply reply;
  reply.kind = "answer";
  reply.text = "Revenue: 10.00.";
  reply.sql = "SELECT 10";
  reply.plan = SemanticPlan{};
  reply.plan->measure = Measure::kRevenue;
  store.AddExchange(created.id, "revenue?", reply, 2000);

  Conversation read;
  ASSERT_EQ(store.Get(created.id, "alice", &read), ConversationAccess::kFound);
  ASSERT_EQ(read.messages.size(), 2u);
  EXPECT_EQ(read.messages[0].role, "user");
  EXPECT_EQ(read.messages[0].content, "revenue?");
  EXPECT_EQ(read.messages[1].sql, "SELECT 10");
  EXPECT_EQ(read.updated_at_ms, 2000);
  EXPECT_EQ(read.metadata["topic"], "sales");
  ASSERT_TRUE(store.LastPlan(created.id));
  EXPECT_EQ(store.LastPlan(created.id)->measure, Measure::kRevenue);

  Conversation stolen;
  EXPECT_EQ(store.Get(created.id, "bob", &stolen), ConversationAccess::kNotOwner);
  EXPECT_TRUE(stolen.messages.empty());
  EXPECT_EQ(store.Delete(created.id, "bob"), ConversationAccess::kNotOwner);
  EXPECT_TRUE(store.List("bob", 10).empty());
  EXPECT_EQ(store.List("alice", 10).size(), 1u);
  EXPECT_EQ(store.Get("no-such-id", "alice", &read), ConversationAccess::kMissing);

  EXPECT_EQ(store.Delete(created.id, "alice"), ConversationAccess::kFound);
  EXPECT_EQ(store.Get(created.id, "alice", &read), ConversationAccess::kMissing);
  EXPECT_FALSE(store.LastPlan(created.id));  // messages went with it
}

TEST_F(ConversationStoreTest, ListsMostRecentFirstWithinTheLimit) {
  ConversationStore store(file_);
  const auto first = store.Create("alice", {}, 1000);
  const auto second = store.Create("alice", {}, 2000);
  store.Create("alice", {}, 3000);
  CopilotReply reply;
  reply.kind = "clarification";
  reply.text = "Which figure?";
  store.AddExchange(first.id, "hm", reply, 4000);  // now the most recent
  const auto list = store.List("alice", 2);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, first.id);
  EXPECT_NE(list[1].id, second.id);
  EXPECT_FALSE(store.LastPlan(first.id));  // a clarification has no plan
}

}  // namespace
}  // namespace futureim::systems::copilot
