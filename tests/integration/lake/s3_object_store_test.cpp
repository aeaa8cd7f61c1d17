// S3ObjectStore against a real S3-compatible server (support/s3rver_suite.h).
#include "lake/s3_object_store.h"

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "support/s3rver_suite.h"
#include "support/temp_dir.h"

namespace futureim::lake {
namespace {

namespace fs = std::filesystem;
using testing::FreePort;
using testing::kBucket;
using testing::TempDir;

class S3ObjectStoreTest : public testing::S3rverSuite {
 protected:
  // Every single-object operation on one store.
  static void ExerciseObjectOperations(ObjectStore& store, const std::string& key) {
    EXPECT_FALSE(store.Exists(key));
    store.Put(key, "hello");
    EXPECT_EQ(store.Get(key), "hello");
    const auto info = store.Stat(key);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->key, key);
    EXPECT_EQ(info->size, 5u);
    EXPECT_LT(std::chrono::abs(info->modified - std::chrono::system_clock::now()),
              std::chrono::minutes(5));
    store.Put(key, "replaced");
    EXPECT_EQ(store.Get(key), "replaced");
    store.Delete(key);
    EXPECT_FALSE(store.Exists(key));
    store.Delete(key);  // missing: not an error
    EXPECT_THROW(store.Get(key), ObjectNotFoundError);
  }
};

TEST_F(S3ObjectStoreTest, PathStyleOperations) {
  S3ObjectStore store(Settings());
  ExerciseObjectOperations(store, "raw/orders/part-0.parquet");
  // Keys that need URI encoding and XML entities in listings.
  const std::string odd = "raw/odd/a b&c+d=e'f\"g<h>~(1).parquet";
  store.Put(odd, "odd");
  EXPECT_EQ(store.Get(odd), "odd");
  EXPECT_EQ(Keys(store.List("raw/odd/")), std::vector<std::string>{odd});
  store.Put("empty", "");
  EXPECT_EQ(store.Get("empty"), "");
  EXPECT_EQ(store.Stat("empty")->size, 0u);
  EXPECT_THROW(store.Put("../escape", "x"), core::Error);
}

TEST_F(S3ObjectStoreTest, VirtualHostStyleOperations) {
  S3Settings settings = Settings();
  // s3rver takes <bucket>.s3.<service-endpoint> as virtual-host style;
  // libcurl resolves every *.localhost name to the loopback address.
  settings.endpoint = "http://s3.localhost:" + std::to_string(port_);
  settings.url_style = S3UrlStyle::kVirtualHost;
  S3ObjectStore store(settings);
  ExerciseObjectOperations(store, "curated/customers/part-0.parquet");
  store.Put("vhost/x", "1");
  EXPECT_EQ(Keys(store.List("vhost/")), std::vector<std::string>{"vhost/x"});
}

TEST_F(S3ObjectStoreTest, PrefixIsAppliedAndHidden) {
  S3Settings settings = Settings();
  settings.prefix = "tenant1";
  S3ObjectStore store(settings);
  store.Put("raw/a", "a");
  EXPECT_EQ(store.Describe(), "s3://test-bucket/tenant1/");
  EXPECT_EQ(Keys(store.List("raw/")), std::vector<std::string>{"raw/a"});
  S3ObjectStore root(Settings());
  EXPECT_EQ(root.Get("tenant1/raw/a"), "a");
}

TEST_F(S3ObjectStoreTest, ListingFollowsContinuationTokens) {
  S3Settings settings = Settings();
  settings.prefix = "listing";
  S3ObjectStore store(settings);
  // 1005 keys: more than one page at the server's default of 1000.
  std::vector<std::string> expected;
  for (int i = 0; i < 1005; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "k/%04d", i);
    expected.push_back(key);
    store.Put(key, std::to_string(i));
  }
  store.Put("other/x", "x");
  EXPECT_EQ(Keys(store.List("k/")), expected);
  settings.max_keys = 7;  // many small pages
  S3ObjectStore small_pages(settings);
  const auto listed = small_pages.List("k/00");
  ASSERT_EQ(listed.size(), 100u);
  EXPECT_EQ(listed.front().key, "k/0000");
  EXPECT_EQ(listed.back().key, "k/0099");
  EXPECT_EQ(listed[42].size, 2u);
  EXPECT_EQ(small_pages.List("").size(), 1006u);
}

