// Key rotation of a lake with real encrypted Parquet files: the library call,
// an interrupted rotation resumed, the real binary SIGKILLed at random
// moments, and the errors for a missing or wrong key.

#include "lake/lake_key_rotation.h"

#include <csignal>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "core/key_store.h"
#include "engine/duckdb.h"
#include "lake/local_object_store.h"
#include "lake/parquet_encryption.h"
#include "lake/tier_layout.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::lake {
namespace {

namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class LakeKeyRotationTest : public ::testing::Test {
 protected:
  LakeKeyRotationTest() : connection_(database_) { InstallParquetCrypto(database_); }

  void SetUp() override {
    lake_root_ = dir_.path() / "lake";
    fs::create_directories(lake_root_ / "raw");
    store_.emplace(core::KeyStore::OpenOrCreate(dir_.path() / "futureim.keys"));
    original_key_ = *store_->Get(kLakeKeySecret);
  }

  // `count` encrypted curated tables (one run each, `rows` rows) under the
  // store's current key, and one plaintext raw file.
  void WriteLake(int count, int rows) {
    RegisterParquetKey(connection_, "writer", *store_->Get(kLakeKeySecret));
    const auto curated = RunTierLayout::Curated(lake_root_);
    for (int i = 0; i < count; ++i) {
      const std::string table = "t" + std::to_string(i);
      fs::create_directories(curated.RunDir(table, "r1"));
      CopyToEncryptedParquet(
          connection_,
          "SELECT range AS id, 'row ' || range AS label FROM range(" + std::to_string(rows) + ")",
          curated.RunDir(table, "r1") / "part-0.parquet", "writer");
      std::ofstream(curated.CurrentPointerPath(table)) << "r1\n";
    }
    plaintext_ = lake_root_ / "raw" / "plain.parquet";
    connection_.Execute("COPY (SELECT 42 AS answer) TO '" + plaintext_.string() +
                        "' (FORMAT parquet)");
  }

  // Whether every encrypted file reads (all rows) with `key`.
  bool AllReadableWith(const std::string& key, uint64_t rows_each) {
    const std::string name = KeyName();
    RegisterParquetKey(connection_, name, key);
    for (const auto& file : EncryptedLakeFiles(lake_root_)) {
      try {
        if (VerifyEncryptedParquet(connection_, {file.string()}, name) != rows_each) return false;
      } catch (const ParquetKeyError&) {
        return false;
      }
    }
    return true;
  }

  // A fresh name per registration: each key gets its own.
  std::string KeyName() { return "key" + std::to_string(++keys_registered_); }

  testing::TempDir dir_;
  int keys_registered_ = 0;
  fs::path lake_root_;
  fs::path plaintext_;
  std::optional<core::KeyStore> store_;
  std::string original_key_;
  engine::Database database_;
  engine::Connection connection_;
};

TEST_F(LakeKeyRotationTest, ReEncryptsEveryFileAndReplacesTheKey) {
  WriteLake(3, 100);
  const std::string plain_before = ReadBytes(plaintext_);
  const auto report = RotateLakeKey(lake_root_, *store_);
  EXPECT_EQ(report.encrypted_files, 3u);
  EXPECT_EQ(report.rotated, 3u);
  EXPECT_EQ(report.already_rotated, 0u);
  EXPECT_FALSE(report.resumed);

  const auto reopened = core::KeyStore::Open(store_->file());
  const std::string new_key = *reopened.Get(kLakeKeySecret);
  EXPECT_NE(new_key, original_key_);
  EXPECT_FALSE(reopened.Get(kPreviousLakeKeySecret));
  EXPECT_TRUE(AllReadableWith(new_key, 100));
  EXPECT_FALSE(AllReadableWith(original_key_, 100));
  EXPECT_EQ(ReadBytes(plaintext_), plain_before);  // plaintext files are left alone
  // The same rows, not just the same count.
  RegisterParquetKey(connection_, "final", new_key);
  auto sum = connection_.Query(
      "SELECT sum(id), count(DISTINCT label) FROM " +
      EncryptedParquetScan(
          {(RunTierLayout::Curated(lake_root_).RunDir("t1", "r1") / "part-0.parquet").string()},
          "final"));
  const auto row = sum.FetchAllAsText().at(0);
  EXPECT_EQ(row[0], "4950");
  EXPECT_EQ(row[1], "100");
}

TEST_F(LakeKeyRotationTest, ResumesAnInterruptedRotation) {
  WriteLake(3, 10);
  // The state a crash leaves: both keys stored, one file already rotated,
  // the temporary of a file that was being rewritten.
  const std::string new_key = core::GenerateKey();
  store_->Update({{std::string(kPreviousLakeKeySecret), original_key_},
                  {std::string(kLakeKeySecret), new_key}});
  RegisterParquetKey(connection_, "old", original_key_);
  RegisterParquetKey(connection_, "new", new_key);
  const auto files = EncryptedLakeFiles(lake_root_);
  ASSERT_EQ(files.size(), 3u);
  RotateParquetKey(connection_, {files[0]}, "old", "new");
  const fs::path stale =
      files[1].parent_path() / (std::string(kTemporaryPrefix) + "99999-rotate-part-0.parquet");
  std::ofstream(stale) << "half a file";

  const auto report = RotateLakeKey(lake_root_, *store_);
  EXPECT_TRUE(report.resumed);
  EXPECT_EQ(report.rotated, 2u);
  EXPECT_EQ(report.already_rotated, 1u);
  EXPECT_EQ(report.stale_temporaries, 1u);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_EQ(*store_->Get(kLakeKeySecret), new_key);  // a resume keeps the new key
  EXPECT_FALSE(store_->Get(kPreviousLakeKeySecret));
  EXPECT_TRUE(AllReadableWith(new_key, 10));
}

TEST_F(LakeKeyRotationTest, SurvivesSigkillAtAnyMomentOfTheBinary) {
  WriteLake(24, 2000);
  const std::map<std::string, std::string> env = {{"FUTUREIM_WORKDIR", dir_.path().string()}};
  ASSERT_EQ(testing::RunProcess({testing::FutureimBinary(), "init"}, env).exit_code, 0);
  std::mt19937 random(7);
  int killed = 0;
  int mid_rotation = 0;  // kills that left both keys in the store
  for (int attempt = 0; attempt < 6; ++attempt) {
    const pid_t pid = testing::SpawnProcess({testing::FutureimBinary(), "lake", "rotate-key"}, env,
                                            (dir_.path() / "rotate.log").string());
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + random() % 400));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed;
    // Whatever the moment: every file is whole and readable with one of the
    // keys the store holds.
    const auto store = core::KeyStore::Open(store_->file());
    const auto current = *store.Get(kLakeKeySecret);
    const auto previous = store.Get(kPreviousLakeKeySecret);
    if (previous) ++mid_rotation;
    const std::string current_name = KeyName();
    const std::string previous_name = KeyName();
    RegisterParquetKey(connection_, current_name, current);
    if (previous) RegisterParquetKey(connection_, previous_name, *previous);
    for (const auto& file : EncryptedLakeFiles(lake_root_)) {
      uint64_t rows = 0;
      try {
        rows = VerifyEncryptedParquet(connection_, {file.string()}, current_name);
      } catch (const ParquetKeyError&) {
        ASSERT_TRUE(previous) << file << " unreadable with the only key";
        rows = VerifyEncryptedParquet(connection_, {file.string()}, previous_name);
      }
      EXPECT_EQ(rows, 2000u) << file;
    }
  }
  EXPECT_GT(killed, 0) << "no run was interrupted: the test proved nothing";
  EXPECT_GT(mid_rotation, 0) << "no kill landed inside a rotation";
  const auto finish = testing::RunProcess({testing::FutureimBinary(), "lake", "rotate-key"}, env);
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  const auto store = core::KeyStore::Open(store_->file());
  EXPECT_FALSE(store.Get(kPreviousLakeKeySecret));
  EXPECT_TRUE(AllReadableWith(*store.Get(kLakeKeySecret), 2000));
  for (const auto& entry : fs::recursive_directory_iterator(lake_root_)) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(kTemporaryPrefix)) << entry.path();
  }
}

