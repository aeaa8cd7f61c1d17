// The SHOW GRANTS parser and the privilege questions replication asks, on
// grant lines as MariaDB 10.11 and MySQL 8.0 print them.

#include "source/mysql_grants.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "source/table_filter.h"

namespace futureim::source {
namespace {

std::vector<std::string> Names(const GrantStatement& statement) {
  std::vector<std::string> names;
  for (const auto& privilege : statement.privileges) names.push_back(privilege.name);
  return names;
}

TEST(GrantStatementTest, ParsesMariadbGlobalGrantWithPasswordHash) {
  const auto s = ParseGrantStatement(
      "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dms_remote`@`127.0.0.1` IDENTIFIED BY "
      "PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'");
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->revoke);
  EXPECT_EQ(s->level, GrantLevel::kGlobal);
  EXPECT_EQ(Names(*s), (std::vector<std::string>{"REPLICATION SLAVE", "BINLOG MONITOR"}));
  EXPECT_TRUE(s->schema.empty());
}

TEST(GrantStatementTest, ParsesSchemaLevelGrant) {
  const auto s = ParseGrantStatement("GRANT SELECT ON `ecommerce`.* TO `dms_remote`@`127.0.0.1`");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->level, GrantLevel::kSchema);
  EXPECT_EQ(s->schema, "ecommerce");
  EXPECT_EQ(Names(*s), std::vector<std::string>{"SELECT"});
}

TEST(GrantStatementTest, NormalisesAllPrivilegesAndIgnoresAuthenticationClauses) {
  const auto s = ParseGrantStatement(
      "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` IDENTIFIED VIA mysql_native_password "
      "USING 'invalid' OR unix_socket WITH GRANT OPTION");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->level, GrantLevel::kGlobal);
  EXPECT_EQ(Names(*s), std::vector<std::string>{"ALL"});
}

TEST(GrantStatementTest, ParsesColumnLevelGrants) {
  const auto s = ParseGrantStatement(
      "GRANT SELECT (`id`, `e``mail`), INSERT (`email`), UPDATE ON `ecommerce`.`customers` TO "
      "`app`@`%`");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->level, GrantLevel::kTable);
  EXPECT_EQ(s->schema, "ecommerce");
  EXPECT_EQ(s->table, "customers");
  ASSERT_EQ(s->privileges.size(), 3u);
  EXPECT_EQ(s->privileges[0].name, "SELECT");
  EXPECT_EQ(s->privileges[0].columns, (std::vector<std::string>{"id", "e`mail"}));
  EXPECT_EQ(s->privileges[1].name, "INSERT");
  EXPECT_EQ(s->privileges[1].columns, std::vector<std::string>{"email"});
  EXPECT_EQ(s->privileges[2].name, "UPDATE");
  EXPECT_TRUE(s->privileges[2].columns.empty());
}

TEST(GrantStatementTest, ParsesRoleGrantsOfBothServers) {
  const auto mariadb = ParseGrantStatement("GRANT `replicator` TO `dms_remote`@`%`");
  ASSERT_TRUE(mariadb);
  EXPECT_EQ(mariadb->roles, std::vector<std::string>{"replicator"});
  EXPECT_TRUE(mariadb->privileges.empty());

  const auto mysql =
      ParseGrantStatement("GRANT `app_read`@`%`,`app_write`@`%` TO `u`@`%` WITH ADMIN OPTION");
  ASSERT_TRUE(mysql);
  EXPECT_EQ(mysql->roles, (std::vector<std::string>{"app_read", "app_write"}));

  // A role's own privileges are listed with the role as grantee (no host).
  const auto role_privileges =
      ParseGrantStatement("GRANT REPLICATION SLAVE ON *.* TO `replicator`");
  ASSERT_TRUE(role_privileges);
  EXPECT_EQ(Names(*role_privileges), std::vector<std::string>{"REPLICATION SLAVE"});
}

