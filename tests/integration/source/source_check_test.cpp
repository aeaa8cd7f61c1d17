// SourceCheck against real private MariaDB servers: a correct one, and ones
// misconfigured one way each (server options, users missing a grant, tables
// without keys, wrong credentials).

#include "source/source_check.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "generate/store_schema.h"
#include "source/mysql_connection.h"
#include "support/private_mariadb.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim {
namespace {

using source::CheckStatus;
using source::MysqlConnection;
using source::SourceCheck;
using source::SourceCheckItem;
using source::SourceCheckReport;
using source::SourceEndpoint;
using source::TableFilter;
using testing::PrivateMariadb;

constexpr int64_t kReplicaServerId = 4001;

const std::vector<std::string> kCheckNames = {
    "connection",
    "server_version",
    "log_bin",
    "binlog_format",
    "binlog_row_image",
    "binlog_row_metadata",
    "server_id",
    "binlog_retention",
    "binlog_checksum",
    "grant_replication_slave",
    "grant_binlog_monitor",
    "grant_select",
    "tls",
    "tables",
    "primary_keys",
};

TableFilter DefaultTables() { return TableFilter({"ecommerce.%"}, {}); }

SourceCheckReport Check(const SourceEndpoint& endpoint, TableFilter tables = DefaultTables()) {
  return SourceCheck(endpoint, std::move(tables), kReplicaServerId).Run();
}

const SourceCheckItem& Item(const SourceCheckReport& report, const std::string& name) {
  for (const auto& item : report.items) {
    if (item.name == name) return item;
  }
  throw std::runtime_error("the report has no item " + name);
}

std::string Dump(const SourceCheckReport& report) {
  std::string out;
  for (const auto& item : report.items) {
    out += std::string(source::CheckStatusName(item.status)) + " " + item.name + ": " +
           item.observed + (item.fix.empty() ? "" : " | fix: " + item.fix) + "\n";
  }
  return out;
}

// Every item but those in `not_ok` is ok.
void ExpectOkExcept(const SourceCheckReport& report, const std::vector<std::string>& not_ok) {
  for (const auto& item : report.items) {
    if (std::find(not_ok.begin(), not_ok.end(), item.name) != not_ok.end()) continue;
    EXPECT_EQ(item.status, CheckStatus::kOk) << Dump(report);
    EXPECT_TRUE(item.fix.empty()) << item.name;
  }
}

// A server started with extra options, checked as the replication user.
SourceCheckReport CheckServerStartedWith(std::vector<std::string> options) {
  PrivateMariadb server(std::move(options));
  {
    auto store = MysqlConnection::Connect(server.StoreUser());
    generate::ApplyStoreSchema(store);
  }
  return Check(server.ReplicationUser());
}

class SourceCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = std::make_unique<PrivateMariadb>();
      auto store = MysqlConnection::Connect(server_->StoreUser());
      generate::ApplyStoreSchema(store);
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    if (server_ == nullptr || !start_error_.empty()) {
      GTEST_FAIL() << "the private MariaDB did not start:\n" << start_error_;
    }
  }

  static MysqlConnection Root() { return MysqlConnection::Connect(server_->Root()); }

  // A fresh TCP user with `grants` (each "PRIVILEGES ON object"), returned
  // as an endpoint like the replication user's.
  static SourceEndpoint CreateUser(const std::string& name,
                                   const std::vector<std::string>& grants) {
    auto root = Root();
    root.Execute("SET SESSION sql_log_bin = 0");
    root.Execute("CREATE OR REPLACE USER '" + name + "'@'127.0.0.1' IDENTIFIED BY 'Pw-" + name +
                 "'");
    for (const auto& grant : grants) {
      root.Execute("GRANT " + grant + " TO '" + name + "'@'127.0.0.1'");
    }
    SourceEndpoint endpoint = server_->ReplicationUser();
    endpoint.user = name;
    endpoint.password = "Pw-" + name;
    return endpoint;
  }

  static inline std::unique_ptr<PrivateMariadb> server_;
  static inline std::string start_error_;
};

