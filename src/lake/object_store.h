#pragma once

// The lake's storage layer: one narrow interface over a local directory
// (LocalObjectStore, the default) and S3-compatible object storage
// (S3ObjectStore). Everything above it (tiers, runs, catalog) speaks keys.
//
// Keys are relative, '/'-separated paths such as "curated/orders/part-0.parquet".
// A key is never absolute, never has an empty, "." or ".." segment, never ends
// in '/', and holds no NUL or backslash; every call refuses such keys, so no
// key can reach outside the store's root (ValidateObjectKey).
//
// Atomicity invariant (both backends): a reader sees either the whole previous
// object or the whole new one, never a partial write, whatever happens to the
// writer (crash, SIGKILL, lost connection). Runs are published by writing
// their objects first and a small pointer object last (Publish), so a reader
// that follows the pointer never sees a half-written run.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace futureim::lake {

// Get/GetFile of a key that does not exist.
class ObjectNotFoundError : public core::Error {
 public:
  using core::Error::Error;
};

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::chrono::system_clock::time_point modified;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Stores bytes or a file's content under `key`, replacing any previous
  // object atomically. Returns only once the object is durable.
  virtual void Put(std::string_view key, std::string_view bytes) = 0;
  virtual void PutFile(std::string_view key, const std::filesystem::path& source) = 0;

  // Reads a whole object; ObjectNotFoundError when it does not exist.
  virtual std::string Get(std::string_view key) = 0;
  // Writes the object to `target` atomically (temp file + rename), so a
  // failed download never leaves a partial target.
  virtual void GetFile(std::string_view key, const std::filesystem::path& target) = 0;

  // Size and modification time, or nullopt when the key does not exist.
  virtual std::optional<ObjectInfo> Stat(std::string_view key) = 0;
  bool Exists(std::string_view key) { return Stat(key).has_value(); }

  // Every object whose key starts with `prefix` (plain string prefix, as in
  // S3: "raw/orders/" lists that folder recursively, "" lists everything),
  // sorted by key.
  virtual std::vector<ObjectInfo> List(std::string_view prefix) = 0;

  // Removes an object; removing a missing key is not an error.
  virtual void Delete(std::string_view key) = 0;

  // The publish primitive: stores a small pointer/manifest object after
  // everything it refers to. Every Put already returns only when durable and
  // is atomic, so Publish is an ordinary Put whose name documents the
  // contract: callers write the run's objects, then Publish the pointer.
  void Publish(std::string_view pointer_key, std::string_view content) {
    Put(pointer_key, content);
  }

  // "local:/var/lake" or "s3://bucket/prefix" for messages and status.
  virtual std::string Describe() const = 0;
};

// Throws core::Error naming the key and the rule it breaks (see above).
void ValidateObjectKey(std::string_view key);
// Like ValidateObjectKey, but "" and a trailing '/' are allowed.
void ValidateObjectPrefix(std::string_view prefix);

}  // namespace futureim::lake
