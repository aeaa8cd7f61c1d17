// Pinned to DuckDB 1.4.4 (source id 6ddac802ff): this file uses DuckDB's C++
// internals (EncryptionState/EncryptionUtil, DBConfig, the C API's
// DatabaseWrapper), which have no stable ABI. It compiles against the headers
// of the same source package as the prebuilt libduckdb.so, whose C++ symbols
// are exported; a DuckDB upgrade must re-check every declaration used here
// (the lake_encryption tests fail loudly if one changed behaviour).
#include "lake/parquet_encryption.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unistd.h>

#include "core/key_store.h"
#include "duckdb/common/encryption_state.hpp"
#include "duckdb/common/exception.hpp"
#include "duckdb/main/capi/capi_internal.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/main/database.hpp"
#include "lake/local_object_store.h"

namespace futureim::lake {
namespace fs = std::filesystem;
namespace {

using duckdb::EncryptionTypes;

constexpr std::string_view kPinnedDuckDbVersion = "v1.4.4";

// ---------------------------------------------------------------------------
// The OpenSSL implementation of DuckDB's encryption hooks.

// One AES operation (a Parquet module: footer, page header, page...).
// DuckDB calls Initialize*, then Process any number of times, then Finalize.
class OpenSslAesState final : public duckdb::EncryptionState {
 public:
  OpenSslAesState(EncryptionTypes::CipherType cipher_type, duckdb::idx_t key_length)
      : EncryptionState(cipher_type, key_length), context_(EVP_CIPHER_CTX_new()) {
    if (context_ == nullptr) throw duckdb::InternalException("EVP_CIPHER_CTX_new failed");
  }
  ~OpenSslAesState() override { EVP_CIPHER_CTX_free(context_); }

  void InitializeEncryption(duckdb::const_data_ptr_t iv, duckdb::idx_t iv_len,
                            duckdb::const_data_ptr_t key, duckdb::idx_t key_length,
                            duckdb::const_data_ptr_t aad, duckdb::idx_t aad_len) override {
    Initialize(/*encrypt=*/true, iv, iv_len, key, key_length, aad, aad_len);
  }
  void InitializeDecryption(duckdb::const_data_ptr_t iv, duckdb::idx_t iv_len,
                            duckdb::const_data_ptr_t key, duckdb::idx_t key_length,
                            duckdb::const_data_ptr_t aad, duckdb::idx_t aad_len) override {
    Initialize(/*encrypt=*/false, iv, iv_len, key, key_length, aad, aad_len);
  }

  size_t Process(duckdb::const_data_ptr_t in, duckdb::idx_t in_len, duckdb::data_ptr_t out,
                 duckdb::idx_t out_len) override {
    if (out_len < in_len) throw duckdb::InternalException("AES output buffer too small");
    int written = 0;
    if (EVP_CipherUpdate(context_, out, &written, in, static_cast<int>(in_len)) != 1) {
      throw duckdb::InternalException("AES update failed");
    }
    return static_cast<size_t>(written);
  }

  size_t Finalize(duckdb::data_ptr_t out, duckdb::idx_t, duckdb::data_ptr_t tag,
                  duckdb::idx_t tag_len) override {
    const bool gcm = cipher == EncryptionTypes::GCM;
    if (gcm && !encrypt_ &&
        EVP_CIPHER_CTX_ctrl(context_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_len), tag) != 1) {
      throw duckdb::InternalException("AES-GCM: cannot set the tag");
    }
    int written = 0;
    if (EVP_CipherFinal_ex(context_, out, &written) != 1) {
      // For GCM decryption this is the authentication failure: wrong key or
      // tampered data. The wording is what IsParquetKeyFailure recognises.
      throw duckdb::InvalidInputException(
          "Computed AES tag differs from read AES tag, are you using the right key?");
    }
    if (gcm && encrypt_ &&
        EVP_CIPHER_CTX_ctrl(context_, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_len), tag) != 1) {
      throw duckdb::InternalException("AES-GCM: cannot read the tag");
    }
    return static_cast<size_t>(written);
  }

