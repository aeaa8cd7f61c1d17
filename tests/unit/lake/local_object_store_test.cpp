#include "lake/local_object_store.h"

#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/temp_dir.h"

namespace futureim::lake {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::vector<std::string> Keys(const std::vector<ObjectInfo>& objects) {
  std::vector<std::string> keys;
  for (const auto& object : objects) keys.push_back(object.key);
  return keys;
}

TEST(LocalObjectStoreTest, PutGetStatDelete) {
  TempDir dir;
  LocalObjectStore store(dir.path() / "lake");
  EXPECT_FALSE(store.Exists("raw/orders/a.parquet"));
  store.Put("raw/orders/a.parquet", "hello");
  ASSERT_TRUE(store.Exists("raw/orders/a.parquet"));
  EXPECT_EQ(store.Get("raw/orders/a.parquet"), "hello");
  const auto info = store.Stat("raw/orders/a.parquet");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 5u);
  EXPECT_LE(info->modified, std::chrono::system_clock::now());
  EXPECT_GT(info->modified, std::chrono::system_clock::now() - std::chrono::minutes(1));

  store.Put("raw/orders/a.parquet", "replaced");
  EXPECT_EQ(store.Get("raw/orders/a.parquet"), "replaced");

  store.Delete("raw/orders/a.parquet");
  EXPECT_FALSE(store.Exists("raw/orders/a.parquet"));
  store.Delete("raw/orders/a.parquet");  // missing: not an error
  EXPECT_THROW(store.Get("raw/orders/a.parquet"), ObjectNotFoundError);
  EXPECT_THROW(store.GetFile("nope", dir.path() / "out"), ObjectNotFoundError);
}

TEST(LocalObjectStoreTest, EmptyObjectAndBinaryBytes) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  store.Put("empty", "");
  EXPECT_EQ(store.Get("empty"), "");
  EXPECT_EQ(store.Stat("empty")->size, 0u);
  const std::string binary("a\0b\xff", 4);
  store.Put("bin", binary);
  EXPECT_EQ(store.Get("bin"), binary);
}

TEST(LocalObjectStoreTest, PutFileAndGetFile) {
  TempDir dir;
  LocalObjectStore store(dir.path() / "lake");
  std::string content(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 31);
  { std::ofstream(dir.path() / "source.bin", std::ios::binary) << content; }
  store.PutFile("curated/x.bin", dir.path() / "source.bin");
  EXPECT_EQ(store.Get("curated/x.bin"), content);
  store.GetFile("curated/x.bin", dir.path() / "out" / "copy.bin");
  std::ifstream in(dir.path() / "out" / "copy.bin", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), content);
  EXPECT_THROW(store.PutFile("y", dir.path() / "missing"), core::Error);
  EXPECT_FALSE(store.Exists("y"));
}

TEST(LocalObjectStoreTest, ListIsRecursiveSortedAndByStringPrefix) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  for (const char* key : {"raw/orders/b", "raw/orders/a", "raw/order_items/a", "raw/orders/2024/x",
                          "curated/orders/a", "top"}) {
    store.Put(key, key);
  }
  EXPECT_EQ(Keys(store.List("raw/orders/")),
            (std::vector<std::string>{"raw/orders/2024/x", "raw/orders/a", "raw/orders/b"}));
  EXPECT_EQ(Keys(store.List("raw/order")),
            (std::vector<std::string>{"raw/order_items/a", "raw/orders/2024/x", "raw/orders/a",
                                      "raw/orders/b"}));
  EXPECT_EQ(store.List("").size(), 6u);
  EXPECT_TRUE(store.List("nothing/").empty());
  EXPECT_EQ(store.List("raw/orders/a")[0].size, std::string("raw/orders/a").size());
}

