#include "lake/parquet_encryption.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/environment.h"
#include "core/key_store.h"
#include "support/temp_dir.h"

namespace futureim::lake {
namespace {

namespace fs = std::filesystem;
using engine::Connection;
using engine::Database;
using testing::TempDir;

// 32, 24 and 16 bytes, base64.
constexpr const char* kKey256 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
constexpr const char* kOtherKey256 = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
constexpr const char* kKey192 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3";
constexpr const char* kKey128 = "MDEyMzQ1Njc4OWFiY2RlZg==";
constexpr const char* kMarker = "MARKER-PLAINTEXT-7f3a9c";

std::string FileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string MarkerRows(int rows) {
  return "SELECT i AS id, '" + std::string(kMarker) +
         "-' || i AS secret, i % 3 AS part FROM range(" + std::to_string(rows) + ") t(i)";
}

// An in-memory DuckDB with the OpenSSL hook and one key registered as "k".
struct EncryptedDb {
  explicit EncryptedDb(const char* key = kKey256, const char* name = "k") : connection(database) {
    InstallParquetCrypto(database);
    RegisterParquetKey(connection, name, key);
  }
  Database database;
  Connection connection;
};

TEST(ParquetEncryptionTest, EncryptedFileIsReadableWithTheKeyAndHidesThePlaintext) {
  TempDir dir;
  const fs::path file = dir.path() / "t.parquet";
  EncryptedDb db;
  EXPECT_EQ(CopyToEncryptedParquet(db.connection, MarkerRows(5000), file, "k"), 5000u);

  const std::string bytes = FileBytes(file);
  ASSERT_GT(bytes.size(), 100u);
  EXPECT_EQ(bytes.find(kMarker), std::string::npos) << "plaintext found in the encrypted file";
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "PARE");  // encrypted-footer Parquet magic

  auto result = db.connection.Query("SELECT count(*), sum(id), max(secret) FROM " +
                                    EncryptedParquetScan({file.string()}, "k"));
  const auto rows = result.FetchAllAsText();
  EXPECT_EQ(rows[0][0], "5000");
  EXPECT_EQ(rows[0][1], "12497500");
  EXPECT_EQ(rows[0][2], std::string(kMarker) + "-999");
  EXPECT_EQ(VerifyEncryptedParquet(db.connection, {file.string()}, "k"), 5000u);
}

TEST(ParquetEncryptionTest, UnreadableWithoutTheKey) {
  TempDir dir;
  const fs::path file = dir.path() / "t.parquet";
  {
    EncryptedDb db;
    CopyToEncryptedParquet(db.connection, MarkerRows(100), file, "k");
  }
  Database plain;
  Connection connection(plain);
  try {
    connection.Query("SELECT * FROM read_parquet('" + file.string() + "')");
    FAIL() << "an encrypted file was read without a key";
  } catch (const engine::DuckDbError& error) {
    const auto key_error = AsParquetKeyError(error, file.string(), "k");
    ASSERT_TRUE(key_error) << error.what();
    EXPECT_NE(std::string(key_error->what()).find("is encrypted and was read without a key"),
              std::string::npos)
        << key_error->what();
  }
  // A key name that was never registered in this database.
  InstallParquetCrypto(plain);
  try {
    VerifyEncryptedParquet(connection, {file.string()}, "k");
    FAIL() << "read with an unregistered key";
  } catch (const ParquetKeyError& error) {
    EXPECT_NE(std::string(error.what()).find("not registered"), std::string::npos) << error.what();
  }
}

TEST(ParquetEncryptionTest, OneScanNeedsOneKeyForEveryFile) {
  TempDir dir;
  EncryptedDb db;
  const fs::path encrypted = dir.path() / "a.parquet";
  const fs::path plain = dir.path() / "b.parquet";
  CopyToEncryptedParquet(db.connection, MarkerRows(10), encrypted, "k");
  db.connection.Execute("COPY (" + MarkerRows(10) + ") TO '" + plain.string() +
                        "' (FORMAT parquet)");
  try {
    VerifyEncryptedParquet(db.connection, {(dir.path() / "*.parquet").string()}, "k");
    FAIL() << "a plaintext file was read as encrypted";
  } catch (const ParquetKeyError& error) {
    EXPECT_NE(std::string(error.what()).find("not encrypted"), std::string::npos) << error.what();
  }
}

TEST(ParquetEncryptionTest, WrongKeyIsAClearError) {
  TempDir dir;
  const fs::path file = dir.path() / "t.parquet";
  {
    EncryptedDb db;
    CopyToEncryptedParquet(db.connection, MarkerRows(100), file, "k");
  }
  EncryptedDb other(kOtherKey256);
  try {
    VerifyEncryptedParquet(other.connection, {file.string()}, "k");
    FAIL() << "read with the wrong key";
  } catch (const ParquetKeyError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("another key"), std::string::npos) << message;
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("lake.encryption_key"), std::string::npos) << message;
  }
}

