#include "lake/lake_key_rotation.h"

#include <algorithm>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/key_store.h"
#include "engine/duckdb.h"
#include "lake/local_object_store.h"
#include "lake/parquet_encryption.h"

namespace futureim::lake {

namespace fs = std::filesystem;

namespace {

// Registered names of the two keys in the rotation's own database.
constexpr std::string_view kOldKeyName = "lake_key_previous";
constexpr std::string_view kNewKeyName = "lake_key_new";

// A temporary RotateParquetKey left behind by a process that died mid-file
// (".futureim-tmp-<pid>-rotate-<name>"): never data, safe to delete.
bool IsRotationTemporary(const std::string& name) {
  return name.starts_with(kTemporaryPrefix) && name.find("-rotate-") != std::string::npos;
}

size_t RemoveRotationTemporaries(const fs::path& lake_root) {
  size_t removed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(lake_root)) {
    if (entry.is_regular_file() && IsRotationTemporary(entry.path().filename().string())) {
      fs::remove(entry.path());
      ++removed;
    }
  }
  return removed;
}

}  // namespace

std::vector<fs::path> EncryptedLakeFiles(const fs::path& lake_root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(lake_root)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !name.starts_with(".") &&
        entry.path().extension() == ".parquet" && IsEncryptedParquetFile(entry.path())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

LakeKeyRotationReport RotateLakeKey(const fs::path& lake_root, core::KeyStore& store) {
  std::error_code ec;
  if (!fs::is_directory(lake_root, ec)) {
    throw core::Error("no lake at " + lake_root.string() + ": run `futureim init`");
  }
  const auto current = store.Get(kLakeKeySecret);
  if (!current || current->empty()) {
    throw core::Error("the key store " + store.file().string() + " holds no " +
                      std::string(kLakeKeySecret) + ": there is no lake key to rotate");
  }
  LakeKeyRotationReport report;
  std::string old_key;
  if (const auto previous = store.Get(kPreviousLakeKeySecret)) {
    report.resumed = true;
    old_key = *previous;
  } else {
    old_key = *current;
    store.Update({{std::string(kPreviousLakeKeySecret), old_key},
                  {std::string(kLakeKeySecret), core::GenerateKey()}});
  }
  const std::string new_key = *store.Get(kLakeKeySecret);

  report.stale_temporaries = RemoveRotationTemporaries(lake_root);
  const auto files = EncryptedLakeFiles(lake_root);
  report.encrypted_files = files.size();

  engine::Database database("", {{"threads", "2"}});
  InstallParquetCrypto(database);
  engine::Connection connection(database);
  RegisterParquetKey(connection, kOldKeyName, old_key, kPreviousLakeKeySecret);
  RegisterParquetKey(connection, kNewKeyName, new_key, kLakeKeySecret);
  const auto rotated = RotateParquetKey(connection, files, kOldKeyName, kNewKeyName);
  report.rotated = rotated.rotated;
  report.already_rotated = rotated.already_rotated;

  store.Update({{std::string(kPreviousLakeKeySecret), std::nullopt}});
  return report;
}

}  // namespace futureim::lake