TEST_F(SourceCheckTest, CorrectlyConfiguredServerPassesEveryCheck) {
  const auto report = Check(server_->ReplicationUser());
  std::vector<std::string> names;
  for (const auto& item : report.items) names.push_back(item.name);
  EXPECT_EQ(names, kCheckNames);
  ExpectOkExcept(report, {});
  EXPECT_TRUE(report.CanReplicate());
  EXPECT_EQ(report.endpoint, server_->ReplicationUser().Describe());

  EXPECT_EQ(Item(report, "connection").observed, "logged in as 'dms_remote'@'127.0.0.1'");
  EXPECT_NE(Item(report, "server_version").observed.find("MariaDB 10."), std::string::npos);
  EXPECT_EQ(Item(report, "binlog_format").observed, "ROW");
  EXPECT_EQ(Item(report, "binlog_row_image").observed, "FULL");
  EXPECT_EQ(Item(report, "binlog_row_metadata").observed, "FULL");
  EXPECT_EQ(Item(report, "binlog_retention").observed, "604800 s (7 days)");
  EXPECT_EQ(Item(report, "binlog_checksum").observed, "CRC32");
  EXPECT_EQ(Item(report, "grant_select").observed, "SELECT on `ecommerce`.*");
  EXPECT_NE(Item(report, "tls").observed.find("loopback"), std::string::npos);
  EXPECT_EQ(Item(report, "tables").observed, "10 tables match ecommerce.%");
  for (const auto& item : report.items) {
    EXPECT_EQ(item.observed.find(server_->ReplicationUser().password), std::string::npos);
  }
}

TEST_F(SourceCheckTest, MissingReplicationSlaveNamesTheGrant) {
  const auto endpoint =
      CreateUser("no_slave", {"BINLOG MONITOR ON *.*", "SELECT ON `ecommerce`.*"});
  const auto report = Check(endpoint);
  EXPECT_FALSE(report.CanReplicate());
  const auto& item = Item(report, "grant_replication_slave");
  EXPECT_EQ(item.status, CheckStatus::kFail);
  EXPECT_EQ(item.fix, "GRANT REPLICATION SLAVE ON *.* TO 'no_slave'@'127.0.0.1';");
  ExpectOkExcept(report, {"grant_replication_slave"});
}

TEST_F(SourceCheckTest, MissingBinlogMonitorNamesTheGrant) {
  const auto endpoint =
      CreateUser("no_monitor", {"REPLICATION SLAVE ON *.*", "SELECT ON `ecommerce`.*"});
  const auto report = Check(endpoint);
  EXPECT_FALSE(report.CanReplicate());
  const auto& item = Item(report, "grant_binlog_monitor");
  EXPECT_EQ(item.status, CheckStatus::kFail);
  EXPECT_EQ(item.fix, "GRANT BINLOG MONITOR ON *.* TO 'no_monitor'@'127.0.0.1';");
  ExpectOkExcept(report, {"grant_binlog_monitor"});
}

TEST_F(SourceCheckTest, ReplicationClientAndReplicaAliasesCount) {
  // MariaDB 10.5.2+ accepts the old and new names and shows its own.
  const auto endpoint = CreateUser(
      "aliases", {"REPLICATION REPLICA, REPLICATION CLIENT ON *.*", "SELECT ON `ecommerce`.*"});
  const auto report = Check(endpoint);
  ExpectOkExcept(report, {});
}

TEST_F(SourceCheckTest, MissingSelectNamesTheGrant) {
  const auto endpoint = CreateUser("no_select", {"REPLICATION SLAVE, BINLOG MONITOR ON *.*"});
  const auto report = Check(endpoint);
  EXPECT_FALSE(report.CanReplicate());
  const auto& item = Item(report, "grant_select");
  EXPECT_EQ(item.status, CheckStatus::kFail);
  EXPECT_EQ(item.fix, "GRANT SELECT ON `ecommerce`.* TO 'no_select'@'127.0.0.1';");
  // Without SELECT the tables are invisible to the user: said so, not hidden.
  const auto& tables = Item(report, "tables");
  EXPECT_EQ(tables.status, CheckStatus::kWarn);
  EXPECT_NE(tables.observed.find("without SELECT"), std::string::npos) << tables.observed;
}

TEST_F(SourceCheckTest, SelectOnSomeTablesOnlyFailsAndWildcardSchemaPasses) {
  const auto partial = CreateUser(
      "some_tables", {"REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `ecommerce`.`orders`",
                      "SELECT (customer_id, email) ON `ecommerce`.`customers`"});
  const auto partial_report = Check(partial);
  EXPECT_EQ(Item(partial_report, "grant_select").status, CheckStatus::kFail)
      << Dump(partial_report);
  EXPECT_EQ(Item(partial_report, "grant_select").fix,
            "GRANT SELECT ON `ecommerce`.* TO 'some_tables'@'127.0.0.1';");

  const auto wildcard =
      CreateUser("wildcard", {"REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `ecom%`.*"});
  ExpectOkExcept(Check(wildcard), {});
}

TEST_F(SourceCheckTest, AllPrivilegesOnEverythingPasses) {
  const auto endpoint = CreateUser("all_priv", {"ALL PRIVILEGES ON *.*"});
  const auto report = Check(endpoint);
  ExpectOkExcept(report, {});
  EXPECT_TRUE(report.CanReplicate());
}