TEST(GrantStatementTest, ParsesMysqlDynamicPrivilegesWithoutSpaces) {
  const auto s = ParseGrantStatement(
      "GRANT APPLICATION_PASSWORD_ADMIN,AUDIT_ABORT_EXEMPT,AUDIT_ADMIN,BACKUP_ADMIN,"
      "REPLICATION_APPLIER ON *.* TO `root`@`localhost` WITH GRANT OPTION");
  ASSERT_TRUE(s);
  EXPECT_EQ(Names(*s),
            (std::vector<std::string>{"APPLICATION_PASSWORD_ADMIN", "AUDIT_ABORT_EXEMPT",
                                      "AUDIT_ADMIN", "BACKUP_ADMIN", "REPLICATION_APPLIER"}));
}

TEST(GrantStatementTest, ParsesQuotedAndEscapedNames) {
  const auto weird = ParseGrantStatement("GRANT SELECT ON `we``ird db`.`t.1` TO `u`@`%`");
  ASSERT_TRUE(weird);
  EXPECT_EQ(weird->schema, "we`ird db");
  EXPECT_EQ(weird->table, "t.1");

  const auto escaped = ParseGrantStatement("GRANT SELECT ON `shop\\_db`.* TO `u`@`10.0.%`");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->schema, "shop\\_db");  // kept as the server's LIKE pattern

  const auto ansi = ParseGrantStatement("GRANT SELECT ON \"ecommerce\".* TO \"u\"@\"%\"");
  ASSERT_TRUE(ansi);
  EXPECT_EQ(ansi->schema, "ecommerce");

  const auto explicit_table =
      ParseGrantStatement("GRANT SELECT ON TABLE `ecommerce`.`orders` TO `u`@`%`");
  ASSERT_TRUE(explicit_table);
  EXPECT_EQ(explicit_table->level, GrantLevel::kTable);
  EXPECT_EQ(explicit_table->table, "orders");
}

TEST(GrantStatementTest, ParsesRoutinesAndPartialRevokes) {
  const auto routine =
      ParseGrantStatement("GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE `ecommerce`.`p` TO `u`@`%`");
  ASSERT_TRUE(routine);
  EXPECT_EQ(routine->level, GrantLevel::kRoutine);
  EXPECT_EQ(routine->table, "p");
  ASSERT_TRUE(ParseGrantStatement("GRANT EXECUTE ON PACKAGE BODY `db`.`pkg` TO `u`@`%`"));

  const auto revoke = ParseGrantStatement("REVOKE SELECT, INSERT ON `mysql`.* FROM `u`@`%`");
  ASSERT_TRUE(revoke);
  EXPECT_TRUE(revoke->revoke);
  EXPECT_EQ(revoke->level, GrantLevel::kSchema);
  EXPECT_EQ(revoke->schema, "mysql");
}

TEST(GrantStatementTest, IgnoresWhatGrantsNothingOnData) {
  EXPECT_FALSE(
      ParseGrantStatement("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"));
  EXPECT_FALSE(ParseGrantStatement("GRANT PROXY ON ``@`` TO `root`@`localhost` WITH GRANT OPTION"));
  EXPECT_FALSE(ParseGrantStatement("SET DEFAULT ROLE `replicator` FOR `dms_remote`@`%`"));
  EXPECT_FALSE(ParseGrantStatement(""));
  EXPECT_FALSE(ParseGrantStatement("GRANT SELECT ON `unterminated.* TO `u`@`%`"));
  EXPECT_FALSE(ParseGrantStatement("GRANT SELECT ON `db`.* "));
  EXPECT_FALSE(ParseGrantStatement("SELECT 1"));
}

