#include "auth/audit_log.h"

#include <sqlite3.h>

#include "auth/token_codec.h"

namespace futureim::auth {
namespace {

AuditRecord ReadRecord(const metadata::SqliteStatement& row) {
  AuditRecord record;
  record.id = row.GetInt(0);
  record.at_ms = row.GetInt(1);
  record.event.actor = row.GetText(2);
  record.event.action = row.GetText(3);
  record.event.target = row.GetText(4);
  record.event.client_ip = row.GetText(5);
  // A row edited by hand may hold anything: keep it as text rather than fail.
  auto detail = nlohmann::json::parse(row.GetText(6), nullptr, false);
  record.event.detail = detail.is_discarded() ? nlohmann::json(row.GetText(6)) : detail;
  record.prev_hash = row.GetText(7);
  record.hash = row.GetText(8);
  return record;
}

constexpr const char* kColumns =
    "id, at_ms, actor, action, target, client_ip, detail, prev_hash, hash";

}  // namespace

std::string AuditLog::CanonicalText(int64_t id, int64_t at_ms, const AuditEvent& event) {
  // nlohmann::json objects keep keys sorted, so dump() is canonical.
  const nlohmann::json row = {{"id", id},
                              {"at_ms", at_ms},
                              {"actor", event.actor},
                              {"action", event.action},
                              {"target", event.target},
                              {"client_ip", event.client_ip},
                              {"detail", event.detail}};
  return row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string AuditLog::ChainHash(const std::string& prev_hash, const std::string& canonical) {
  return Sha256Hex(prev_hash + canonical);
}

AuditRecord AuditLog::Append(const AuditEvent& event, int64_t at_ms) {
  const bool own_transaction = sqlite3_get_autocommit(db_.handle()) != 0;
  if (own_transaction) db_.Execute("BEGIN IMMEDIATE");
  try {
    AuditRecord record;
    record.at_ms = at_ms;
    record.event = event;
    auto last = db_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    int64_t last_id = 0;
    if (last.Step()) {
      last_id = last.GetInt(0);
      record.prev_hash = last.GetText(1);
    }
    // AUTOINCREMENT never reuses an id, so the next id is known before the
    // insert (sqlite_sequence may be ahead of the last row after a rollback).
    auto sequence = db_.Prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
    record.id = std::max(last_id, sequence.Step() ? sequence.GetInt(0) : int64_t{0}) + 1;
    const std::string detail =
        event.detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    record.hash = ChainHash(record.prev_hash, CanonicalText(record.id, at_ms, event));
    auto insert = db_.Prepare(
        "INSERT INTO audit_log(id, at_ms, actor, action, target, client_ip, detail, prev_hash, "
        "hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(1, record.id)
        .Bind(2, at_ms)
        .Bind(3, event.actor)
        .Bind(4, event.action)
        .Bind(5, event.target)
        .Bind(6, event.client_ip)
        .Bind(7, detail)
        .Bind(8, record.prev_hash)
        .Bind(9, record.hash);
    insert.Step();
    if (own_transaction) db_.Execute("COMMIT");
    return record;
  } catch (...) {
    if (own_transaction) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<AuditRecord> AuditLog::Find(const AuditFilter& filter) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1";
  if (filter.actor) sql += " AND actor = :actor";
  if (filter.action) sql += " AND action = :action";
  if (filter.since_ms) sql += " AND at_ms >= :since";
  if (filter.until_ms) sql += " AND at_ms < :until";
  if (filter.before_id) sql += " AND id < :before";
  sql += " ORDER BY id DESC LIMIT :limit";
  auto statement = db_.Prepare(sql);
  auto* raw = statement.handle();
  auto bind_text = [&](const char* name, const std::string& value) {
    statement.Bind(sqlite3_bind_parameter_index(raw, name), value);
  };
  auto bind_int = [&](const char* name, int64_t value) {
    statement.Bind(sqlite3_bind_parameter_index(raw, name), value);
  };
  if (filter.actor) bind_text(":actor", *filter.actor);
  if (filter.action) bind_text(":action", *filter.action);
  if (filter.since_ms) bind_int(":since", *filter.since_ms);
  if (filter.until_ms) bind_int(":until", *filter.until_ms);
  if (filter.before_id) bind_int(":before", *filter.before_id);
  bind_int(":limit", filter.limit);
  std::vector<AuditRecord> records;
  while (statement.Step()) records.push_back(ReadRecord(statement));
  return records;
}

AuditVerification AuditLog::Verify() {
  AuditVerification result;
  auto statement = db_.Prepare(std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY id");
  std::string expected_prev;
  while (statement.Step()) {
    // Re-read the detail exactly as stored: its text is what was hashed.
    AuditRecord record = ReadRecord(statement);
    ++result.rows_checked;
    if (record.prev_hash != expected_prev) {
      result.first_bad_id = record.id;
      result.problem =
          "its prev_hash does not match the hash of the row before it (a row was "
          "deleted, inserted or reordered)";
      return result;
    }
    if (record.hash !=
        ChainHash(record.prev_hash, CanonicalText(record.id, record.at_ms, record.event))) {
      result.first_bad_id = record.id;
      result.problem = "its content does not match its hash (the row was edited)";
      return result;
    }
    expected_prev = record.hash;
  }
  return result;
}

}  // namespace futureim::auth
