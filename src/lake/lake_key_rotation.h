#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

namespace futureim::core {
class KeyStore;
}

namespace futureim::lake {

// The key-store entry that holds the key being rotated away from while a
// rotation is under way; its presence means "a rotation is unfinished".
inline constexpr std::string_view kPreviousLakeKeySecret = "lake.encryption_key.previous";

struct LakeKeyRotationReport {
  size_t encrypted_files = 0;    // encrypted Parquet files found in the lake
  size_t rotated = 0;            // re-encrypted by this run
  size_t already_rotated = 0;    // already under the new key (a resumed rotation)
  size_t stale_temporaries = 0;  // leftovers of an interrupted rotation, removed
  bool resumed = false;          // an unfinished rotation was continued
};

// Re-encrypts every encrypted Parquet file of the lake at `lake_root` under a
// new lake.encryption_key, crash-safely:
//
//   1. one atomic key-store write makes a fresh key lake.encryption_key and
//      keeps the old one as lake.encryption_key.previous (skipped when a
//      previous key is already there: an interrupted rotation resumes);
//   2. each file is rewritten beside itself under the new key, verified
//      (readable with it, same row count), fsync'ed and renamed over the old
//      one (RotateParquetKey): every file is always whole, under one key;
//   3. only when every file is done, lake.encryption_key.previous is removed.
//
// Writers that start after step 1 already use the new key. A crash at any
// point leaves files under the old or the new key and both keys in the
// store, so running this again finishes the job. A missing key is a
// core::Error; a file readable with neither key is a ParquetKeyError naming
// it, and the store keeps both keys.
LakeKeyRotationReport RotateLakeKey(const std::filesystem::path& lake_root, core::KeyStore& store);

// Every encrypted Parquet data file under `lake_root` (hidden '.' files
// excluded), sorted.
std::vector<std::filesystem::path> EncryptedLakeFiles(const std::filesystem::path& lake_root);

}  // namespace futureim::lake
