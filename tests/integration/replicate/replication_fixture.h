#pragma once

// Shared by the replication integration tests: a private MariaDB per suite,
// a lake in a temporary folder, and helpers that run the real replication
// task and read the lake back.

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "replicate/replication_task.h"
#include "replicate/replication_verifier.h"
#include "source/mysql_connection.h"
#include "support/mariadb_suite.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::testing {

class ReplicationFixture : public PrivateMariadbSuite {
 protected:
  void SetUp() override {
    PrivateMariadbSuite::SetUp();
    auto root = Root();
    root.Execute("DROP DATABASE IF EXISTS ecommerce");
    root.Execute("CREATE DATABASE ecommerce");
  }

  source::MysqlConnection Store() const {
    return source::MysqlConnection::Connect(server_->StoreUser());
  }
  source::MysqlConnection Root() const { return source::MysqlConnection::Connect(server_->Root()); }

  replicate::ReplicationOptions Options() const {
    replicate::ReplicationOptions options;
    options.endpoint = server_->ReplicationUser();
    options.layout = lake::RawTierLayout(lake_.path());
    options.chunk_rows = 1000;
    options.flush_interval = std::chrono::milliseconds(200);
    options.reconnect_min = std::chrono::milliseconds(100);
    options.reconnect_max = std::chrono::milliseconds(1000);
    options.stop_when_caught_up = true;
    return options;
  }

  // Runs replication until it has every change the source has.
  void ReplicateUntilCaughtUp() {
    std::atomic<bool> stop{false};
    replicate::ReplicationTask(Options(), stop).Run();
  }

  replicate::VerificationReport Verify() {
    const auto options = Options();
    return replicate::ReplicationVerifier(options).Verify(std::chrono::seconds(10));
  }

  static std::string Describe(const replicate::VerificationReport& report) {
    return report.ToJson().dump(1);
  }

  TempDir lake_{"futureim-lake"};
};

// For tests that run the real `futureim` binary against the suite's server
// and lake (crashes, memory, dropped connections).
class ReplicationProcessFixture : public ReplicationFixture {
 protected:
  std::map<std::string, std::string> Env() const {
    const auto repl = server_->ReplicationUser();
    return {{"FUTUREIM_WORKDIR", workdir_.path().string()},
            {"FUTUREIM_LAKE_PATH", lake_.path().string()},
            {"FUTUREIM_SOURCE_PORT", std::to_string(repl.port)},
            {"FUTUREIM_SOURCE_USER", repl.user},
            {"FUTUREIM_SOURCE_PASSWORD", repl.password},
            {"FUTUREIM_REPLICATION_CHUNK_ROWS", "1000"},
            {"FUTUREIM_REPLICATION_FLUSH_INTERVAL_MS", "100"},
            {"FUTUREIM_LOG_FORMAT", "json"}};
  }

  ProcessResult Futureim(const std::vector<std::string>& args,
                         std::map<std::string, std::string> env = {}) const {
    std::vector<std::string> argv = {FutureimBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto all = Env();
    all.insert(env.begin(), env.end());
    return RunProcess(argv, all);
  }

  // Starts futureim in the background (output in the work folder's
  // children.log); the caller reaps it.
  pid_t Spawn(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {FutureimBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto all = Env();
    all.insert(env.begin(), env.end());
    return SpawnProcess(argv, all, (workdir_.path() / "children.log").string());
  }

  TempDir workdir_{"futureim-work"};
};

}  // namespace futureim::testing