TEST_F(SourceCheckTest, IncludePatternMatchingNothingWarns) {
  const auto report = Check(server_->ReplicationUser(), TableFilter({"shop.%"}, {}));
  const auto& tables = Item(report, "tables");
  EXPECT_EQ(tables.status, CheckStatus::kWarn);
  EXPECT_NE(tables.observed.find("no base table matches replication.include (shop.%)"),
            std::string::npos)
      << tables.observed;
  EXPECT_NE(tables.fix.find("replication.include"), std::string::npos);
  EXPECT_TRUE(report.CanReplicate());
}

TEST_F(SourceCheckTest, ExcludePatternsAreApplied) {
  const auto report =
      Check(server_->ReplicationUser(), TableFilter({"ecommerce.%"}, {"ecommerce.order%"}));
  EXPECT_EQ(Item(report, "tables").observed,
            "8 tables match ecommerce.% excluding ecommerce.order%");
}

TEST_F(SourceCheckTest, TableWithoutPrimaryKeyIsListed) {
  auto root = Root();
  root.Execute("CREATE TABLE ecommerce.audit_note (note TEXT)");
  root.Execute("CREATE VIEW ecommerce.order_view AS SELECT order_id FROM ecommerce.orders");
  const auto report = Check(server_->ReplicationUser());
  root.Execute("DROP VIEW ecommerce.order_view");
  root.Execute("DROP TABLE ecommerce.audit_note");

  EXPECT_EQ(Item(report, "tables").observed, "11 tables match ecommerce.%");  // no view
  const auto& keys = Item(report, "primary_keys");
  EXPECT_EQ(keys.status, CheckStatus::kWarn);
  EXPECT_NE(keys.observed.find("1 table has no primary key and will be loaded whole"),
            std::string::npos)
      << keys.observed;
  EXPECT_NE(keys.observed.find("ecommerce.audit_note"), std::string::npos);
  EXPECT_FALSE(keys.fix.empty());
  EXPECT_TRUE(report.CanReplicate());
}

TEST_F(SourceCheckTest, ShortAndUnlimitedRetention) {
  auto root = Root();
  root.Execute("SET GLOBAL binlog_expire_logs_seconds = 3600");
  const auto short_report = Check(server_->ReplicationUser());
  root.Execute("SET GLOBAL binlog_expire_logs_seconds = 0");
  const auto unlimited_report = Check(server_->ReplicationUser());
  root.Execute("SET GLOBAL binlog_expire_logs_seconds = 604800");

  const auto& short_item = Item(short_report, "binlog_retention");
  EXPECT_EQ(short_item.status, CheckStatus::kWarn);
  EXPECT_NE(short_item.observed.find("3600 s (1 h)"), std::string::npos) << short_item.observed;
  EXPECT_NE(short_item.fix.find("SET GLOBAL binlog_expire_logs_seconds='604800'"),
            std::string::npos)
      << short_item.fix;
  EXPECT_TRUE(short_report.CanReplicate());

  const auto& unlimited = Item(unlimited_report, "binlog_retention");
  EXPECT_EQ(unlimited.status, CheckStatus::kOk);
  EXPECT_NE(unlimited.observed.find("unlimited"), std::string::npos);
}

// (A source server_id of 0 cannot be tested here: MariaDB 10.11 clamps it
// to 1. MySQL accepts 0, and the check fails it.)
TEST_F(SourceCheckTest, ServerIdEqualToTheReplicasFails) {
  const auto same = SourceCheck(server_->ReplicationUser(), DefaultTables(), 1).Run();
  EXPECT_EQ(Item(same, "server_id").status, CheckStatus::kFail);
  EXPECT_NE(Item(same, "server_id").fix.find("replication.server_id"), std::string::npos);
  EXPECT_FALSE(same.CanReplicate());
}

TEST_F(SourceCheckTest, MissingDatabaseFails) {
  auto endpoint = CreateUser("all_dbs", {"ALL PRIVILEGES ON *.*"});
  endpoint.database = "no_such_db";
  const auto report = Check(endpoint);
  const auto& tables = Item(report, "tables");
  EXPECT_EQ(tables.status, CheckStatus::kFail) << Dump(report);
  EXPECT_NE(tables.observed.find("`no_such_db` (source.database) does not exist"),
            std::string::npos)
      << tables.observed;
  EXPECT_FALSE(report.CanReplicate());
}

TEST_F(SourceCheckTest, UnixSocketNeedsNoTls) {
  const auto report = Check(server_->Root());
  EXPECT_EQ(Item(report, "tls").status, CheckStatus::kOk);
  EXPECT_NE(Item(report, "tls").observed.find("Unix socket"), std::string::npos);
  ExpectOkExcept(report, {});
}

