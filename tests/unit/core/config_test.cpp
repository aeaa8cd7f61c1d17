#include "core/config.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/temp_dir.h"

namespace futureim::core {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& text) {
    const auto file = dir_.path() / "futureim.toml";
    std::ofstream(file) << text;
    return file;
  }
  Config Load(const std::string& text, Environment env = {}) {
    return Config::Load(Write(text), dir_.path(), env);
  }
  // The message of the core::Error that loading `text` throws.
  std::string ErrorOf(const std::string& text, Environment env = {}) {
    try {
      Load(text, std::move(env));
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return {};
  }

  testing::TempDir dir_;
};

TEST_F(ConfigTest, MissingFileGivesDefaults) {
  const auto config = Config::Load(dir_.path() / "absent.toml", dir_.path(), {});
  EXPECT_EQ(config.GetString("source.host"), "127.0.0.1");
  EXPECT_EQ(config.GetInt("source.port"), 3306);
  EXPECT_TRUE(config.GetBool("lake.encrypt"));
  EXPECT_EQ(config.GetList("replication.include"), std::vector<std::string>{"ecommerce.%"});
  EXPECT_TRUE(config.GetList("replication.exclude").empty());
  EXPECT_EQ(config.Origin("source.port"), "default");
}

TEST_F(ConfigTest, FileOverridesDefaultsAndRecordsLine) {
  const auto config = Load(
      "[source]\n"
      "host = \"db.internal\"\n"
      "port = 3307\n"
      "[replication]\n"
      "include = [\"shop.%\", \"crm.customers\"]\n");
  EXPECT_EQ(config.GetString("source.host"), "db.internal");
  EXPECT_EQ(config.GetInt("source.port"), 3307);
  EXPECT_EQ(config.GetList("replication.include"),
            (std::vector<std::string>{"shop.%", "crm.customers"}));
  EXPECT_EQ(config.Origin("source.port"), "futureim.toml:3");
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  Environment env{{"FUTUREIM_SOURCE_PORT", "3310"},
                  {"FUTUREIM_LAKE_ENCRYPT", "off"},
                  {"FUTUREIM_REPLICATION_EXCLUDE", "ecommerce.tmp_%, ecommerce.audit"}};
  const auto config = Load("[source]\nport = 3307\n", env);
  EXPECT_EQ(config.GetInt("source.port"), 3310);
  EXPECT_FALSE(config.GetBool("lake.encrypt"));
  EXPECT_EQ(config.GetList("replication.exclude"),
            (std::vector<std::string>{"ecommerce.tmp_%", "ecommerce.audit"}));
  EXPECT_EQ(config.Origin("source.port"), "env FUTUREIM_SOURCE_PORT");
}

TEST_F(ConfigTest, EnvVarNames) {
  EXPECT_EQ(Config::EnvVarName("source.host"), "FUTUREIM_SOURCE_HOST");
  EXPECT_EQ(Config::EnvVarName("replication.flush_interval_ms"),
            "FUTUREIM_REPLICATION_FLUSH_INTERVAL_MS");
}

TEST_F(ConfigTest, BadEnvironmentValueIsNamed) {
  const auto message = ErrorOf("", Environment{{"FUTUREIM_SOURCE_PORT", "33o6"}});
  EXPECT_NE(message.find("FUTUREIM_SOURCE_PORT"), std::string::npos) << message;
  EXPECT_NE(message.find("integer"), std::string::npos) << message;
}

TEST_F(ConfigTest, RefusesSecretsInFile) {
  const auto message = ErrorOf("[source]\nhost = \"x\"\npassword = \"hunter22\"\n");
  EXPECT_NE(message.find("futureim.toml:3"), std::string::npos) << message;
  EXPECT_NE(message.find("source.password"), std::string::npos) << message;
  EXPECT_NE(message.find("FUTUREIM_SOURCE_PASSWORD"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter22"), std::string::npos) << "error echoes the secret: " << message;

  for (const char* text : {"[auth]\njwt_key = \"abcdefgh\"\n", "[lake]\nencryption_key = \"k\"\n",
                           "[smtp]\napi_token = \"t\"\n", "[s3]\nsecret_access_key = \"s\"\n"}) {
    EXPECT_NE(ErrorOf(text).find("is a secret"), std::string::npos) << text;
  }
}

TEST_F(ConfigTest, BadTomlNamesLineAndColumn) {
  const auto message = ErrorOf("[source]\nhost = \"a\"\nport = = 3\n");
  EXPECT_NE(message.find("futureim.toml:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid TOML"), std::string::npos) << message;
}

TEST_F(ConfigTest, UnknownSettingIsAnError) {
  const auto message = ErrorOf("[source]\nhots = \"a\"\n");
  EXPECT_NE(message.find("futureim.toml:2"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown setting 'source.hots'"), std::string::npos) << message;
}

TEST_F(ConfigTest, WrongTypeRangeAndEnum) {
  EXPECT_NE(ErrorOf("[source]\nport = \"3306\"\n").find("expects an integer"), std::string::npos);
  EXPECT_NE(ErrorOf("[source]\nport = 70000\n").find("out of range"), std::string::npos);
  EXPECT_NE(
      ErrorOf("[source]\ntls = \"maybe\"\n").find("not one of: disabled, preferred, required"),
      std::string::npos);
  EXPECT_NE(ErrorOf("[lake]\nencrypt = \"yes\"\n").find("true or false"), std::string::npos);
  EXPECT_NE(ErrorOf("port = 3306\n").find("must be a [section]"), std::string::npos);
}

TEST_F(ConfigTest, DefaultFileRoundTripsToDefaults) {
  const auto from_file = Load(Config::DefaultFileText());
  const auto defaults = Config::Load({}, dir_.path(), {});
  for (const auto& spec : Config::Settings()) {
    if (spec.secret) continue;
    switch (spec.type) {
      case SettingType::kString:
        EXPECT_EQ(from_file.GetString(spec.name), defaults.GetString(spec.name)) << spec.name;
        break;
      case SettingType::kInt:
        EXPECT_EQ(from_file.GetInt(spec.name), defaults.GetInt(spec.name)) << spec.name;
        break;
      case SettingType::kBool:
        EXPECT_EQ(from_file.GetBool(spec.name), defaults.GetBool(spec.name)) << spec.name;
        break;
      case SettingType::kStringList:
        EXPECT_EQ(from_file.GetList(spec.name), defaults.GetList(spec.name)) << spec.name;
        break;
    }
  }
}

TEST_F(ConfigTest, RelativePathsResolveAgainstBaseDir) {
  const auto config = Load("[lake]\npath = \"data/lake\"\n[metadata]\npath = \"/var/x.db\"\n");
  EXPECT_EQ(config.GetPath("lake.path"), dir_.path() / "data/lake");
  EXPECT_EQ(config.GetPath("metadata.path"), std::filesystem::path("/var/x.db"));
}

}  // namespace
}  // namespace futureim::core
