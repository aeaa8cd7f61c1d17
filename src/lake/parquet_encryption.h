#pragma once

// Parquet modular encryption (AES-GCM) at rest, through DuckDB 1.4.4.
//
// DuckDB 1.4.4 refuses to write encrypted Parquet without its httpfs
// extension (its built-in mbedtls wrapper has no secure random engine), and
// httpfs cannot be installed offline. InstallParquetCrypto gives a database
// an OpenSSL implementation of DuckDB's EncryptionUtil (AES-GCM/CTR, RAND_bytes)
// instead. That one file (parquet_encryption.cpp) compiles against DuckDB's
// C++ internals and is pinned to exactly 1.4.4: see docs/ARCHITECTURE.md.
//
// Keys are registered per database under a name and referenced by that name
// in SQL: COPY ... (FORMAT parquet, ENCRYPTION_CONFIG {footer_key: 'name'})
// and read_parquet(..., encryption_config={footer_key: 'name'}). A reader
// needs the key of every file it reads: one read_parquet over a glob takes
// one key, so every file it matches must use that key (and be encrypted).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "engine/duckdb.h"

namespace futureim::core {
class Secrets;
}

namespace futureim::lake {

// An encrypted file read without its key, or with the wrong one.
class ParquetKeyError : public core::Error {
 public:
  using core::Error::Error;
};

// The secret that holds the lake's Parquet key, and the name it is
// registered under in DuckDB by RegisterLakeParquetKey.
inline constexpr std::string_view kLakeKeySecret = "lake.encryption_key";
inline constexpr std::string_view kLakeKeyName = "lake_key";

// Installs the OpenSSL encryption implementation into `database`. Call once
// after opening it, before any encrypted read or write; calling again is
// harmless. Without it, encrypted writes fail with DuckDB's httpfs message.
void InstallParquetCrypto(const engine::Database& database);

// Registers a key (base64 of 16, 24 or 32 bytes: AES-128/192/256) under
// `key_name` ([A-Za-z0-9_]+) in the connection's database. A malformed key is
// a core::Error naming `key_origin` (e.g. the secret's name), never the key.
void RegisterParquetKey(engine::Connection& connection, std::string_view key_name,
                        std::string_view base64_key, std::string_view key_origin = "the key");
// RegisterParquetKey(kLakeKeyName, secret lake.encryption_key); a missing
// secret is core::Secrets::Require's error.
void RegisterLakeParquetKey(engine::Connection& connection, const core::Secrets& secrets);

// The read_parquet(...) table expression over `paths` (files or globs) with
// the key, for use in a FROM clause; extra named parameters
// (e.g. "hive_partitioning=true") are appended.
std::string EncryptedParquetScan(const std::vector<std::string>& paths, std::string_view key_name,
                                 std::string_view extra_parameters = "");

// Runs COPY (select_sql) TO target (FORMAT parquet, ENCRYPTION_CONFIG ...,
// extra_options) — `extra_options` such as "PARTITION_BY (day)" or
// "COMPRESSION zstd". When the COPY fails and the target did not exist
// before, whatever it left (DuckDB leaves a 0-byte file) is removed. Returns
// the number of rows written.
uint64_t CopyToEncryptedParquet(engine::Connection& connection, std::string_view select_sql,
                                const std::filesystem::path& target, std::string_view key_name,
                                std::string_view extra_options = "");

// Reads every row of the files once (decrypting every page) and returns the
// row count; ParquetKeyError when the key is missing or wrong, with the
// file named.
uint64_t VerifyEncryptedParquet(engine::Connection& connection,
                                const std::vector<std::string>& paths, std::string_view key_name);

// When DuckDB's error is about Parquet keys — wrong key, an encrypted file
// read without a key, an unregistered key name, a plaintext file read with a
// key — the same error explained for a user (`what` names the files read);
// otherwise nullopt. For readers other than VerifyEncryptedParquet (query/).
std::optional<ParquetKeyError> AsParquetKeyError(const engine::DuckDbError& error,
                                                 std::string_view what, std::string_view key_name);

// Whether `file` is a Parquet file with an encrypted footer (DuckDB's
// encrypted files end in the magic "PARE"; plaintext ones in "PAR1"). Reads
// the last 4 bytes only. False for anything else, including unreadable files.
bool IsEncryptedParquetFile(const std::filesystem::path& file);

struct KeyRotationResult {
  size_t rotated = 0;
  size_t already_rotated = 0;  // readable with the new key: left alone
};

// Re-encrypts each file from `old_key_name` to `new_key_name`, one file at a
// time and atomically per file: the new file is written beside it, verified
// (readable with the new key, same row count), fsync'ed and renamed over the
// old one. A crash leaves each file under the old or the new key, never
// broken, and rerunning resumes: files already under the new key are
// skipped. A file readable with neither key is a ParquetKeyError.
KeyRotationResult RotateParquetKey(engine::Connection& connection,
                                   const std::vector<std::filesystem::path>& files,
                                   std::string_view old_key_name, std::string_view new_key_name);

}  // namespace futureim::lake
