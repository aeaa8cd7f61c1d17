#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "metadata/sqlite_database.h"

namespace futureim::metadata {

// The installation's metadata database (SQLite, WAL): users, tokens,
// conversations, the audit log and installation facts. DuckDB holds no state;
// this file does, so it is the one thing besides the lake to back up.
//
// Schema changes are numbered migrations applied in order inside a
// transaction; PRAGMA user_version records the last one applied, so opening
// an older file upgrades it exactly once.
class MetadataDb {
 public:
  static MetadataDb Open(const std::filesystem::path& file);

  int64_t SchemaVersion();
  std::optional<std::string> GetFact(std::string_view key);
  void SetFact(std::string_view key, std::string_view value);

  SqliteDatabase& database() { return db_; }

 private:
  explicit MetadataDb(SqliteDatabase db) : db_(std::move(db)) {}
  void Migrate();

  SqliteDatabase db_;
};

}  // namespace futureim::metadata
