#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "lake/object_store.h"
#include "lake/s3_signature.h"

namespace futureim::lake {

enum class S3UrlStyle {
  kPath,         // http://endpoint/bucket/key (MinIO, most self-hosted stores)
  kVirtualHost,  // http://bucket.endpoint/key (AWS default)
};

struct S3Settings {
  std::string endpoint;  // "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000"
  std::string bucket;
  std::string region = "us-east-1";
  S3UrlStyle url_style = S3UrlStyle::kPath;
  std::string prefix;  // prepended to every key ("lake/"); "" for the bucket root
  SigV4Credentials credentials;
  // Objects larger than this are uploaded in parts of part_size bytes (S3
  // allows 5 MiB..5 GiB per part, at most 10,000 parts).
  uint64_t multipart_threshold = 64u << 20;
  uint64_t part_size = 64u << 20;
  int max_keys = 1000;                           // page size of ListObjectsV2
  int max_attempts = 5;                          // per request, for network errors and 5xx/429
  std::chrono::milliseconds first_backoff{200};  // doubled per retry, with jitter
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds low_speed_timeout{60};  // abort when < 1 KiB/s for this long
};

// An S3-compatible bucket through libcurl, requests signed with SigV4.
//
// Atomicity: a single PUT (and CompleteMultipartUpload) replaces an object
// atomically on S3, so readers see the old or the new object; a failed
// multipart upload is aborted, never completed. Runs are published with
// ObjectStore::Publish (the pointer object is written last).
//
// Errors are core::Error with the operation, key and S3's code: 403 says
// "access denied: check lake.s3 credentials", a missing bucket names
// lake.s3_bucket. One thread at a time per store (it reuses one connection).
class S3ObjectStore final : public ObjectStore {
 public:
  explicit S3ObjectStore(S3Settings settings);
  ~S3ObjectStore() override;
  S3ObjectStore(const S3ObjectStore&) = delete;
  S3ObjectStore& operator=(const S3ObjectStore&) = delete;

  void Put(std::string_view key, std::string_view bytes) override;
  void PutFile(std::string_view key, const std::filesystem::path& source) override;
  std::string Get(std::string_view key) override;
  void GetFile(std::string_view key, const std::filesystem::path& target) override;
  std::optional<ObjectInfo> Stat(std::string_view key) override;
  std::vector<ObjectInfo> List(std::string_view prefix) override;
  void Delete(std::string_view key) override;
  std::string Describe() const override;

  // How many uploads went multipart (for tests and metrics).
  uint64_t multipart_uploads() const { return multipart_uploads_; }

 private:
  class Http;
  // Reads `length` bytes at `offset` of the object being uploaded.
  using PartReader = std::function<std::string(uint64_t offset, uint64_t length)>;
  void Upload(std::string_view key, uint64_t size, const PartReader& read);
  void UploadMultipart(const std::string& object_key, uint64_t size, const PartReader& read);

  S3Settings settings_;
  std::unique_ptr<Http> http_;
  uint64_t multipart_uploads_ = 0;
};

}  // namespace futureim::lake
