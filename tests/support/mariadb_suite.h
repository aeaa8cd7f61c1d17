#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "source/mysql_connection.h"
#include "source/source_endpoint.h"
#include "support/private_mariadb.h"

namespace futureim::testing {

// A test suite whose tests share one private MariaDB (CTest runs each test in
// its own process, so in practice one server per test; running the binary
// directly shares one per suite). A server that fails to start fails every
// test of the suite with the script's output instead of crashing.
//
// A suite that needs more set-up hides SetUpTestSuite and calls this one first.
class PrivateMariadbSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = std::make_unique<PrivateMariadb>();
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    if (server_ == nullptr) {
      GTEST_FAIL() << "the private MariaDB did not start:\n" << start_error_;
    }
  }

  static PrivateMariadb& Server() { return *server_; }

  static inline std::unique_ptr<PrivateMariadb> server_;
  static inline std::string start_error_;
};

// A connection whose session time zone is UTC, so TIMESTAMP columns read and
// compare as the UTC text the simulator writes.
inline source::MysqlConnection ConnectUtc(const source::SourceEndpoint& endpoint) {
  auto connection = source::MysqlConnection::Connect(endpoint);
  connection.Execute("SET SESSION time_zone = '+00:00'");
  return connection;
}

// The first column of the first row as a number; 0 for no row or NULL.
inline int64_t QueryInt(source::MysqlConnection& connection, const std::string& sql) {
  const auto value = connection.QueryScalar(sql);
  return value ? std::stoll(*value) : 0;
}

inline double QueryDouble(source::MysqlConnection& connection, const std::string& sql) {
  const auto value = connection.QueryScalar(sql);
  return value ? std::stod(*value) : 0;
}

}  // namespace futureim::testing
