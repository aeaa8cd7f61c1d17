#include "metadata/metadata_db.h"

#include <array>
#include <string_view>

#include "core/error.h"

namespace futureim::metadata {
namespace {

// Append-only: never edit a migration once released; add a new one.
constexpr std::array<std::string_view, 5> kMigrations = {
    // 1: facts about the installation (created_at, product version...).
    R"sql(
      CREATE TABLE installation_facts (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
    )sql",
    // 2: users and their credentials, and the hash-chained audit log
    // (src/auth). Times are unix seconds (audit rows: milliseconds). Tokens
    // are stored only as SHA-256 hashes, so a copy of this file lets nobody
    // sign in, reset a password or refresh a session.
    R"sql(
      CREATE TABLE users (
        id                 TEXT PRIMARY KEY,
        email              TEXT NOT NULL UNIQUE,  -- lower-cased
        name               TEXT NOT NULL,
        password_hash      TEXT NOT NULL,         -- Argon2id, libsodium string format
        roles              TEXT NOT NULL,         -- comma-separated: admin,analyst,viewer
        email_verified     INTEGER NOT NULL DEFAULT 0,
        disabled           INTEGER NOT NULL DEFAULT 0,
        -- Access tokens issued before this second are refused (password
        -- change, reset, role change, disable).
        tokens_valid_after INTEGER NOT NULL DEFAULT 0,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL
      );
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family_id  TEXT NOT NULL,  -- one sign-in; every rotation stays in it
        issued_at  INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER,        -- rotated: presenting it again is reuse
        revoked_at INTEGER
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
      CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
      CREATE TABLE one_time_tokens (
        token_hash TEXT PRIMARY KEY,
        purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'verify')),
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
      );
      CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id, purpose);
      -- Keyed by the email as typed (lower-cased), whether or not an account
      -- has it, so a lockout never tells whether the address exists.
      CREATE TABLE login_attempts (
        email           TEXT PRIMARY KEY,
        failures        INTEGER NOT NULL,
        last_failure_at INTEGER NOT NULL,
        locked_until    INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE audit_log (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms     INTEGER NOT NULL,
        actor     TEXT NOT NULL,  -- user id, or '' for anonymous/system
        action    TEXT NOT NULL,
        target    TEXT NOT NULL,
        client_ip TEXT NOT NULL,
        detail    TEXT NOT NULL,  -- JSON object
        prev_hash TEXT NOT NULL,  -- hash of the previous row ('' for the first)
        hash      TEXT NOT NULL   -- sha256(prev_hash || canonical row), hex
      );
      CREATE INDEX audit_log_actor ON audit_log(actor, id);
      CREATE INDEX audit_log_action ON audit_log(action, id);
      CREATE INDEX audit_log_time ON audit_log(at_ms);
      -- Append-only inside SQLite; the hash chain catches edits made around it.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    )sql",
    // 3: analysts' verdicts on fraud detections (Compliance Guardian). One
    // per order, the latest wins; the next run trains its supervised model on them.
    R"sql(
      CREATE TABLE fraud_reviews (
        order_id    TEXT PRIMARY KEY,
        verdict     TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed')),
        reviewer    TEXT NOT NULL,
        notes       TEXT NOT NULL DEFAULT '',
        reviewed_at INTEGER NOT NULL  -- Unix milliseconds
      );
    )sql",
    // 4: operations (src/ops). The state of each alarm rule, so a restart
    // neither forgets a firing alarm nor announces it again; and the pipeline
    // runs the server started, with their duration and outcome (a run's
    // curated files record only successes). Times are unix milliseconds.
    R"sql(
      CREATE TABLE alarm_states (
        rule         TEXT PRIMARY KEY,
        state        TEXT NOT NULL CHECK (state IN ('ok', 'firing', 'resolved')),
        since_ms     INTEGER NOT NULL,  -- when it entered this state
        value        REAL,              -- the observed value at the last evaluation
        message      TEXT NOT NULL,
        evaluated_ms INTEGER NOT NULL
      );
      CREATE TABLE pipeline_runs (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        trigger        TEXT NOT NULL,  -- 'api', 'schedule'...
        actor          TEXT NOT NULL,  -- user id, or '' for the system
        started_ms     INTEGER NOT NULL,
        finished_ms    INTEGER,
        status         TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        curation_run   TEXT NOT NULL DEFAULT '',  -- the curated run id it published
        tables         INTEGER NOT NULL DEFAULT 0,
        error          TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX pipeline_runs_started ON pipeline_runs(started_ms);
    )sql",
    // 5: the Retail Copilot's conversations and messages, one owner each
    // (src/systems/copilot/conversation_store.h). A message keeps the plan
    // of its answer so follow-ups resolve against it; times are unix ms.
    R"sql(
      CREATE TABLE copilot_conversations (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        metadata   TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX copilot_conversations_user ON copilot_conversations(user_id, updated_at);
      CREATE TABLE copilot_messages (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL REFERENCES copilot_conversations(id) ON DELETE CASCADE,
        role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content         TEXT NOT NULL,
        kind            TEXT,  -- assistant: answer, clarification, refusal
        sql_text        TEXT,
        plan            TEXT,  -- JSON (systems/copilot/semantic_plan.h)
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX copilot_messages_conversation ON copilot_messages(conversation_id, id);
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
