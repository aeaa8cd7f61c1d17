#pragma once

// Reading and writing the versioned tiers' Parquet files (curated, prod), encrypted or not.

#include <filesystem>
#include <string>
#include <vector>

#include "engine/duckdb.h"

namespace futureim::lake {

// How a tier writer (curation, an analytics system) reads and writes Parquet on one connection:
// whether new files are encrypted (lake.encrypt) and whether the lake key is registered
// (lake::kLakeKeyName) for reading files that are.
class ParquetFiles {
 public:
  ParquetFiles(engine::Connection& connection, bool encrypt_writes, bool key_registered)
      : connection_(connection), encrypt_writes_(encrypt_writes), key_registered_(key_registered) {}

  // read_parquet(...) over `files` (union by name, no Hive columns). Files
  // with an encrypted footer are read with the lake key; a missing key is a
  // core::Error naming the secret. All files of one call must agree.
  std::string Scan(const std::vector<std::filesystem::path>& files) const;

  // COPY (select) TO file as one ZSTD Parquet file (row groups of 122880
  // rows), encrypted when configured; fsyncs it. Returns the rows written.
  uint64_t Write(const std::string& select_sql, const std::filesystem::path& file) const;

  bool encrypt_writes() const { return encrypt_writes_; }

 private:
  engine::Connection& connection_;
  bool encrypt_writes_;
  bool key_registered_;
};

}  // namespace futureim::lake