// The exact output of SHOW GRANTS for the private MariaDB's replication user.
TEST(UserGrantsTest, LeastPrivilegeReplicationUser) {
  const auto grants = UserGrants::Parse({
      "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dms_remote`@`127.0.0.1` IDENTIFIED BY "
      "PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'",
      "GRANT SELECT ON `ecommerce`.* TO `dms_remote`@`127.0.0.1`",
  });
  EXPECT_TRUE(grants.HasGlobal({"REPLICATION SLAVE", "REPLICATION REPLICA"}));
  EXPECT_TRUE(grants.HasGlobal({"BINLOG MONITOR", "REPLICATION CLIENT"}));
  EXPECT_FALSE(grants.HasGlobal({"SELECT"}));
  EXPECT_TRUE(grants.CanSelectSchema("ecommerce"));
  EXPECT_TRUE(grants.CanSelectTable("ecommerce", "orders"));
  EXPECT_FALSE(grants.CanSelectSchema("ecommerce2"));
  EXPECT_FALSE(grants.CanSelectSchema("ECOMMERCE"));
}

TEST(UserGrantsTest, AllPrivilegesOnEverythingCoversEverything) {
  const auto grants =
      UserGrants::Parse({"GRANT ALL PRIVILEGES ON *.* TO `admin`@`%` WITH GRANT OPTION",
                         "GRANT PROXY ON ''@'%' TO 'admin'@'%' WITH GRANT OPTION"});
  EXPECT_TRUE(grants.HasGlobal({"REPLICATION SLAVE"}));
  EXPECT_TRUE(grants.HasGlobal({"BINLOG MONITOR"}));
  EXPECT_TRUE(grants.CanSelectSchema("anything"));
}

TEST(UserGrantsTest, AllOnOneSchemaGrantsNoGlobalPrivilege) {
  const auto grants = UserGrants::Parse({"GRANT USAGE ON *.* TO `store_app`@`127.0.0.1`",
                                         "GRANT ALL PRIVILEGES ON `ecommerce`.* TO "
                                         "`store_app`@`127.0.0.1`"});
  EXPECT_FALSE(grants.HasGlobal({"REPLICATION SLAVE", "REPLICATION REPLICA"}));
  EXPECT_TRUE(grants.CanSelectSchema("ecommerce"));
}

TEST(UserGrantsTest, SimilarPrivilegeNamesDoNotCount) {
  // A MariaDB admin without BINLOG MONITOR but with its look-alikes.
  const auto grants = UserGrants::Parse(
      {"GRANT RELOAD, PROCESS, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, BINLOG ADMIN, "
       "BINLOG REPLAY, SLAVE MONITOR ON *.* TO `ops`@`%`"});
  EXPECT_FALSE(grants.HasGlobal({"REPLICATION SLAVE", "REPLICATION REPLICA"}));
  EXPECT_FALSE(grants.HasGlobal({"BINLOG MONITOR", "REPLICATION CLIENT"}));
}

TEST(UserGrantsTest, MysqlReplicationClientAndWildcardSchemas) {
  const auto grants = UserGrants::Parse({
      "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `repl`@`%`",
      "GRANT SELECT ON `ecom%`.* TO `repl`@`%`",
      "GRANT SELECT ON `shop\\_db`.* TO `repl`@`%`",
      "GRANT SELECT ON `tenant_`.* TO `repl`@`%`",
  });
  EXPECT_TRUE(grants.HasGlobal({"BINLOG MONITOR", "REPLICATION CLIENT"}));
  EXPECT_TRUE(grants.CanSelectSchema("ecommerce"));
  EXPECT_TRUE(grants.CanSelectSchema("ecom"));
  EXPECT_TRUE(grants.CanSelectSchema("shop_db"));
  EXPECT_FALSE(grants.CanSelectSchema("shopXdb"));  // '\_' is a literal underscore
  EXPECT_TRUE(grants.CanSelectSchema("tenant1"));   // '_' is any one character
  EXPECT_FALSE(grants.CanSelectSchema("tenant12"));
}