TEST(ParquetEncryptionTest, AllAesKeySizesWork) {
  for (const char* key : {kKey128, kKey192, kKey256}) {
    TempDir dir;
    const fs::path file = dir.path() / "t.parquet";
    EncryptedDb db(key);
    CopyToEncryptedParquet(db.connection, MarkerRows(10), file, "k");
    EXPECT_EQ(VerifyEncryptedParquet(db.connection, {file.string()}, "k"), 10u) << key;
  }
}

TEST(ParquetEncryptionTest, MalformedKeysAndNamesAreRefusedWithoutEchoingTheKey) {
  Database database;
  Connection connection(database);
  InstallParquetCrypto(database);
  for (const char* key : {"", "not base64!", "c2hvcnQ=", "MDEyMzQ1Njc4OWFiY2RlZjAx"}) {
    try {
      RegisterParquetKey(connection, "k", key, "secret 'lake.encryption_key'");
      FAIL() << key;
    } catch (const core::Error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("lake.encryption_key"), std::string::npos) << message;
      if (*key != '\0') {
        EXPECT_EQ(message.find(key), std::string::npos) << message;
      }
    }
  }
  EXPECT_THROW(RegisterParquetKey(connection, "bad name'", kKey256), core::Error);
  EXPECT_THROW(EncryptedParquetScan({"x"}, "x'); DROP"), core::Error);
}

TEST(ParquetEncryptionTest, LakeKeyComesFromTheSecrets) {
  TempDir dir;
  auto store = core::KeyStore::OpenOrCreate(dir.path() / "futureim.keys");
  const core::Environment env;
  const core::Secrets secrets(env, &store);
  Database database;
  Connection connection(database);
  InstallParquetCrypto(database);
  RegisterLakeParquetKey(connection, secrets);
  const fs::path file = dir.path() / "t.parquet";
  CopyToEncryptedParquet(connection, MarkerRows(10), file, kLakeKeyName);
  EXPECT_EQ(VerifyEncryptedParquet(connection, {file.string()}, kLakeKeyName), 10u);

  const core::Secrets none(env, nullptr);
  EXPECT_THROW(RegisterLakeParquetKey(connection, none), core::Error);
}

TEST(ParquetEncryptionTest, PartitionByWithEncryption) {
  TempDir dir;
  const fs::path target = dir.path() / "orders";
  EncryptedDb db;
  CopyToEncryptedParquet(db.connection, MarkerRows(3000), target, "k", "PARTITION_BY (part)");
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(target)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(FileBytes(entry.path()).find(kMarker), std::string::npos) << entry.path();
  }
  EXPECT_EQ(files, 3);
  auto result = db.connection.Query("SELECT part, count(*) FROM " +
                                    EncryptedParquetScan({(target / "**" / "*.parquet").string()},
                                                         "k", "hive_partitioning=true") +
                                    " GROUP BY part ORDER BY part");
  const auto rows = result.FetchAllAsText();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "1000");
}