  void GenerateRandomData(duckdb::data_ptr_t data, duckdb::idx_t len) override {
    if (RAND_bytes(data, static_cast<int>(len)) != 1)
      throw duckdb::InternalException("RAND_bytes failed");
  }

 private:
  static const EVP_CIPHER* CipherFor(EncryptionTypes::CipherType type, duckdb::idx_t key_length) {
    const bool gcm = type == EncryptionTypes::GCM;
    if (!gcm && type != EncryptionTypes::CTR) {
      throw duckdb::NotImplementedException("only AES-GCM and AES-CTR are supported");
    }
    switch (key_length) {
      case 16:
        return gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
      case 24:
        return gcm ? EVP_aes_192_gcm() : EVP_aes_192_ctr();
      case 32:
        return gcm ? EVP_aes_256_gcm() : EVP_aes_256_ctr();
      default:
        throw duckdb::InvalidInputException("AES key must be 16, 24 or 32 bytes");
    }
  }

  void Initialize(bool encrypt, duckdb::const_data_ptr_t iv, duckdb::idx_t iv_len,
                  duckdb::const_data_ptr_t key, duckdb::idx_t key_length,
                  duckdb::const_data_ptr_t aad, duckdb::idx_t aad_len) {
    encrypt_ = encrypt;
    const EVP_CIPHER* evp_cipher = CipherFor(cipher, key_length);
    const int enc = encrypt ? 1 : 0;
    if (EVP_CipherInit_ex(context_, evp_cipher, nullptr, nullptr, nullptr, enc) != 1) {
      throw duckdb::InternalException("AES init failed");
    }
    unsigned char counter_iv[16] = {};
    if (cipher == EncryptionTypes::GCM) {
      if (EVP_CIPHER_CTX_ctrl(context_, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv_len),
                              nullptr) != 1) {
        throw duckdb::InternalException("AES-GCM: bad IV length");
      }
    } else if (iv_len != 16) {
      // CTR takes a full 16-byte counter block; Parquet's AES_GCM_CTR_V1
      // nonce is 12 bytes with the 4-byte counter starting at 1.
      if (iv_len != 12) throw duckdb::InternalException("AES-CTR: bad IV length");
      std::copy(iv, iv + 12, counter_iv);
      counter_iv[15] = 1;
      iv = counter_iv;
    }
    if (EVP_CipherInit_ex(context_, nullptr, nullptr, key, iv, enc) != 1) {
      throw duckdb::InternalException("AES key/IV setup failed");
    }
    if (aad != nullptr && aad_len > 0) {
      int ignored = 0;
      if (EVP_CipherUpdate(context_, nullptr, &ignored, aad, static_cast<int>(aad_len)) != 1) {
        throw duckdb::InternalException("AES-GCM: AAD failed");
      }
    }
  }

  EVP_CIPHER_CTX* context_;
  bool encrypt_ = true;
};

class OpenSslEncryptionUtil final : public duckdb::EncryptionUtil {
 public:
  duckdb::shared_ptr<duckdb::EncryptionState> CreateEncryptionState(
      EncryptionTypes::CipherType cipher_type, duckdb::idx_t key_len) const override {
    return duckdb::make_shared_ptr<OpenSslAesState>(cipher_type, key_len);
  }
  bool SupportsEncryption() override { return true; }
};

// ---------------------------------------------------------------------------
// SQL helpers.

