#include "lake/parquet_files.h"

#include "core/error.h"
#include "engine/sql_text.h"
#include "lake/local_object_store.h"
#include "lake/parquet_encryption.h"

namespace futureim::lake {

namespace fs = std::filesystem;

std::string ParquetFiles::Scan(const std::vector<fs::path>& files) const {
  if (files.empty()) throw core::Error("internal: ParquetFiles::Scan of no files");
  const bool encrypted = lake::IsEncryptedParquetFile(files.front());
  for (const auto& file : files) {
    if (lake::IsEncryptedParquetFile(file) != encrypted) {
      throw core::Error("the files of " + files.front().parent_path().string() +
                        " mix encrypted and plain Parquet");
    }
  }
  const std::string options = "union_by_name = true, hive_partitioning = false";
  if (!encrypted) {
    return "read_parquet(" + engine::PathListLiteral(files) + ", " + options + ")";
  }
  if (!key_registered_) {
    throw core::Error(files.front().string() + " is encrypted and the lake key (secret " +
                      std::string(lake::kLakeKeySecret) + ") is not available");
  }
  std::vector<std::string> paths;
  for (const auto& file : files) paths.push_back(file.string());
  return lake::EncryptedParquetScan(paths, lake::kLakeKeyName, options);
}

uint64_t ParquetFiles::Write(const std::string& select_sql, const fs::path& file) const {
  fs::create_directories(file.parent_path());
  const std::string options = "COMPRESSION zstd, ROW_GROUP_SIZE 122880";
  uint64_t rows = 0;
  if (encrypt_writes_) {
    rows = lake::CopyToEncryptedParquet(connection_, select_sql, file, lake::kLakeKeyName, options);
  } else {
    rows = static_cast<uint64_t>(connection_
                                     .Query("COPY (" + select_sql + ") TO " +
                                            engine::QuoteLiteral(file.string()) +
                                            " (FORMAT parquet, " + options + ")")
                                     .ScalarInt64()
                                     .value_or(0));
  }
  lake::FsyncFile(file);
  return rows;
}

}  // namespace futureim::lake
