#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metadata/sqlite_database.h"

namespace futureim::auth {

// One security-relevant action (login, failure, lockout, role change...).
struct AuditEvent {
  std::string actor;      // user id; "" when anonymous or the system
  std::string action;     // "login", "login_failed", "role_change"...
  std::string target;     // what it acted on (user id, email hash, route)
  std::string client_ip;  // "" from the command line
  nlohmann::json detail = nlohmann::json::object();  // never a secret
};

struct AuditRecord {
  int64_t id = 0;
  int64_t at_ms = 0;
  AuditEvent event;
  std::string prev_hash;
  std::string hash;
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<int64_t> since_ms;   // inclusive
  std::optional<int64_t> until_ms;   // exclusive
  std::optional<int64_t> before_id;  // pagination cursor: rows older than this id
  int64_t limit = 100;
};

struct AuditVerification {
  int64_t rows_checked = 0;
  // The first row whose stored hash or link does not match; nullopt if intact.
  std::optional<int64_t> first_bad_id;
  std::string problem;
};

// The append-only, hash-chained audit log (table audit_log). Each row stores
// hash = sha256(prev_hash || canonical(row)) where canonical is the row's
// fields as compact JSON with sorted keys; editing, deleting or reordering a
// row breaks the chain at that row, which Verify names. Triggers refuse
// UPDATE and DELETE inside SQLite; the chain catches what goes around them.
//
// Not thread-safe on a shared connection: callers serialise use of `db`.
class AuditLog {
 public:
  explicit AuditLog(metadata::SqliteDatabase& db) : db_(db) {}

  // Appends under BEGIN IMMEDIATE (or inside the caller's transaction), so
  // two processes never link to the same predecessor.
  AuditRecord Append(const AuditEvent& event, int64_t at_ms);
  // Newest first.
  std::vector<AuditRecord> Find(const AuditFilter& filter);
  AuditVerification Verify();

  // The canonical text hashed for a row (exposed for tests).
  static std::string CanonicalText(int64_t id, int64_t at_ms, const AuditEvent& event);
  static std::string ChainHash(const std::string& prev_hash, const std::string& canonical);

 private:
  metadata::SqliteDatabase& db_;
};

}  // namespace futureim::auth