std::string SqlString(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

void CheckKeyName(std::string_view key_name) {
  const bool valid =
      !key_name.empty() && std::all_of(key_name.begin(), key_name.end(),
                                       [](unsigned char c) { return std::isalnum(c) || c == '_'; });
  if (!valid)
    throw core::Error("invalid Parquet key name '" + std::string(key_name) +
                      "': use [A-Za-z0-9_]+");
}

std::string EncryptionConfig(std::string_view key_name) {
  CheckKeyName(key_name);
  return "{footer_key: " + SqlString(key_name) + "}";
}

// Bytes of a standard base64 text, or nullopt when it is not one.
std::optional<size_t> Base64DecodedLength(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '=') {
      if (i < text.size() - 2) return std::nullopt;
      ++padding;
    } else if (padding > 0 || !(std::isalnum(c) || c == '+' || c == '/')) {
      return std::nullopt;
    }
  }
  return text.size() / 4 * 3 - padding;
}

}  // namespace

// ---------------------------------------------------------------------------

void InstallParquetCrypto(const engine::Database& database) {
  // The headers have no version macro: check the library at run time, so a
  // different libduckdb.so can never meet these struct layouts.
  const std::string_view version = duckdb_library_version();
  if (version != kPinnedDuckDbVersion) {
    throw core::Error("Parquet encryption is built for DuckDB " +
                      std::string(kPinnedDuckDbVersion) + " but the loaded libduckdb is " +
                      std::string(version));
  }
  // duckdb_database points to the C API's DatabaseWrapper (capi_internal.hpp).
  auto* wrapper = reinterpret_cast<duckdb::DatabaseWrapper*>(database.Handle());
  // Must be set on the running instance's config: a DBConfig passed to the
  // constructor does not carry encryption_util over.
  duckdb::DBConfig::GetConfig(*wrapper->database->instance).encryption_util =
      duckdb::make_shared_ptr<OpenSslEncryptionUtil>();
}

void RegisterParquetKey(engine::Connection& connection, std::string_view key_name,
                        std::string_view base64_key, std::string_view key_origin) {
  CheckKeyName(key_name);
  const auto length = Base64DecodedLength(base64_key);
  if (!length) throw core::Error(std::string(key_origin) + " is not valid base64");
  if (*length != 16 && *length != 24 && *length != 32) {
    throw core::Error(std::string(key_origin) + " must be 16, 24 or 32 bytes (base64), not " +
                      std::to_string(*length));
  }
  // Base64 and the name are checked above, so the literals need no escaping
  // beyond SqlString; the key never appears in an error message.
  connection.Execute("PRAGMA add_parquet_key(" + SqlString(key_name) + ", " +
                     SqlString(base64_key) + ")");
}

void RegisterLakeParquetKey(engine::Connection& connection, const core::Secrets& secrets) {
  RegisterParquetKey(connection, kLakeKeyName, secrets.Require(kLakeKeySecret),
                     "secret '" + std::string(kLakeKeySecret) + "'");
}

std::string EncryptedParquetScan(const std::vector<std::string>& paths, std::string_view key_name,
                                 std::string_view extra_parameters) {
  std::string list = "[";
  for (const auto& path : paths) list += (list.size() > 1 ? ", " : "") + SqlString(path);
  std::string scan = "read_parquet(" + list + "], encryption_config=" + EncryptionConfig(key_name);
  if (!extra_parameters.empty()) scan += ", " + std::string(extra_parameters);
  return scan + ")";
}

uint64_t CopyToEncryptedParquet(engine::Connection& connection, std::string_view select_sql,
                                const fs::path& target, std::string_view key_name,
                                std::string_view extra_options) {
  std::string sql = "COPY (" + std::string(select_sql) + ") TO " + SqlString(target.string()) +
                    " (FORMAT parquet, ENCRYPTION_CONFIG " + EncryptionConfig(key_name);
  if (!extra_options.empty()) sql += ", " + std::string(extra_options);
  sql += ")";
  std::error_code ignored;
  const bool existed = fs::exists(target, ignored);
  try {
    auto result = connection.Query(sql);
    return result.ScalarInt64().value_or(0);
  } catch (...) {
    // A failed encrypted COPY leaves a 0-byte file (or, partitioned, a
    // directory of partial files): never leave it for a reader to trip on.
    if (!existed) fs::remove_all(target, ignored);
    throw;
  }
}

