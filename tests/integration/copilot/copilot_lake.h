#pragma once

// A simulated store replicated and curated into a lake, for the copilot's
// integration tests: `futureim generate` into a private MariaDB, `futureim
// replicate --until-caught-up`, `futureim pipeline run`, then a QueryRunner
// over the lake with the test's lake key.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/config.h"
#include "core/key_store.h"
#include "query/query_runner.h"
#include "support/mariadb_suite.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::testing {

class CopilotLakeSuite : public PrivateMariadbSuite {
 protected:
  // The store is generated as of this day; the copilot is asked the day before.
  static constexpr const char* kAsOf = "2025-11-01";

  static void SetUpTestSuite() {
    PrivateMariadbSuite::SetUpTestSuite();
    if (server_ == nullptr) return;
    workdir_ = std::make_unique<TempDir>("futureim-copilot");
    try {
      BuildLake();
    } catch (const std::exception& e) {
      lake_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    runner_.reset();
    workdir_.reset();
    PrivateMariadbSuite::TearDownTestSuite();
  }
  void SetUp() override {
    PrivateMariadbSuite::SetUp();
    if (runner_ == nullptr) GTEST_FAIL() << "the lake was not built:\n" << lake_error_;
  }

  static std::map<std::string, std::string> Environment() {
    auto env = Server().FutureimEnvironment(workdir_->path());
    env["FUTUREIM_LAKE_PATH"] = (workdir_->path() / "lake").string();
    env[core::Config::EnvVarName("lake.encryption_key")] = LakeKey();
    return env;
  }

  static ProcessResult Futureim(std::vector<std::string> args,
                                std::map<std::string, std::string> extra = {}) {
    auto env = Environment();
    for (auto& [k, v] : extra) env[k] = v;
    args.insert(args.begin(), FutureimBinary());
    return RunProcess(args, env);
  }

  static void BuildLake() {
    auto root = source::MysqlConnection::Connect(Server().Root());
    root.Execute("DROP DATABASE IF EXISTS ecommerce");
    root.Execute("CREATE DATABASE ecommerce");
    const auto check = [](const ProcessResult& result, const char* step) {
      if (result.exit_code != 0) throw std::runtime_error(std::string(step) + ": " + result.err);
    };
    check(Futureim({"init"}), "init");
    const auto store = Server().StoreUser();
    check(Futureim({"--log-level", "warn", "generate", "--scale", "0.2", "--seed", "7", "--as-of",
                    kAsOf, "--target",
                    "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) +
                        "/ecommerce"},
                   {{"FUTUREIM_TARGET_PASSWORD", store.password}}),
          "generate");
    check(Futureim({"--log-level", "warn", "replicate", "--until-caught-up"}), "replicate");
    check(Futureim({"--log-level", "warn", "pipeline", "run"}), "pipeline run");
    query::QueryDatabaseOptions options;
    options.lake_key = LakeKey();
    runner_ = std::make_unique<query::QueryRunner>(workdir_->path() / "lake", options);
  }

  static const std::string& LakeKey() {
    static const std::string key = core::GenerateKey();
    return key;
  }

  static inline std::unique_ptr<TempDir> workdir_;
  static inline std::unique_ptr<query::QueryRunner> runner_;
  static inline std::string lake_error_;
};

}  // namespace futureim::testing
