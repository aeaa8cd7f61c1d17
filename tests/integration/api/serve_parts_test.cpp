// `futureim serve` with every part in one process, on real parts: a private
// MariaDB filled by `futureim generate`, the real binary as a subprocess
// (replication, the scheduled pipeline and the API), real HTTP on loopback.
// A row inserted on the source must be answered by POST /query from the
// curated tier within a bounded time, and SIGTERM must stop it all cleanly.

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "core/key_store.h"
#include "support/http_client.h"
#include "support/mariadb_suite.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::testing {
namespace {

using Clock = std::chrono::steady_clock;

const std::string kAdmin = "root@example.com";
const std::string kPassword = "Aa1!" + core::GenerateKey();

// A port nothing listens on: bound by the kernel, then released.
uint16_t ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class ServePartsTest : public PrivateMariadbSuite {
 protected:
  ~ServePartsTest() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  std::map<std::string, std::string> Environment() const {
    auto env = Server().FutureimEnvironment(workdir_.path());
    env["FUTUREIM_ADMIN_PASSWORD"] = kPassword;
    env["FUTUREIM_PIPELINE_INTERVAL_SECONDS"] = "2";
    env["FUTUREIM_LOG_LEVEL"] = "info";
    return env;
  }

  ProcessResult Futureim(std::vector<std::string> args,
                         std::map<std::string, std::string> extra = {}) const {
    auto env = Environment();
    for (auto& [k, v] : extra) env[k] = v;
    args.insert(args.begin(), FutureimBinary());
    return RunProcess(args, env);
  }

  // Starts `futureim serve` with `args` and waits for its API's port.
  void StartServe(std::vector<std::string> args, std::map<std::string, std::string> extra = {}) {
    auto env = Environment();
    for (auto& [k, v] : extra) env[k] = v;
    args.insert(args.begin(), {FutureimBinary(), "serve", "--listen", "127.0.0.1:0"});
    log_ = (workdir_.path() / "serve.log").string();
    pid_ = SpawnProcess(args, env, log_);
    const std::regex url("API at http://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 600; ++i) {
      std::smatch match;
      const std::string text = Log();
      if (std::regex_search(text, match, url)) {
        port_ = static_cast<uint16_t>(std::stoi(match[1]));
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL() << "futureim serve exited: " << text;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "futureim serve did not start: " << Log();
  }

  // SIGTERM; the exit code (or -signal), waiting at most `limit`.
  int StopServe(std::chrono::seconds limit = std::chrono::seconds(60)) {
    ::kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string Login() {
    const auto reply = HttpRequestOnce(
        port_, "POST", "/auth/login",
        nlohmann::json{{"email", kAdmin}, {"password", kPassword}}.dump(),
        {{"Content-Type", "application/json"}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    return nlohmann::json::parse(reply.body, nullptr, false).value("access_token", "");
  }

  TempDir workdir_{"futureim-serve-parts"};
  std::string log_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

TEST_F(ServePartsTest, ARowInsertedOnTheSourceIsQueryableAfterTheScheduledPipelineRuns) {
  auto root = source::MysqlConnection::Connect(Server().Root());
  root.Execute("DROP DATABASE IF EXISTS ecommerce");
  root.Execute("CREATE DATABASE ecommerce");
  const auto init = Futureim({"init", "--admin-email", kAdmin});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const auto store = Server().StoreUser();
  const auto generated = Futureim(
      {"--log-level", "warn", "generate", "--scale", "0.05", "--seed", "5", "--target",
       "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/ecommerce"},
      {{"FUTUREIM_TARGET_PASSWORD", store.password}});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;

  StartServe({});  // no part flag: replication, pipeline and API
  if (HasFatalFailure()) return;
  EXPECT_NE(Log().find("running replication, pipeline, api (pipeline every 2 s)"),
            std::string::npos)
      << Log();
  const std::string token = Login();
  ASSERT_FALSE(token.empty());

  // A row written on the source while everything runs.
  const std::string id = "serve-e2e-" + core::GenerateKey().substr(0, 12);
  auto store_connection = source::MysqlConnection::Connect(store);
  store_connection.Execute(
      "INSERT INTO ecommerce.categories (category_id, category_name) VALUES ('" + id +
      "', 'Served live')");
  const auto inserted = Clock::now();

  const std::string sql =
      "SELECT category_name FROM curated.categories WHERE category_id = '" + id + "'";
  nlohmann::json answer;
  const auto limit = std::chrono::seconds(120);
  while (Clock::now() - inserted < limit) {
    const auto reply = HttpRequestOnce(
        port_, "POST", "/query", nlohmann::json{{"sql", sql}}.dump(),
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    // Before the first curated run the view does not exist yet (a 4xx
    // naming the table); never a server error.
    ASSERT_TRUE(reply.status == 200 || reply.status == 400 || reply.status == 422)
        << reply.status << reply.body;
    answer = nlohmann::json::parse(reply.body, nullptr, false);
    if (reply.status == 200 && answer.value("row_count", 0) == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - inserted).count() /
      1000.0;
  ASSERT_EQ(answer.value("row_count", 0), 1) << answer.dump() << "\n" << Log();
  EXPECT_EQ(answer["rows"][0]["category_name"], "Served live");
  std::cout << "[ info ] the inserted row was answered from curated.* after " << seconds
            << " s\n";
  EXPECT_NE(Log().find("\"pipeline_run\""), std::string::npos);

  // The home page's data health was recomputed after the runs: every
  // curated table with its rows and quality.
  const auto health = HttpRequestOnce(port_, "GET", "/data/health", "",
                                      {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(health.status, 200) << health.body;
  const auto summary = nlohmann::json::parse(health.body);
  EXPECT_GE(summary["table_count"].get<int>(), 10) << health.body;
  bool categories_seen = false;
  for (const auto& table : summary["tables"]) {
    if (table["table"] != "categories") continue;
    categories_seen = true;
    EXPECT_GT(table["rows"].get<int>(), 0);
    EXPECT_GT(table["quality"].get<double>(), 0.5);
  }
  EXPECT_TRUE(categories_seen) << health.body;

  // The API keeps answering other routes while the parts run.
  EXPECT_EQ(HttpRequestOnce(port_, "GET", "/health").status, 200);

  EXPECT_EQ(StopServe(), 0) << Log();
  const std::string log = Log();
  EXPECT_NE(log.find("futureim serve: stopped"), std::string::npos) << log;
  EXPECT_EQ(log.find("serve_part_failed"), std::string::npos) << log;

  // Replication committed where it stopped: a one-shot run afterwards has
  // nothing left but to catch up, and the row is in the raw tier.
  const auto caught_up = Futureim({"--log-level", "warn", "replicate", "--until-caught-up"});
  ASSERT_EQ(caught_up.exit_code, 0) << caught_up.err;
}

TEST_F(ServePartsTest, AnUnreachableSourceIsRetriedAndNeverTakesTheApiDown) {
  const auto init = Futureim({"init", "--admin-email", kAdmin});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  StartServe({}, {{"FUTUREIM_SOURCE_PORT", std::to_string(ClosedPort())}});
  if (HasFatalFailure()) return;

  // Replication retries with backoff; the pipeline waits for its first
  // manifest; the API answers throughout.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline && Log().find("replication_source_lost") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(Log().find("replication_source_lost"), std::string::npos) << Log();
  EXPECT_EQ(HttpRequestOnce(port_, "GET", "/health").status, 200);
  EXPECT_FALSE(Login().empty());
  EXPECT_NE(Log().find("pipeline_waiting_for_replication"), std::string::npos) << Log();

  EXPECT_EQ(StopServe(std::chrono::seconds(30)), 0) << Log();
}

TEST_F(ServePartsTest, PartFlagsRunOnlyThePartsNamed) {
  const auto init = Futureim({"init", "--admin-email", kAdmin});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  StartServe({"--api"}, {{"FUTUREIM_SOURCE_PORT", std::to_string(ClosedPort())}});
  if (HasFatalFailure()) return;
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const std::string log = Log();
  EXPECT_NE(log.find("running api;"), std::string::npos) << log;
  // No replication ran, so nothing tried the (closed) source.
  EXPECT_EQ(log.find("replication_source_lost"), std::string::npos) << log;
  EXPECT_EQ(StopServe(), 0) << Log();
}

}  // namespace
}  // namespace futureim::testing
