#include "metadata/metadata_db.h"

#include <array>
#include <string_view>

#include "core/error.h"

namespace futureim::metadata {
namespace {

// Append-only: never edit a migration once released; add a new one.
constexpr std::array<std::string_view, 1> kMigrations = {
    // 1: facts about the installation (created_at, product version...).
    R"sql(
      CREATE TABLE installation_facts (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
    )sql",
};

}  // namespace

MetadataDb MetadataDb::Open(const std::filesystem::path& file) {
  MetadataDb db(SqliteDatabase::Open(file));
  db.Migrate();
  return db;
}

void MetadataDb::Migrate() {
  const int64_t current = db_.UserVersion();
  if (current > static_cast<int64_t>(kMigrations.size())) {
    throw core::Error("metadata database schema version " + std::to_string(current) +
                      " is newer than this futureim supports (" +
                      std::to_string(kMigrations.size()) + "): upgrade futureim");
  }
  for (auto version = current; version < static_cast<int64_t>(kMigrations.size()); ++version) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes opening a
    // fresh file never both apply the same migration.
    db_.Execute("BEGIN IMMEDIATE");
    try {
      if (db_.UserVersion() == version) {
        db_.Execute(kMigrations[static_cast<size_t>(version)]);
        db_.Execute("PRAGMA user_version = " + std::to_string(version + 1));
      }
      db_.Execute("COMMIT");
    } catch (...) {
      // A failed statement may already have ended the transaction; the
      // rollback's own result does not matter, the original error does.
      sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

int64_t MetadataDb::SchemaVersion() { return db_.UserVersion(); }

std::optional<std::string> MetadataDb::GetFact(std::string_view key) {
  auto statement = db_.Prepare("SELECT value FROM installation_facts WHERE key = ?");
  statement.Bind(1, key);
  if (!statement.Step()) return std::nullopt;
  return statement.GetText(0);
}

void MetadataDb::SetFact(std::string_view key, std::string_view value) {
  auto statement = db_.Prepare(
      "INSERT INTO installation_facts(key, value) VALUES(?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
      "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
  statement.Bind(1, key).Bind(2, value);
  statement.Step();
}

}  // namespace futureim::metadata