TEST(UserGrantsTest, TableAndColumnLevelGrants) {
  const auto grants = UserGrants::Parse({
      "GRANT USAGE ON *.* TO `u`@`%`",
      "GRANT SELECT ON `ecommerce`.`orders` TO `u`@`%`",
      "GRANT SELECT (`id`, `email`) ON `ecommerce`.`customers` TO `u`@`%`",
  });
  EXPECT_FALSE(grants.CanSelectSchema("ecommerce"));
  EXPECT_TRUE(grants.CanSelectTable("ecommerce", "orders"));
  EXPECT_FALSE(grants.CanSelectTable("ecommerce", "customers"));  // some columns only
  EXPECT_FALSE(grants.CanSelectTable("ecommerce", "payments"));
}

TEST(UserGrantsTest, GrantsThroughARoleCount) {
  // SHOW GRANTS of a session whose default role is active lists the role's
  // privileges too.
  const auto grants = UserGrants::Parse({
      "GRANT `replicator` TO `dms_remote`@`%`",
      "GRANT USAGE ON *.* TO `dms_remote`@`%`",
      "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `replicator`",
      "GRANT SELECT ON `ecommerce`.* TO `replicator`",
      "SET DEFAULT ROLE `replicator` FOR `dms_remote`@`%`",
  });
  EXPECT_TRUE(grants.HasGlobal({"REPLICATION SLAVE"}));
  EXPECT_TRUE(grants.CanSelectSchema("ecommerce"));
}

TEST(UserGrantsTest, MysqlPartialRevokeTakesASchemaAway) {
  const auto grants = UserGrants::Parse({
      "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `repl`@`%`",
      "REVOKE SELECT ON `ecommerce`.* FROM `repl`@`%`",
  });
  EXPECT_TRUE(grants.CanSelectSchema("shop"));
  EXPECT_FALSE(grants.CanSelectSchema("ecommerce"));
  EXPECT_FALSE(grants.CanSelectTable("ecommerce", "orders"));
  EXPECT_TRUE(grants.HasGlobal({"REPLICATION SLAVE"}));
}

TEST(LikeMatchesTest, WildcardsEscapesAndCase) {
  EXPECT_TRUE(LikeMatches("ecommerce.%", "ecommerce.orders", false));
  EXPECT_TRUE(LikeMatches("ecommerce.%", "ecommerce.", false));
  EXPECT_FALSE(LikeMatches("ecommerce.%", "ecommerce", false));
  EXPECT_TRUE(LikeMatches("%.order_items", "shop.order_items", false));
  EXPECT_TRUE(LikeMatches("%.order_items", "shop.orderXitems", false));
  EXPECT_FALSE(LikeMatches("%.order\\_items", "shop.orderXitems", false));
  EXPECT_TRUE(LikeMatches("a%b%c", "aXXbYYbZc", false));
  EXPECT_FALSE(LikeMatches("a%b%c", "aXXbYYbZ", false));
  EXPECT_TRUE(LikeMatches("%", "", false));
  EXPECT_FALSE(LikeMatches("_", "", false));
  EXPECT_TRUE(LikeMatches("100\\%", "100%", false));
  EXPECT_FALSE(LikeMatches("100\\%", "1000", false));
  EXPECT_TRUE(LikeMatches("ECOMMERCE.%", "ecommerce.Orders", true));
  EXPECT_FALSE(LikeMatches("ECOMMERCE.%", "ecommerce.Orders", false));
}

TEST(TableFilterTest, IncludeThenExclude) {
  const TableFilter filter({"ecommerce.%", "", "crm.customers"}, {"ecommerce.tmp\\_%", ""});
  EXPECT_TRUE(filter.Selects("ecommerce", "orders"));
  EXPECT_TRUE(filter.Selects("crm", "customers"));
  EXPECT_FALSE(filter.Selects("crm", "leads"));
  EXPECT_FALSE(filter.Selects("ecommerce", "tmp_import"));
  EXPECT_TRUE(filter.Selects("ecommerce", "tmpfile"));
  EXPECT_EQ(filter.include().size(), 2u);
  EXPECT_EQ(filter.exclude().size(), 1u);
  EXPECT_FALSE(TableFilter({}, {}).Selects("ecommerce", "orders"));
}

}  // namespace
}  // namespace futureim::source