std::optional<ParquetKeyError> AsParquetKeyError(const engine::DuckDbError& error,
                                                 std::string_view what, std::string_view key_name) {
  // DuckDB 1.4.4's wording for each case (checked by lake_encryption_test).
  const std::string_view message = error.what();
  const auto says = [&](std::string_view text) {
    return message.find(text) != std::string_view::npos;
  };
  const std::string key = "'" + std::string(key_name) + "'";
  const std::string hint = " (the lake's key is the secret " + std::string(kLakeKeySecret) + ")";
  std::string explanation;
  if (says("are you using the right key")) {
    explanation = "cannot decrypt " + std::string(what) + " with key " + key +
                  ": it was encrypted with another key" + hint;
  } else if (says("is encrypted, but 'encryption_config' was not set")) {
    explanation = std::string(what) + " is encrypted and was read without a key" + hint;
  } else if (says("No key with name")) {
    explanation = "Parquet key " + key + " is not registered in this database (RegisterParquetKey)";
  } else if (says("is not encrypted, but 'encryption_config' was set")) {
    explanation = std::string(what) +
                  ": a file is not encrypted but was read with a key; every file of one scan must "
                  "use the same key";
  } else {
    return std::nullopt;
  }
  return ParquetKeyError(explanation + ". DuckDB said: " + std::string(message));
}

uint64_t VerifyEncryptedParquet(engine::Connection& connection,
                                const std::vector<std::string>& paths, std::string_view key_name) {
  // Reading every column forces every page through decryption (a count(*)
  // alone could be answered from the footer's metadata).
  const std::string scan = EncryptedParquetScan(paths, key_name);
  try {
    auto result =
        connection.Query("SELECT count(*) FROM (SELECT hash(COLUMNS(*)) FROM " + scan + ")");
    return static_cast<uint64_t>(result.ScalarInt64().value_or(0));
  } catch (const engine::DuckDbError& error) {
    std::string names;
    for (const auto& path : paths) names += (names.empty() ? "" : ", ") + path;
    if (auto key_error = AsParquetKeyError(error, names, key_name)) throw *key_error;
    throw;
  }
}

bool IsEncryptedParquetFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  if (!in || in.tellg() < 8) return false;
  in.seekg(-4, std::ios::end);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in && std::string_view(magic, sizeof magic) == "PARE";
}

KeyRotationResult RotateParquetKey(engine::Connection& connection,
                                   const std::vector<fs::path>& files,
                                   std::string_view old_key_name, std::string_view new_key_name) {
  KeyRotationResult result;
  for (const auto& file : files) {
    try {
      VerifyEncryptedParquet(connection, {file.string()}, new_key_name);
      ++result.already_rotated;  // a rerun after a crash: already done
      continue;
    } catch (const ParquetKeyError&) {
    }
    const uint64_t rows = VerifyEncryptedParquet(connection, {file.string()}, old_key_name);
    // Beside the file (same directory, same file system) so the rename is
    // atomic; the temporary prefix keeps it out of lake listings.
    const fs::path temp =
        file.parent_path() / (std::string(kTemporaryPrefix) + std::to_string(::getpid()) +
                              "-rotate-" + file.filename().string());
    std::error_code ignored;
    fs::remove(temp, ignored);
    try {
      CopyToEncryptedParquet(connection,
                             "SELECT * FROM " + EncryptedParquetScan({file.string()}, old_key_name),
                             temp, new_key_name);
      const uint64_t rotated_rows =
          VerifyEncryptedParquet(connection, {temp.string()}, new_key_name);
      if (rotated_rows != rows) {
        throw core::Error("key rotation of " + file.string() + " wrote " +
                          std::to_string(rotated_rows) + " rows instead of " +
                          std::to_string(rows));
      }
      FsyncFile(temp);
      DurableRename(temp, file);
    } catch (...) {
      fs::remove(temp, ignored);
      throw;
    }
    ++result.rotated;
  }
  return result;
}

}  // namespace futureim::lake
