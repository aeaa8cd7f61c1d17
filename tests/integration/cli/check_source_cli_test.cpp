// `futureim check-source` end to end: the real binary against a private
// MariaDB, its table and JSON output, and its exit codes.

#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/store_schema.h"
#include "source/mysql_connection.h"
#include "support/private_mariadb.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim {
namespace {

using testing::RunProcess;

class CheckSourceCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<testing::PrivateMariadb>();
    auto store = source::MysqlConnection::Connect(server_->StoreUser());
    generate::ApplyStoreSchema(store);
  }
  static void TearDownTestSuite() { server_.reset(); }

  // futureim with the installation in `workdir_` and the source set to the
  // private server's replication user through the environment.
  testing::ProcessResult Futureim(std::vector<std::string> args,
                                  std::map<std::string, std::string> env = {}) {
    auto base = server_->FutureimEnvironment(workdir_.path());
    for (auto& [k, v] : env) base[k] = v;
    args.insert(args.begin(), testing::FutureimBinary());
    return RunProcess(args, base);
  }

  static nlohmann::json Check(const nlohmann::json& report, const std::string& name) {
    for (const auto& check : report["checks"]) {
      if (check["name"] == name) return check;
    }
    return nullptr;
  }

  static inline std::unique_ptr<testing::PrivateMariadb> server_;
  testing::TempDir workdir_;
};

TEST_F(CheckSourceCliTest, CorrectSourcePrintsOneLinePerCheckAndExitsZero) {
  const auto result = Futureim({"check-source"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("  ✓ binlog_format           ROW\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("  ✓ tables                  10 tables match ecommerce.%\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("15 checks, 0 warnings, 0 failures: replication can work"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("✗"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find(server_->ReplicationUser().password), std::string::npos);
}

TEST_F(CheckSourceCliTest, JsonListsEveryCheck) {
  const auto result = Futureim({"check-source", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto report = nlohmann::json::parse(result.out);
  EXPECT_TRUE(report["can_replicate"].get<bool>());
  EXPECT_EQ(report["endpoint"], server_->ReplicationUser().Describe());
  ASSERT_EQ(report["checks"].size(), 15u);
  for (const auto& check : report["checks"]) {
    EXPECT_EQ(check["status"], "ok") << check.dump();
    EXPECT_EQ(check["fix"], "") << check.dump();
    EXPECT_FALSE(check["observed"].get<std::string>().empty()) << check.dump();
  }
  EXPECT_EQ(Check(report, "binlog_row_image")["observed"], "FULL");
}

TEST_F(CheckSourceCliTest, WarningsAloneStillExitZero) {
  const auto result =
      Futureim({"check-source", "--json"}, {{"FUTUREIM_REPLICATION_INCLUDE", "nothing.here%"}});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(Check(report, "tables")["status"], "warn");
  EXPECT_TRUE(report["can_replicate"].get<bool>());

  const auto human =
      Futureim({"check-source"}, {{"FUTUREIM_REPLICATION_INCLUDE", "nothing.here%"}});
  EXPECT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("  ! tables "), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("1 warning, 0 failures"), std::string::npos) << human.out;
}

TEST_F(CheckSourceCliTest, AFailingCheckExitsOneAndNamesTheFix) {
  {
    auto root = source::MysqlConnection::Connect(server_->Root());
    root.Execute("SET SESSION sql_log_bin = 0");
    root.Execute("CREATE OR REPLACE USER 'cli_no_slave'@'127.0.0.1' IDENTIFIED BY 'Cli-Pw-1'");
    root.Execute("GRANT BINLOG MONITOR ON *.* TO 'cli_no_slave'@'127.0.0.1'");
    root.Execute("GRANT SELECT ON ecommerce.* TO 'cli_no_slave'@'127.0.0.1'");
    root.Execute("SET GLOBAL binlog_format = 'STATEMENT'");
  }
  const std::map<std::string, std::string> user = {{"FUTUREIM_SOURCE_USER", "cli_no_slave"},
                                                   {"FUTUREIM_SOURCE_PASSWORD", "Cli-Pw-1"}};
  const auto json = Futureim({"check-source", "--json"}, user);
  const auto human = Futureim({"check-source"}, user);
  {
    auto root = source::MysqlConnection::Connect(server_->Root());
    root.Execute("SET GLOBAL binlog_format = 'ROW'");
  }

  EXPECT_EQ(json.exit_code, 1) << json.out << json.err;
  const auto report = nlohmann::json::parse(json.out);
  EXPECT_FALSE(report["can_replicate"].get<bool>());
  EXPECT_EQ(Check(report, "grant_replication_slave")["status"], "fail");
  EXPECT_EQ(Check(report, "grant_replication_slave")["fix"],
            "GRANT REPLICATION SLAVE ON *.* TO 'cli_no_slave'@'127.0.0.1';");
  EXPECT_EQ(Check(report, "binlog_format")["status"], "fail");

  EXPECT_EQ(human.exit_code, 1);
  EXPECT_NE(human.out.find("  ✗ grant_replication_slave "), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("→ fix: GRANT REPLICATION SLAVE ON *.* TO 'cli_no_slave'@'127.0.0.1';"),
            std::string::npos)
      << human.out;
  EXPECT_NE(human.out.find("2 failures: replication cannot work"), std::string::npos) << human.out;
  EXPECT_EQ(human.out.find("Cli-Pw-1"), std::string::npos);
}

TEST_F(CheckSourceCliTest, WrongPasswordIsAClearErrorWithoutTheSecret) {
  const std::map<std::string, std::string> wrong = {{"FUTUREIM_SOURCE_PASSWORD", "Wrong-Pa55word"}};
  const auto human = Futureim({"check-source"}, wrong);
  EXPECT_EQ(human.exit_code, 1);
  EXPECT_NE(human.out.find("✗ connection"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("access denied for user 'dms_remote'"), std::string::npos) << human.out;
  const auto json = Futureim({"check-source", "--json"}, wrong);
  EXPECT_EQ(json.exit_code, 1);
  const auto report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report["checks"].size(), 1u);
  EXPECT_EQ(Check(report, "connection")["status"], "fail");
  for (const auto* text : {&human.out, &human.err, &json.out, &json.err}) {
    EXPECT_EQ(text->find("Wrong-Pa55word"), std::string::npos) << *text;
  }
}

TEST_F(CheckSourceCliTest, BrokenConfigIsTheUsualError) {
  std::ofstream(workdir_.path() / "futureim.toml") << "[replication]\ninclude = 7\n";
  const auto result = Futureim({"check-source"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("futureim: error: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("futureim.toml:2"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
}

}  // namespace
}  // namespace futureim
