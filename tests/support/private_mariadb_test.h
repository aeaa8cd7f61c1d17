#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "support/private_mariadb.h"

namespace futureim::testing {

// A test suite with one private MariaDB shared by its tests (CTest runs each
// test in its own process, so in practice one server per test; running the
// binary directly shares one for all). A server that does not start fails
// each test with the script's output.
class PrivateMariadbTest : public ::testing::Test {
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
    if (server_ == nullptr) GTEST_FAIL() << "the private MariaDB did not start:\n" << start_error_;
  }

  static PrivateMariadb& Server() { return *server_; }

 private:
  static inline std::unique_ptr<PrivateMariadb> server_;
  static inline std::string start_error_;
};

}  // namespace futureim::testing