TEST_F(LakeKeyRotationTest, AWrongKeyStopsWithTheFileNamedAndLosesNothing) {
  WriteLake(2, 10);
  store_->Set(kLakeKeySecret, core::GenerateKey());  // not the key the files use
  try {
    RotateLakeKey(lake_root_, *store_);
    FAIL() << "rotated with the wrong key";
  } catch (const ParquetKeyError& e) {
    EXPECT_NE(std::string(e.what()).find("part-0.parquet"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("another key"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store_->Get(kPreviousLakeKeySecret));  // both keys kept for a retry
  EXPECT_TRUE(AllReadableWith(original_key_, 10));   // no file was touched
}

TEST_F(LakeKeyRotationTest, AMissingKeyIsAClearError) {
  WriteLake(1, 10);
  store_->Update({{std::string(kLakeKeySecret), std::nullopt}});
  try {
    RotateLakeKey(lake_root_, *store_);
    FAIL() << "rotated without a key";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("holds no lake.encryption_key"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(AllReadableWith(original_key_, 10));
}

TEST_F(LakeKeyRotationTest, TheBinaryRefusesAKeyFromTheEnvironment) {
  const std::map<std::string, std::string> env = {{"FUTUREIM_WORKDIR", dir_.path().string()},
                                                  {"FUTUREIM_LAKE_ENCRYPTION_KEY", original_key_}};
  ASSERT_EQ(testing::RunProcess({testing::FutureimBinary(), "init"}, env).exit_code, 0);
  const auto result = testing::RunProcess({testing::FutureimBinary(), "lake", "rotate-key"}, env);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("comes from the environment (FUTUREIM_LAKE_ENCRYPTION_KEY)"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace futureim::lake