TEST(LocalObjectStoreTest, KeysThatEscapeTheRootAreRefused) {
  TempDir dir;
  LocalObjectStore store(dir.path() / "lake");
  for (const char* key : {"", "/etc/passwd", "../outside", "raw/../../outside", "raw/./x", "raw//x",
                          "raw/x/", "a\\b", ".", "..", "raw/.futureim-tmp-1-x"}) {
    EXPECT_THROW(store.Put(key, "x"), core::Error) << key;
    EXPECT_THROW(store.Get(key), core::Error) << key;
    EXPECT_THROW(store.Delete(key), core::Error) << key;
    EXPECT_THROW(store.Stat(key), core::Error) << key;
  }
  EXPECT_THROW(store.Put(std::string("a\0b", 3), "x"), core::Error);
  EXPECT_THROW(store.List("../"), core::Error);
  EXPECT_THROW(store.List("/"), core::Error);
  EXPECT_FALSE(fs::exists(dir.path() / "outside"));
  try {
    store.Put("../outside", "x");
  } catch (const core::Error& error) {
    EXPECT_NE(std::string(error.what()).find("'.' and '..'"), std::string::npos) << error.what();
  }
}

TEST(LocalObjectStoreTest, PublishWritesThePointerLast) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  store.Put("prod/sys/runs/1/a.parquet", "data");
  store.Publish("prod/sys/CURRENT", "runs/1");
  EXPECT_EQ(store.Get("prod/sys/CURRENT"), "runs/1");
}

// One object written over and over by a child process that is SIGKILLed at
// random moments: afterwards the key must hold one whole version (uniform
// bytes of the expected length for that version), never a mix or a prefix.
TEST(LocalObjectStoreTest, SigkillMidWriteLeavesOldOrNewObjectNeverPartial) {
  TempDir dir;
  const fs::path root = dir.path() / "lake";
  constexpr size_t kLarge = 24u << 20;
  constexpr size_t kSmall = 3u << 20;
  // Version i is (i % 26 + 'a') repeated, large for even i, small for odd.
  auto version_size = [](char c) { return (c - 'a') % 2 == 0 ? kLarge : kSmall; };
  {
    LocalObjectStore store(root);
    store.Put("curated/big.bin", std::string(kLarge, 'a'));
  }
  std::mt19937 random(12345);
  int killed_mid_write = 0;
  for (int round = 0; round < 8; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      LocalObjectStore store(root);
      for (int i = 1;; ++i) {
        const char c = static_cast<char>('a' + (round * 7 + i) % 26);
        store.Put("curated/big.bin", std::string(version_size(c), c));
      }
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution(5, 120)(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));

    LocalObjectStore store(root);
    const std::string content = store.Get("curated/big.bin");
    ASSERT_FALSE(content.empty());
    const char c = content[0];
    ASSERT_GE(c, 'a');
    ASSERT_LE(c, 'z');
    ASSERT_EQ(content.size(), version_size(c)) << "round " << round;
    ASSERT_EQ(content.find_first_not_of(c), std::string::npos)
        << "mixed content in round " << round;
    // Only the object itself is listed, whatever the killed writer left.
    ASSERT_EQ(Keys(store.List("")), std::vector<std::string>{"curated/big.bin"});
    killed_mid_write += static_cast<int>(store.RemoveAbandonedTemporaries());
  }
  // Informational: how many kills landed while a temporary was open.
  RecordProperty("killed_mid_write", killed_mid_write);
  LocalObjectStore store(root);
  EXPECT_EQ(store.RemoveAbandonedTemporaries(), 0u);
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::recursive_directory_iterator(root)) ++files;
  EXPECT_EQ(files, 2);  // curated/ and curated/big.bin
}

TEST(LocalObjectStoreTest, AbandonedTemporaryOfALiveWriterIsKept) {
  TempDir dir;
  LocalObjectStore store(dir.path());
  AtomicFileWriter writer(dir.path() / "x" / "file");
  writer.Write("partial");
  EXPECT_EQ(store.RemoveAbandonedTemporaries(), 0u);  // our own pid is alive
  EXPECT_TRUE(store.List("").empty());
}

}  // namespace
}  // namespace futureim::lake
