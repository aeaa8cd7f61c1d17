// The real futureim binary, end to end: init, config and secret handling,
// status and the store schema against a private MariaDB.

#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "source/mysql_connection.h"
#include "support/private_mariadb.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim {
namespace {

using testing::RunProcess;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::PrivateMariadb>(); }
  static void TearDownTestSuite() { server_.reset(); }

  // Runs futureim with the installation in `workdir_` and the source set to
  // the private server's replication user through the environment.
  testing::ProcessResult Futureim(std::vector<std::string> args,
                                  std::map<std::string, std::string> env = {},
                                  const std::string& input = {}) {
    auto base = server_->FutureimEnvironment(workdir_.path());
    for (auto& [k, v] : env) base[k] = v;
    args.insert(args.begin(), testing::FutureimBinary());
    return RunProcess(args, base, input);
  }

  std::string ReadFile(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static inline std::unique_ptr<testing::PrivateMariadb> server_;
  testing::TempDir workdir_;
};

TEST_F(CliTest, InitCreatesInstallationIdempotently) {
  auto first = Futureim({"init"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("created  key store"), std::string::npos) << first.out;
  const auto root = workdir_.path();
  for (const char* path : {"futureim.toml", "futureim.keys", "lake/raw", "lake/curated",
                           "lake/prod", "meta/futureim.db"}) {
    EXPECT_TRUE(std::filesystem::exists(root / path)) << path;
  }
  struct stat st {};
  ASSERT_EQ(::stat((root / "futureim.keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // A user's edit survives a second init, and nothing is re-created.
  std::ofstream(root / "futureim.toml", std::ios::app) << "\n# an operator's note\n";
  const auto config_before = ReadFile(root / "futureim.toml");
  const auto keys_before = ReadFile(root / "futureim.keys");
  auto second = Futureim({"init"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out.find("created"), std::string::npos) << second.out;
  EXPECT_EQ(ReadFile(root / "futureim.toml"), config_before);
  EXPECT_EQ(ReadFile(root / "futureim.keys"), keys_before);
}

TEST_F(CliTest, StatusReportsEverythingAgainstARealSource) {
  ASSERT_EQ(Futureim({"init"}).exit_code, 0);
  auto result = Futureim({"status", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto status = nlohmann::json::parse(result.out);
  EXPECT_TRUE(status["source"]["ok"].get<bool>());
  EXPECT_NE(status["source"]["server_version"].get<std::string>().find("MariaDB"),
            std::string::npos);
  EXPECT_TRUE(status["lake"]["ok"].get<bool>());
  EXPECT_GE(status["metadata"]["schema_version"].get<int>(), 1);
  EXPECT_TRUE(status["key_store"]["ok"].get<bool>());
}

TEST_F(CliTest, StatusWithWrongPasswordSaysSoWithoutLeakingIt) {
  ASSERT_EQ(Futureim({"init"}).exit_code, 0);
  auto result = Futureim({"status", "--json"}, {{"FUTUREIM_SOURCE_PASSWORD", "Wrong-Pa55word"}});
  EXPECT_EQ(result.exit_code, 1);
  const auto status = nlohmann::json::parse(result.out);
  EXPECT_FALSE(status["source"]["ok"].get<bool>());
  const auto error = status["source"]["error"].get<std::string>();
  EXPECT_NE(error.find("ccess denied"), std::string::npos) << error;
  EXPECT_EQ(result.out.find("Wrong-Pa55word"), std::string::npos);
  EXPECT_EQ(result.err.find("Wrong-Pa55word"), std::string::npos);
}

TEST_F(CliTest, StatusBeforeInitNamesTheFix) {
  auto result = Futureim({"status"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("run `futureim init`"), std::string::npos) << result.out;
}

TEST_F(CliTest, ConfigWithASecretIsRefused) {
  std::ofstream(workdir_.path() / "futureim.toml")
      << "[source]\nport = 3306\npassword = \"Sup3r-secret\"\n";
  auto result = Futureim({"status"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("futureim.toml:3"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("is a secret"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("Sup3r-secret"), std::string::npos) << result.err;
}

TEST_F(CliTest, BrokenTomlNamesTheLine) {
  std::ofstream(workdir_.path() / "futureim.toml") << "[source]\n\nhost = 'a\n";
  auto result = Futureim({"config", "show"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("futureim.toml:3:"), std::string::npos) << result.err;
}

// With lake.backend = s3 the local lake is the working copy; a store that is
// not configured is a clear error when the lake is pushed, before any upload.
TEST_F(CliTest, AnS3LakeWithoutItsSettingsIsAClearErrorWhenPushed) {
  ASSERT_EQ(Futureim({"init"}).exit_code, 0);
  const auto result = Futureim({"lake", "push"}, {{"FUTUREIM_LAKE_BACKEND", "s3"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("lake.s3_endpoint is not set"), std::string::npos) << result.err;
  const auto query = Futureim({"query", "SELECT 1 AS one"}, {{"FUTUREIM_LAKE_BACKEND", "s3"}});
  EXPECT_EQ(query.exit_code, 0) << query.err;
}

TEST_F(CliTest, EnvironmentOverrideShowsItsOrigin) {
  auto result = Futureim({"config", "show"}, {{"FUTUREIM_REPLICATION_CHUNK_ROWS", "5000"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(
      result.out.find("replication.chunk_rows = 5000    # env FUTUREIM_REPLICATION_CHUNK_ROWS"),
      std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("source.password = (set)"), std::string::npos);
  EXPECT_EQ(result.out.find(server_->ReplicationUser().password), std::string::npos);
}

TEST_F(CliTest, SecretSetReadsStdinIntoTheKeyStore) {
  ASSERT_EQ(Futureim({"init"}).exit_code, 0);
  const auto repl = server_->ReplicationUser();
  auto set = Futureim({"secret", "set", "source.password"}, {}, repl.password + "\n");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out.find(repl.password), std::string::npos);
  // Without the environment variable, status now authenticates from the key store.
  auto status = Futureim({"status", "--json"}, {{"FUTUREIM_SOURCE_PASSWORD", ""}});
  EXPECT_EQ(status.exit_code, 0) << status.out;
  auto bad = Futureim({"secret", "set", "source.host"}, {}, "x\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("not a secret"), std::string::npos);
}

TEST_F(CliTest, GenerateSchemaOnlyCreatesTheStoreTables) {
  const auto store = server_->StoreUser();
  const std::string target =
      "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/" + store.database;
  for (int run = 0; run < 2; ++run) {  // idempotent
    auto result = Futureim({"generate", "--schema-only", "--target", target},
                           {{"FUTUREIM_TARGET_PASSWORD", store.password}});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("10 tables"), std::string::npos) << result.out;
  }
  auto connection = source::MysqlConnection::Connect(store);
  EXPECT_EQ(connection.QueryScalar("SELECT COUNT(*) FROM information_schema.tables "
                                   "WHERE table_schema = 'ecommerce'"),
            "10");
  auto denied = Futureim({"generate", "--schema-only", "--target", target},
                         {{"FUTUREIM_TARGET_PASSWORD", "nope"}});
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.err.find("ccess denied"), std::string::npos) << denied.err;
}

TEST_F(CliTest, HelpListsEverythingAndAnUnknownSystemIsNamed) {
  auto unknown = Futureim({"systems", "run", "no_such_system"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown system 'no_such_system'"), std::string::npos) << unknown.err;
  EXPECT_EQ(Futureim({"systems"}).exit_code, 2);  // a subcommand is required

  auto help = Futureim({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"init", "status", "generate", "replicate", "serve", "query", "crawl",
                              "catalog", "lake", "pipeline", "audit", "systems"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
  auto usage = Futureim({"no-such-command"});
  EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace futureim