TEST(ParquetEncryptionTest, FailedCopyLeavesNoFile) {
  TempDir dir;
  const fs::path file = dir.path() / "t.parquet";
  {
    // Without the OpenSSL hook DuckDB 1.4.4 refuses to encrypt (and leaves a
    // 0-byte file behind, which CopyToEncryptedParquet removes).
    Database database;
    Connection connection(database);
    RegisterParquetKey(connection, "k", kKey256);
    EXPECT_THROW(CopyToEncryptedParquet(connection, MarkerRows(10), file, "k"),
                 engine::DuckDbError);
    EXPECT_FALSE(fs::exists(file));
  }
  EncryptedDb db;
  // A query that fails while rows are being written.
  EXPECT_THROW(
      CopyToEncryptedParquet(db.connection,
                             "SELECT CASE WHEN i < 5000 THEN i ELSE error('boom') END AS v "
                             "FROM range(10000) t(i)",
                             file, "k"),
      engine::DuckDbError);
  EXPECT_FALSE(fs::exists(file));
  // A key name that is not registered.
  EXPECT_THROW(CopyToEncryptedParquet(db.connection, MarkerRows(10), file, "missing"),
               engine::DuckDbError);
  EXPECT_FALSE(fs::exists(file));
  // A failure never removes what was there before.
  CopyToEncryptedParquet(db.connection, MarkerRows(10), file, "k");
  EXPECT_THROW(CopyToEncryptedParquet(db.connection, "SELECT error('boom')", file, "k"),
               engine::DuckDbError);
  EXPECT_TRUE(fs::exists(file));
}

TEST(ParquetEncryptionTest, KeyRotationReencryptsEveryFileAndResumes) {
  TempDir dir;
  Database database;
  Connection connection(database);
  InstallParquetCrypto(database);
  RegisterParquetKey(connection, "old_key", kKey256);
  RegisterParquetKey(connection, "new_key", kOtherKey256);
  std::vector<fs::path> files;
  for (int i = 0; i < 3; ++i) {
    files.push_back(dir.path() / ("f" + std::to_string(i) + ".parquet"));
    CopyToEncryptedParquet(connection, MarkerRows(100 * (i + 1)), files.back(), "old_key");
  }
  // A crash after the first file: it is already under the new key.
  const auto first = RotateParquetKey(connection, {files[0]}, "old_key", "new_key");
  EXPECT_EQ(first.rotated, 1u);

  const auto result = RotateParquetKey(connection, files, "old_key", "new_key");
  EXPECT_EQ(result.rotated, 2u);
  EXPECT_EQ(result.already_rotated, 1u);
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(VerifyEncryptedParquet(connection, {files[i].string()}, "new_key"), 100 * (i + 1));
    EXPECT_THROW(VerifyEncryptedParquet(connection, {files[i].string()}, "old_key"),
                 ParquetKeyError);
    EXPECT_EQ(FileBytes(files[i]).find(kMarker), std::string::npos);
  }
  auto sum = connection.Query("SELECT sum(id) FROM " +
                              EncryptedParquetScan({files[2].string()}, "new_key"));
  EXPECT_EQ(sum.ScalarInt64(), 299 * 300 / 2);
  // Nothing but the three files is left in the directory.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 3);

  // A file under neither key stops the rotation with a key error.
  RegisterParquetKey(connection, "third_key", kKey128);
  const fs::path stranger = dir.path() / "stranger.parquet";
  CopyToEncryptedParquet(connection, MarkerRows(5), stranger, "third_key");
  EXPECT_THROW(RotateParquetKey(connection, {stranger}, "old_key", "new_key"), ParquetKeyError);
  EXPECT_EQ(VerifyEncryptedParquet(connection, {stranger.string()}, "third_key"), 5u);
}

}  // namespace
}  // namespace futureim::lake
