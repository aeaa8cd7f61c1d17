// The current state of raw tables with ON DELETE actions applied: what
// InnoDB deletes or nulls inside the engine never reaches the binlog, so the
// state computed from raw changes must do it (lake/raw_current_state.h).

#include "lake/raw_current_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "engine/duckdb.h"

namespace futureim::lake {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

ForeignKeyRule Rule(const std::string& name, std::vector<std::string> columns,
                    const std::string& parent, std::vector<std::string> parent_columns,
                    const std::string& on_delete) {
  return {name,      std::move(columns), "shop", parent, std::move(parent_columns),
          on_delete, "RESTRICT"};
}

class RawCurrentStateTest : public ::testing::Test {
 protected:
  // A table of raw changes: columns (id, ref, note) plus _op and _seq.
  void Changes(const std::string& table, const std::string& rows) {
    connection_.Execute("CREATE TABLE " + table +
                        " (id INTEGER, ref INTEGER, note VARCHAR, _op VARCHAR, _seq BIGINT)");
    if (!rows.empty()) connection_.Execute("INSERT INTO " + table + " VALUES " + rows);
  }

  RawTableChanges Table(const std::string& table, std::vector<ForeignKeyRule> rules = {}) {
    return {"shop", table, {"id"}, std::move(rules), table};
  }

  // "id:ref" of the current rows, by id.
  std::vector<std::string> Current(const RawCurrentState& state, const std::string& table) {
    std::vector<std::string> out;
    for (const auto& row : connection_
                               .Query("SELECT id, coalesce(CAST(ref AS VARCHAR), 'NULL') FROM (" +
                                      state.Select("shop", table) + ") ORDER BY id")
                               .FetchAllAsText()) {
      out.push_back(*row[0] + ":" + *row[1]);
    }
    return out;
  }

