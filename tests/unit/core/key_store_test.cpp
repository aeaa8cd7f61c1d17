#include "core/key_store.h"

#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/error.h"
#include "support/temp_dir.h"

namespace futureim::core {
namespace {

mode_t ModeOf(const std::filesystem::path& file) {
  struct stat st {};
  EXPECT_EQ(::stat(file.c_str(), &st), 0);
  return st.st_mode & 07777;
}

TEST(KeyStoreTest, CreatedOwnerOnlyWithFreshKeys) {
  testing::TempDir dir;
  const auto file = dir.path() / "sub" / "futureim.keys";
  bool created = false;
  const auto store = KeyStore::OpenOrCreate(file, &created);
  EXPECT_TRUE(created);
  EXPECT_EQ(ModeOf(file), 0600u);
  for (auto name : KeyStore::kGeneratedSecrets) {
    const auto value = store.Get(name);
    ASSERT_TRUE(value.has_value()) << name;
    EXPECT_EQ(value->size(), 44u) << "32 bytes in base64";
  }
  EXPECT_NE(store.Get("auth.jwt_key"), store.Get("lake.pii_key"));

  // Opening again keeps the same keys (idempotent, never regenerates).
  const auto again = KeyStore::OpenOrCreate(file, &created);
  EXPECT_FALSE(created);
  EXPECT_EQ(again.Get("auth.jwt_key"), store.Get("auth.jwt_key"));
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
}

TEST(KeyStoreTest, TwoStoresHaveDifferentKeys) {
  testing::TempDir dir;
  const auto a = KeyStore::OpenOrCreate(dir.path() / "a.keys");
  const auto b = KeyStore::OpenOrCreate(dir.path() / "b.keys");
  EXPECT_NE(a.Get("lake.encryption_key"), b.Get("lake.encryption_key"));
}

TEST(KeyStoreTest, RefusesReadableByOthers) {
  testing::TempDir dir;
  const auto file = dir.path() / "futureim.keys";
  KeyStore::OpenOrCreate(file);
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  try {
    KeyStore::Open(file);
    FAIL() << "opened a world-readable key store";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("mode 0644"), std::string::npos) << message;
    EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
  }
}

TEST(KeyStoreTest, MissingAndCorruptStoresAreClearErrors) {
  testing::TempDir dir;
  EXPECT_THROW(KeyStore::Open(dir.path() / "absent.keys"), Error);
  const auto file = dir.path() / "bad.keys";
  std::ofstream(file) << "{\"secrets\": {\"auth.jwt_key\": \"s3cr3t-value\"";
  ::chmod(file.c_str(), 0600);
  try {
    KeyStore::Open(file);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cr3t"), std::string::npos) << e.what();
  }
}

TEST(KeyStoreTest, SetPersists) {
  testing::TempDir dir;
  const auto file = dir.path() / "futureim.keys";
  auto store = KeyStore::OpenOrCreate(file);
  store.Set("source.password", "p@ss word");
  EXPECT_EQ(KeyStore::Open(file).Get("source.password"), "p@ss word");
  EXPECT_EQ(ModeOf(file), 0600u);
}

TEST(KeyStoreTest, UpdateSetsAndRemovesTogether) {
  testing::TempDir dir;
  auto store = KeyStore::OpenOrCreate(dir.path() / "k");
  const std::string old_key = *store.Get("lake.encryption_key");
  store.Update({{"lake.encryption_key.previous", old_key}, {"lake.encryption_key", "new"}});
  auto reopened = KeyStore::Open(dir.path() / "k");
  EXPECT_EQ(reopened.Get("lake.encryption_key.previous"), old_key);
  EXPECT_EQ(reopened.Get("lake.encryption_key"), "new");
  reopened.Update({{"lake.encryption_key.previous", std::nullopt}});
  EXPECT_FALSE(KeyStore::Open(dir.path() / "k").Get("lake.encryption_key.previous"));
  EXPECT_EQ(KeyStore::Open(dir.path() / "k").Get("lake.encryption_key"), "new");
}

TEST(SecretsTest, EnvironmentWinsOverKeyStore) {
  testing::TempDir dir;
  auto store = KeyStore::OpenOrCreate(dir.path() / "futureim.keys");
  store.Set("source.password", "from-store");
  Environment env{{"FUTUREIM_SOURCE_PASSWORD", "from-env"}};
  EXPECT_EQ(Secrets(env, &store).Get("source.password"), "from-env");
  Environment empty;
  EXPECT_EQ(Secrets(empty, &store).Get("source.password"), "from-store");
  EXPECT_EQ(Secrets(empty, nullptr).Get("source.password"), std::nullopt);
}

TEST(SecretsTest, RequireNamesWhereToSetIt) {
  Environment empty;
  try {
    Secrets(empty, nullptr).Require("source.password");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("FUTUREIM_SOURCE_PASSWORD"), std::string::npos);
  }
}

}  // namespace
}  // namespace futureim::core
