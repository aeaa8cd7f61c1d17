#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace futureim::metadata {

class SqliteStatement;

// RAII over one SQLite connection, opened in WAL mode with foreign keys on and
// a busy timeout, so several processes (serve, CLI) can share the file.
class SqliteDatabase {
 public:
  static SqliteDatabase Open(const std::filesystem::path& file);
  SqliteDatabase(SqliteDatabase&& other) noexcept;
  SqliteDatabase& operator=(SqliteDatabase&& other) noexcept;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;
  ~SqliteDatabase();

  void Execute(std::string_view sql);  // one or more statements, no results
  SqliteStatement Prepare(std::string_view sql);
  int64_t UserVersion();
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// A prepared statement; bind indexes are 1-based, column indexes 0-based.
class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, int64_t number);
  SqliteStatement& BindNull(int index);
  // Advances to the next row; false when done.
  bool Step();
  void Reset();

  bool IsNull(int column) const;
  int64_t GetInt(int column) const;
  std::string GetText(int column) const;
  sqlite3_stmt* handle() const { return stmt_; }

 private:
  friend class SqliteDatabase;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace futureim::metadata
