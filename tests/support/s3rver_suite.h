#pragma once

// A real S3-compatible server for tests: s3rver 3.7.1 (npm, installed by
// scripts/setup.sh -> scripts/fetch-s3rver.sh), one process per test suite,
// bound to 127.0.0.1. s3rver parses the SigV4 Authorization header and checks
// the access key id and x-amz-content-sha256, but does NOT verify V4
// signatures: the signing itself is proven by the AWS test-suite vectors in
// tests/unit/lake/s3_signature_test.cpp.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lake/s3_object_store.h"
#include "support/temp_dir.h"

namespace futureim::testing {

namespace s3rver_fs = std::filesystem;

inline constexpr const char* kBucket = "test-bucket";

inline s3rver_fs::path S3rverBinary() {
  if (const char* path = std::getenv("FUTUREIM_S3RVER")) return path;
  const char* cache = std::getenv("XDG_CACHE_HOME");
  const s3rver_fs::path base =
      cache != nullptr ? s3rver_fs::path(cache) : s3rver_fs::path(std::getenv("HOME")) / ".cache";
  return base / "futureim" / "s3rver-3.7.1" / "node_modules" / ".bin" / "s3rver";
}

inline int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

inline bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

// One s3rver process for the whole suite, bound to 127.0.0.1 only.
class S3rverSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!s3rver_fs::exists(S3rverBinary())) return;
    data_ = new TempDir("futureim-s3rver");
    port_ = FreePort();
    pid_ = ::fork();
    if (pid_ == 0) {
      // s3rver's continuation tokens use DES, which OpenSSL 3 (Node 20) only
      // has in its legacy provider; without it every paged listing is a 500.
      ::setenv("NODE_OPTIONS", "--openssl-legacy-provider", 1);
      const std::string binary = S3rverBinary().string();
      const std::string data = data_->path().string();
      const std::string port = std::to_string(port_);
      ::execl(binary.c_str(), binary.c_str(), "-d", data.c_str(), "-a", "127.0.0.1", "-p",
              port.c_str(), "--service-endpoint", "localhost", "--configure-bucket", kBucket, "-s",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !Accepts(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    delete data_;
  }

  void SetUp() override {
    if (!s3rver_fs::exists(S3rverBinary())) {
      GTEST_SKIP()
          << "\n\n*** s3rver is NOT installed (" << S3rverBinary()
          << "): the S3 backend is NOT tested against a server. Run scripts/setup.sh. ***\n";
    }
    ASSERT_TRUE(Accepts(port_)) << "s3rver did not start on 127.0.0.1:" << port_;
  }

  static lake::S3Settings Settings() {
    lake::S3Settings settings;
    settings.endpoint = "http://127.0.0.1:" + std::to_string(port_);
    settings.bucket = kBucket;
    settings.credentials = {"S3RVER", "S3RVER", ""};  // s3rver's built-in account
    settings.multipart_threshold = 5u << 20;
    settings.part_size = 5u << 20;
    settings.first_backoff = std::chrono::milliseconds(10);
    return settings;
  }

  static std::vector<std::string> Keys(const std::vector<lake::ObjectInfo>& objects) {
    std::vector<std::string> keys;
    for (const auto& object : objects) keys.push_back(object.key);
    return keys;
  }

  static inline TempDir* data_ = nullptr;
  static inline int port_ = 0;
  static inline pid_t pid_ = -1;
};

}  // namespace futureim::testing