TEST_F(SourceCheckTest, WrongPasswordIsAClearFailure) {
  auto endpoint = server_->ReplicationUser();
  endpoint.password = "Wrong-Pa55word";
  const auto report = Check(endpoint);
  ASSERT_EQ(report.items.size(), 1u) << Dump(report);
  const auto& item = report.items.front();
  EXPECT_EQ(item.name, "connection");
  EXPECT_EQ(item.status, CheckStatus::kFail);
  EXPECT_NE(item.observed.find("access denied for user 'dms_remote'"), std::string::npos)
      << item.observed;
  EXPECT_NE(item.fix.find("source.user and the password"), std::string::npos);
  EXPECT_EQ(Dump(report).find("Wrong-Pa55word"), std::string::npos);
  EXPECT_FALSE(report.CanReplicate());
}

TEST_F(SourceCheckTest, UnreachableServerIsAClearFailure) {
  auto endpoint = server_->ReplicationUser();
  endpoint.port = 1;  // nothing listens there
  const auto report = Check(endpoint);
  ASSERT_EQ(report.items.size(), 1u);
  EXPECT_NE(report.items.front().observed.find("cannot reach"), std::string::npos);
  EXPECT_NE(report.items.front().fix.find("source.host and source.port"), std::string::npos);
}

// Servers misconfigured through their options (one server each).

TEST(SourceCheckServerOptionsTest, StatementFormatFails) {
  const auto report = CheckServerStartedWith({"--binlog-format=STATEMENT"});
  const auto& item = Item(report, "binlog_format");
  EXPECT_EQ(item.status, CheckStatus::kFail);
  EXPECT_NE(item.observed.find("STATEMENT"), std::string::npos);
  EXPECT_NE(item.fix.find("set binlog_format=ROW in the server's [mysqld] section and restart, "
                          "or SET GLOBAL binlog_format='ROW'"),
            std::string::npos)
      << item.fix;
  EXPECT_FALSE(report.CanReplicate());
  ExpectOkExcept(report, {"binlog_format"});
}

TEST(SourceCheckServerOptionsTest, MinimalRowImageFails) {
  const auto report = CheckServerStartedWith({"--binlog-row-image=MINIMAL"});
  const auto& item = Item(report, "binlog_row_image");
  EXPECT_EQ(item.status, CheckStatus::kFail);
  EXPECT_NE(item.fix.find("binlog_row_image=FULL"), std::string::npos);
  EXPECT_FALSE(report.CanReplicate());
  ExpectOkExcept(report, {"binlog_row_image"});
}

TEST(SourceCheckServerOptionsTest, MinimalRowMetadataWarnsAndNamesTheFallback) {
  const auto report = CheckServerStartedWith({"--binlog-row-metadata=MINIMAL"});
  const auto& item = Item(report, "binlog_row_metadata");
  EXPECT_EQ(item.status, CheckStatus::kWarn);
  EXPECT_NE(item.observed.find("MINIMAL"), std::string::npos);
  EXPECT_NE(item.observed.find("schema from information_schema"), std::string::npos);
  EXPECT_NE(item.fix.find("binlog_row_metadata=FULL"), std::string::npos);
  EXPECT_TRUE(report.CanReplicate());
  ExpectOkExcept(report, {"binlog_row_metadata"});
}

TEST(SourceCheckServerOptionsTest, DisabledBinlogFails) {
  const auto report = CheckServerStartedWith({"--skip-log-bin"});
  const auto& item = Item(report, "log_bin");
  EXPECT_EQ(item.status, CheckStatus::kFail);
  EXPECT_NE(item.fix.find("log_bin=mysql-bin"), std::string::npos);
  EXPECT_FALSE(report.CanReplicate());
}

TEST(SourceCheckServerOptionsTest, TlsSessionIsReportedAsEncrypted) {
  testing::TempDir certs("futureim-tls");
  const auto key = (certs.path() / "key.pem").string();
  const auto cert = (certs.path() / "cert.pem").string();
  const auto made =
      testing::RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                           key, "-out", cert, "-days", "2", "-subj", "/CN=futureim-test"});
  ASSERT_EQ(made.exit_code, 0) << made.err;

  PrivateMariadb server({"--ssl-cert=" + cert, "--ssl-key=" + key});
  auto endpoint = server.ReplicationUser();
  endpoint.require_tls = true;
  const auto report = Check(endpoint);
  const auto& item = Item(report, "tls");
  EXPECT_EQ(item.status, CheckStatus::kOk) << Dump(report);
  EXPECT_NE(item.observed.find("encrypted ("), std::string::npos) << item.observed;
  EXPECT_NE(item.observed.find("source.tls = required"), std::string::npos) << item.observed;

  // Connector/C 3.3 tries TLS only when asked to: with source.tls not
  // "required" the session stays plain even though the server offers TLS.
  endpoint.require_tls = false;
  const auto plain = Check(endpoint);
  EXPECT_NE(Item(plain, "tls").observed.find("not encrypted"), std::string::npos)
      << Item(plain, "tls").observed;
}

}  // namespace
}  // namespace futureim
