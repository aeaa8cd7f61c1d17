// `futureim serve` with every part in one process, on real parts: a private
// MariaDB filled by `futureim generate`, the real binary as a subprocess
// (replication, the scheduled pipeline and the API), real HTTP on loopback.
// A row inserted on the source must be answered by POST /query from the
// curated tier within a bounded time, and SIGTERM must stop it all cleanly.

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "api_server_process.h"
#include "support/mariadb_suite.h"

namespace futureim::testing {
namespace {

using Clock = std::chrono::steady_clock;

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
  // The source's settings for a serve process, a 2 s pipeline interval, and
  // info logs (the parts' events are checked).
  static std::map<std::string, std::string> Settings() {
    auto env = Server().FutureimEnvironment("");
    env.erase("FUTUREIM_WORKDIR");  // ApiServerProcess has its own
    env["FUTUREIM_PIPELINE_INTERVAL_SECONDS"] = "2";
    env["FUTUREIM_LOG_LEVEL"] = "info";
    return env;
  }

  static std::string Login(ApiServerProcess& server) {
    const auto reply =
        server.Call("POST", "/auth/login", {{"email", kAdminEmail}, {"password", kAdminPassword}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    return JsonOf(reply).value("access_token", "");
  }
};

TEST_F(ServePartsTest, ARowInsertedOnTheSourceIsQueryableAfterTheScheduledPipelineRuns) {
  auto root = source::MysqlConnection::Connect(Server().Root());
  root.Execute("DROP DATABASE IF EXISTS ecommerce");
  root.Execute("CREATE DATABASE ecommerce");
  const auto store = Server().StoreUser();
  TempDir generate_dir("futureim-serve-generate");
  const auto generated = RunProcess(
      {FutureimBinary(), "--log-level", "warn", "generate", "--scale", "0.05", "--seed", "5",
       "--target",
       "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/ecommerce"},
      {{"FUTUREIM_WORKDIR", generate_dir.path().string()},
       {"FUTUREIM_TARGET_PASSWORD", store.password}});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;

  ApiServerProcess server(Settings(), {});  // no part flag: replication, pipeline and API
  EXPECT_NE(server.Log().find("running replication, pipeline, api (pipeline every 2 s)"),
            std::string::npos)
      << server.Log();
  const std::string token = Login(server);
  ASSERT_FALSE(token.empty());

  // A row written on the source while everything runs.
  const std::string id = "serve-e2e-" + core::GenerateKey().substr(0, 12);
  auto store_connection = source::MysqlConnection::Connect(store);
  store_connection.Execute(
      "INSERT INTO ecommerce.categories (category_id, category_name) VALUES ('" + id +
      "', 'Served live')");
  const auto inserted = Clock::now();

  const nlohmann::json sql = {
      {"sql", "SELECT category_name FROM curated.categories WHERE category_id = '" + id + "'"}};
  nlohmann::json answer;
  const auto limit = std::chrono::seconds(120);
  while (Clock::now() - inserted < limit) {
    const auto reply = server.Call("POST", "/query", sql, token);
    // Before the first curated run the view does not exist yet (a 4xx
    // naming the table); never a server error.
    ASSERT_TRUE(reply.status == 200 || reply.status == 400 || reply.status == 422)
        << reply.status << reply.body;
    answer = JsonOf(reply);
    if (reply.status == 200 && answer.value("row_count", 0) == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - inserted).count() /
      1000.0;
  ASSERT_EQ(answer.value("row_count", 0), 1) << answer.dump() << "\n" << server.Log();
  EXPECT_EQ(answer["rows"][0]["category_name"], "Served live");
  std::cout << "[ info ] the inserted row was answered from curated.* after " << seconds << " s\n";
  EXPECT_NE(server.Log().find("\"pipeline_run\""), std::string::npos);

  // The home page's data health was recomputed after the runs: every
  // curated table with its rows and quality.
  const auto health = server.Call("GET", "/data/health", nullptr, token);
  ASSERT_EQ(health.status, 200) << health.body;
  const auto summary = JsonOf(health);
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
  EXPECT_EQ(server.Call("GET", "/health").status, 200);

  EXPECT_EQ(server.Stop(), 0) << server.Log();
  const std::string log = server.Log();
  EXPECT_NE(log.find("futureim serve: stopped"), std::string::npos) << log;
  EXPECT_EQ(log.find("serve_part_failed"), std::string::npos) << log;

  // Replication committed where it stopped: a one-shot run afterwards only
  // has to catch up.
  const auto caught_up = RunProcess(
      {FutureimBinary(), "--log-level", "warn", "replicate", "--until-caught-up"}, server.env());
  ASSERT_EQ(caught_up.exit_code, 0) << caught_up.err;
}

TEST_F(ServePartsTest, AnUnreachableSourceIsRetriedAndNeverTakesTheApiDown) {
  auto settings = Settings();
  settings["FUTUREIM_SOURCE_PORT"] = std::to_string(ClosedPort());
  ApiServerProcess server(settings, {});

  // Replication retries with backoff; the pipeline waits for its first
  // manifest; the API answers throughout.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline &&
         server.Log().find("replication_source_lost") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(server.Log().find("replication_source_lost"), std::string::npos) << server.Log();
  EXPECT_EQ(server.Call("GET", "/health").status, 200);
  EXPECT_FALSE(Login(server).empty());
  EXPECT_NE(server.Log().find("pipeline_waiting_for_replication"), std::string::npos)
      << server.Log();
  EXPECT_EQ(server.Stop(), 0) << server.Log();
}

TEST_F(ServePartsTest, PartFlagsRunOnlyThePartsNamed) {
  auto settings = Settings();
  settings["FUTUREIM_SOURCE_PORT"] = std::to_string(ClosedPort());
  ApiServerProcess server(settings, {"--api"});
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const std::string log = server.Log();
  EXPECT_NE(log.find("running api;"), std::string::npos) << log;
  // No replication ran, so nothing tried the (closed) source.
  EXPECT_EQ(log.find("replication_source_lost"), std::string::npos) << log;
  EXPECT_EQ(server.Stop(), 0) << server.Log();
}

}  // namespace
}  // namespace futureim::testing