TEST_F(S3ObjectStoreTest, LargeObjectsGoMultipart) {
  TempDir dir;
  std::string content((12u << 20) + 12345, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 7919) >> 3);
  { std::ofstream(dir.path() / "big.bin", std::ios::binary) << content; }
  S3ObjectStore store(Settings());
  store.PutFile("curated/big.bin", dir.path() / "big.bin");
  EXPECT_EQ(store.multipart_uploads(), 1u);
  EXPECT_EQ(store.Stat("curated/big.bin")->size, content.size());
  EXPECT_EQ(store.Get("curated/big.bin"), content);
  store.GetFile("curated/big.bin", dir.path() / "out" / "big.copy");
  std::ifstream in(dir.path() / "out" / "big.copy", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), content);

  store.Put("curated/big2.bin", content);  // bytes, multipart too
  EXPECT_EQ(store.multipart_uploads(), 2u);
  EXPECT_EQ(store.Get("curated/big2.bin"), content);
  store.Put("curated/small.bin", content.substr(0, 1000));  // under the threshold
  EXPECT_EQ(store.multipart_uploads(), 2u);
}

TEST_F(S3ObjectStoreTest, PublishedPointerIsReadBack) {
  S3ObjectStore store(Settings());
  store.Put("prod/sys/runs/7/out.parquet", "data");
  store.Publish("prod/sys/CURRENT", "runs/7");
  EXPECT_EQ(store.Get("prod/sys/CURRENT"), "runs/7");
}

TEST_F(S3ObjectStoreTest, WrongCredentialsSayAccessDenied) {
  S3Settings settings = Settings();
  settings.credentials.access_key_id = "NOSUCHKEYID";
  settings.credentials.secret_access_key = "wrong-secret";
  S3ObjectStore store(settings);
  try {
    store.Put("x", "x");
    FAIL() << "a wrongly signed request succeeded";
  } catch (const core::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("access denied: check lake.s3 credentials"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("wrong-secret"), std::string::npos) << "the secret leaked: " << message;
  }
}

TEST_F(S3ObjectStoreTest, MissingBucketIsNamed) {
  S3Settings settings = Settings();
  settings.bucket = "no-such-bucket";
  S3ObjectStore store(settings);
  try {
    store.List("");
    FAIL();
  } catch (const core::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("bucket 'no-such-bucket' does not exist"), std::string::npos) << message;
    EXPECT_NE(message.find("lake.s3_bucket"), std::string::npos) << message;
  }
}

TEST_F(S3ObjectStoreTest, UnreachableEndpointIsRetriedThenReported) {
  S3Settings settings = Settings();
  settings.endpoint = "http://127.0.0.1:" + std::to_string(FreePort());
  settings.max_attempts = 3;
  S3ObjectStore store(settings);
  const auto start = std::chrono::steady_clock::now();
  try {
    store.Get("x");
    FAIL();
  } catch (const core::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("cannot reach"), std::string::npos) << message;
    EXPECT_NE(message.find("after 3 attempts"), std::string::npos) << message;
  }
  // Two backoffs of >= 10 and >= 20 ms happened.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
}

TEST_F(S3ObjectStoreTest, MisconfigurationIsRefusedUpFront) {
  S3Settings settings = Settings();
  settings.credentials = {};
  EXPECT_THROW(S3ObjectStore{settings}, core::Error);
  settings = Settings();
  settings.endpoint = "127.0.0.1:9000";
  EXPECT_THROW(S3ObjectStore{settings}, core::Error);
  settings = Settings();
  settings.bucket = "";
  EXPECT_THROW(S3ObjectStore{settings}, core::Error);
}

}  // namespace
}  // namespace futureim::lake