  engine::Database db_;
  engine::Connection connection_{db_};
};

TEST_F(RawCurrentStateTest, WithoutRulesTheLatestChangePerKeyAfterTheLastTruncateWins) {
  Changes("t",
          "(1, 0, 'a', 'L', 1), (2, 0, 'b', 'L', 2), (1, 5, 'a2', 'U', 3), (2, 0, 'b', 'D', 4),"
          "(3, 0, 'c', 'I', 5)");
  RawCurrentState state({Table("t")});
  EXPECT_THAT(Current(state, "t"), ElementsAre("1:5", "3:0"));

  Changes("u", "(1, 0, 'a', 'L', 1), (0, NULL, NULL, 'T', 2), (2, 0, 'b', 'L', 3)");
  RawCurrentState truncated({Table("u")});
  EXPECT_THAT(Current(truncated, "u"), ElementsAre("2:0"));
}

TEST_F(RawCurrentStateTest, ParentDeleteCascadesOnlyToChildrenChangedBeforeIt) {
  Changes("p", "(1, NULL, '', 'L', 1), (2, NULL, '', 'L', 2), (1, NULL, '', 'D', 10)");
  // Child 11 references parent 1 and was last changed before the delete: gone.
  // Child 12 references parent 1 but was written after it (an orphan the
  // source allowed with foreign_key_checks=0): kept, as InnoDB keeps it.
  // Child 13 references parent 2: kept. Child 14 has no parent: kept.
  Changes("c",
          "(11, 1, '', 'L', 3), (12, 1, '', 'I', 11), (13, 2, '', 'L', 4), (14, NULL, '', 'I', 5)");
  RawCurrentState state(
      {Table("p"), Table("c", {Rule("fk_c_p", {"ref"}, "p", {"id"}, "CASCADE")})});
  EXPECT_THAT(Current(state, "p"), ElementsAre("2:NULL"));
  EXPECT_THAT(Current(state, "c"), ElementsAre("12:1", "13:2", "14:NULL"));
}

TEST_F(RawCurrentStateTest, SetNullKeepsTheRowAndNullsTheForeignKey) {
  Changes("p", "(1, NULL, '', 'L', 1), (2, NULL, '', 'L', 2), (1, NULL, '', 'D', 10)");
  Changes("c", "(11, 1, '', 'L', 3), (13, 2, '', 'L', 4), (15, 1, '', 'U', 12)");
  RawCurrentState state(
      {Table("p"), Table("c", {Rule("fk_c_p", {"ref"}, "p", {"id"}, "SET NULL")})});
  EXPECT_THAT(Current(state, "c"), ElementsAre("11:NULL", "13:2", "15:1"));
}

TEST_F(RawCurrentStateTest, RestrictAndNoActionChangeNothing) {
  Changes("p", "(1, NULL, '', 'L', 1), (1, NULL, '', 'D', 10)");
  Changes("c", "(11, 1, '', 'L', 3)");
  for (const char* action : {"RESTRICT", "NO ACTION", "SET DEFAULT"}) {
    RawCurrentState state({Table("p"), Table("c", {Rule("fk", {"ref"}, "p", {"id"}, action)})});
    EXPECT_THAT(Current(state, "c"), ElementsAre("11:1")) << action;
  }
}

TEST_F(RawCurrentStateTest, CascadesChainThroughThreeLevels) {
  // a ← b ← c (CASCADE both); deleting a1 removes b1 (before the delete) and
  // its children c1, c2; c3 hangs off b2, which stays.
  Changes("a", "(1, NULL, '', 'L', 1), (2, NULL, '', 'L', 2), (1, NULL, '', 'D', 20)");
  Changes("b", "(1, 1, '', 'L', 3), (2, 2, '', 'L', 4), (3, 1, '', 'I', 21)");
  Changes("c", "(1, 1, '', 'L', 5), (2, 1, '', 'U', 15), (3, 2, '', 'L', 6), (4, 3, '', 'I', 22)");
  RawCurrentState state({Table("a"), Table("b", {Rule("fk_b_a", {"ref"}, "a", {"id"}, "CASCADE")}),
                         Table("c", {Rule("fk_c_b", {"ref"}, "b", {"id"}, "CASCADE")})});
  EXPECT_THAT(Current(state, "b"), ElementsAre("2:2", "3:1"));
  // c4 references b3, written after the delete: it stays with its parent.
  EXPECT_THAT(Current(state, "c"), ElementsAre("3:2", "4:3"));
}

TEST_F(RawCurrentStateTest, SelfReferenceSetNullSeesDeletesOfTheSameTable) {
  // categories.parent ON DELETE SET NULL: deleting 1 nulls the parent of 2
  // and 3; 4 points at 5, which stays.
  Changes("cat",
          "(1, NULL, '', 'L', 1), (2, 1, '', 'L', 2), (3, 1, '', 'L', 3), (4, 5, '', 'L', 4),"
          "(5, NULL, '', 'L', 5), (1, NULL, '', 'D', 9)");
  RawCurrentState state({Table("cat", {Rule("fk_parent", {"ref"}, "cat", {"id"}, "SET NULL")})});
  EXPECT_THAT(Current(state, "cat"), ElementsAre("2:NULL", "3:NULL", "4:5", "5:NULL"));
}

TEST_F(RawCurrentStateTest, SelfReferenceCascadeRemovesTheWholeSubtree) {
  Changes("tree",
          "(1, NULL, '', 'L', 1), (2, 1, '', 'L', 2), (3, 2, '', 'L', 3), (4, 3, '', 'L', 4),"
          "(5, NULL, '', 'L', 5), (6, 5, '', 'L', 6), (1, NULL, '', 'D', 9)");
  RawCurrentState state({Table("tree", {Rule("fk_up", {"ref"}, "tree", {"id"}, "CASCADE")})});
  EXPECT_THAT(Current(state, "tree"), ElementsAre("5:NULL", "6:5"));
  // And a child table of the tree loses the rows of every removed node.
  Changes("leaf", "(1, 4, '', 'L', 7), (2, 6, '', 'L', 8)");
  RawCurrentState with_leaf({Table("tree", {Rule("fk_up", {"ref"}, "tree", {"id"}, "CASCADE")}),
                             Table("leaf", {Rule("fk_leaf", {"ref"}, "tree", {"id"}, "CASCADE")})});
  EXPECT_THAT(Current(with_leaf, "leaf"), ElementsAre("2:6"));
}

TEST_F(RawCurrentStateTest, AReloadKeepsChildrenOfReloadedParentsOnly) {
  // The parent is reloaded (T at 10, L rows after it): parent 2 was deleted
  // while it was pending, so its D never reached the lake; its children go,
  // those of the reloaded parent 1 stay, and a NULL reference stays.
  Changes("p",
          "(1, NULL, '', 'L', 1), (2, NULL, '', 'L', 2), (0, NULL, NULL, 'T', 10),"
          "(1, NULL, '', 'L', 11)");
  Changes("c",
          "(11, 1, '', 'L', 3), (12, 2, '', 'L', 4), (13, NULL, '', 'L', 5), (14, 2, '', 'I', 12)");
  RawCurrentState state(
      {Table("p"), Table("c", {Rule("fk_c_p", {"ref"}, "p", {"id"}, "CASCADE")})});
  EXPECT_THAT(Current(state, "c"), ElementsAre("11:1", "13:NULL", "14:2"));
}

TEST_F(RawCurrentStateTest, CompositeKeysAndSeveralRulesPerTable) {
  connection_.Execute(
      "CREATE TABLE pk2 (a INTEGER, b INTEGER, _op VARCHAR, _seq BIGINT);"
      "INSERT INTO pk2 VALUES (1, 1, 'L', 1), (1, 2, 'L', 2), (1, 2, 'D', 10);"
      "CREATE TABLE other (id INTEGER, _op VARCHAR, _seq BIGINT);"
      "INSERT INTO other VALUES (7, 'L', 1), (7, 'D', 11);"
      "CREATE TABLE child (id INTEGER, pa INTEGER, pb INTEGER, o INTEGER, _op VARCHAR, _seq "
      "BIGINT);"
      "INSERT INTO child VALUES (1, 1, 1, 7, 'L', 3), (2, 1, 2, NULL, 'L', 4), (3, 1, 1, NULL, "
      "'L', "
      "5);");
  RawCurrentState state({{"shop", "pk2", {"a", "b"}, {}, "pk2"},
                         {"shop", "other", {"id"}, {}, "other"},
                         {"shop",
                          "child",
                          {"id"},
                          {Rule("fk_pair", {"pa", "pb"}, "pk2", {"a", "b"}, "CASCADE"),
                           Rule("fk_other", {"o"}, "other", {"id"}, "SET NULL")},
                          "child"}});
  const auto rows = connection_
                        .Query("SELECT id, coalesce(CAST(o AS VARCHAR), 'NULL') FROM (" +
                               state.Select("shop", "child") + ") ORDER BY id")
                        .FetchAllAsText();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(*rows[0][0] + ":" + *rows[0][1], "1:NULL");
  EXPECT_EQ(*rows[1][0] + ":" + *rows[1][1], "3:NULL");
}

TEST_F(RawCurrentStateTest, RulesToTablesNotInTheLakeAreIgnoredAndCyclesAreBroken) {
  Changes("x", "(1, 1, '', 'L', 1), (1, 1, '', 'D', 5)");
  Changes("y", "(1, 1, '', 'L', 2)");
  // x → y and y → x both CASCADE: one of them is ignored, consistently.
  RawCurrentState state({Table("x", {Rule("fk_xy", {"ref"}, "y", {"id"}, "CASCADE"),
                                     Rule("fk_missing", {"ref"}, "nowhere", {"id"}, "CASCADE")}),
                         Table("y", {Rule("fk_yx", {"ref"}, "x", {"id"}, "CASCADE")})});
  ASSERT_EQ(state.IgnoredRules().size(), 1u);
  EXPECT_THAT(state.IgnoredRules()[0], ::testing::HasSubstr("closes a cycle"));
  // Visiting x first (name order) reaches y through x's rule, so y's rule
  // back to x is the one ignored: y keeps the row of the deleted x 1.
  EXPECT_THAT(state.IgnoredRules()[0], ::testing::HasSubstr("shop.y: fk_yx"));
  EXPECT_THAT(Current(state, "x"), IsEmpty());
  EXPECT_THAT(Current(state, "y"), ElementsAre("1:1"));
  EXPECT_THROW(state.Select("shop", "nowhere"), core::Error);
  RawCurrentState keyless({{"shop", "x", {}, {}, "x"}});
  EXPECT_FALSE(keyless.HasCurrentState("shop", "x"));
  EXPECT_THROW(keyless.Select("shop", "x"), core::Error);
}

TEST(ForeignKeyRuleJsonTest, RoundTrips) {
  const ForeignKeyRule rule{"fk", {"a", "b"}, "s", "p", {"x", "y"}, "SET NULL", "CASCADE"};
  EXPECT_EQ(ForeignKeyRuleFromJson(ForeignKeyRuleToJson(rule)), rule);
  EXPECT_THROW(ForeignKeyRuleFromJson(nlohmann::json::object()), nlohmann::json::exception);
}

}  // namespace
}  // namespace futureim::lake
