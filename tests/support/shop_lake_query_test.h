#pragma once

// A test suite base with one QueryRunner over the shop lake (WriteShopLake),
// built once per suite: the lake is read-only to every test of the suite.

#include <memory>

#include <gtest/gtest.h>

#include "query/query_runner.h"
#include "support/lake_fixture.h"
#include "support/temp_dir.h"

namespace futureim::testing {

class ShopLakeQueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>("query-shop");
    LakeFixtureWriter lake(dir_->path() / "lake");
    WriteShopLake(lake);
    runner_ = std::make_unique<query::QueryRunner>(dir_->path() / "lake");
  }
  static void TearDownTestSuite() {
    runner_.reset();
    dir_.reset();
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<query::QueryRunner> runner_;
};

}  // namespace futureim::testing
