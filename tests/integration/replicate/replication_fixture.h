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

}  // namespace futureim::testing
