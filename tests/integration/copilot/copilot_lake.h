#pragma once

// A simulated store replicated and curated into a lake, for the copilot's
// integration tests: `futureim generate` into a private MariaDB, `futureim
// replicate --until-caught-up`, `futureim pipeline run`, then a QueryRunner
// over the lake with the test's lake key.

#include <cstdlib>
#include <filesystem>
#include <fstream>
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
    try {
      // FUTUREIM_COPILOT_TEST_DIR keeps the lake between runs (to iterate on
      // the copilot without rebuilding it); by default it lives in a
      // temporary folder removed afterwards.
      if (const char* keep = std::getenv("FUTUREIM_COPILOT_TEST_DIR")) {
        kept_dir_ = keep;
        std::filesystem::create_directories(kept_dir_);
      } else {
        workdir_ = std::make_unique<TempDir>("futureim-copilot");
      }
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

  static std::filesystem::path Dir() { return workdir_ ? workdir_->path() : kept_dir_; }

  static std::map<std::string, std::string> Environment() {
    auto env = Server().FutureimEnvironment(Dir());
    env["FUTUREIM_LAKE_PATH"] = (Dir() / "lake").string();
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
    const auto ready = Dir() / "lake-ready";
    if (!std::filesystem::exists(ready)) CurateStore();
    query::QueryDatabaseOptions options;
    options.lake_key = LakeKey();
    runner_ = std::make_unique<query::QueryRunner>(Dir() / "lake", options);
  }

  static void CurateStore() {
    auto root = source::MysqlConnection::Connect(Server().Root());
    root.Execute("DROP DATABASE IF EXISTS ecommerce");
    root.Execute("CREATE DATABASE ecommerce");
    const auto check = [](const ProcessResult& result, const char* step) {
      if (result.exit_code != 0) throw std::runtime_error(std::string(step) + ": " + result.err);
    };
    check(Futureim({"init"}), "init");
    const auto store = Server().StoreUser();
    check(Futureim(
              {"--log-level", "warn", "generate", "--scale", "0.2", "--seed", "7", "--as-of", kAsOf,
               "--target",
               "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/ecommerce"},
              {{"FUTUREIM_TARGET_PASSWORD", store.password}}),
          "generate");
    check(Futureim({"--log-level", "warn", "replicate", "--until-caught-up"}), "replicate");
    check(Futureim({"--log-level", "warn", "pipeline", "run"}), "pipeline run");
    if (!kept_dir_.empty()) std::ofstream(Dir() / "lake-ready") << "1\n";
  }

  // A fresh key per test process; a kept lake keeps its key beside it.
  static const std::string& LakeKey() {
    static const std::string key = [] {
      if (kept_dir_.empty()) return core::GenerateKey();
      const auto file = kept_dir_ / "lake.key";
      std::string text;
      if (std::ifstream in(file); in && std::getline(in, text) && !text.empty()) return text;
      text = core::GenerateKey();
      std::ofstream(file) << text << "\n";
      std::filesystem::permissions(
          file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
      return text;
    }();
    return key;
  }

  static inline std::unique_ptr<TempDir> workdir_;
  static inline std::filesystem::path kept_dir_;
  static inline std::unique_ptr<query::QueryRunner> runner_;
  static inline std::string lake_error_;
};

}  // namespace futureim::testing
