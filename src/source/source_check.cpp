#include "source/source_check.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include <errmsg.h>
#include <mysqld_error.h>

#include "source/mysql_connection.h"
#include "source/mysql_grants.h"

namespace futureim::source {
namespace {

using Variables = std::map<std::string, std::string, std::less<>>;

// The global variables the checks read. SHOW VARIABLES rather than SELECT
// @@x: a variable this server version lacks is simply absent instead of
// failing the whole statement.
constexpr std::string_view kVariablesQuery =
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', "
    "'binlog_row_image', 'binlog_row_metadata', 'server_id', 'binlog_expire_logs_seconds', "
    "'expire_logs_days', 'binlog_expire_logs_auto_purge', 'binlog_checksum', 'have_ssl')";

// Base tables outside the servers' own schemas, each with whether it has a
// primary key. information_schema lists only tables the user holds some
// privilege on, so without SELECT the list is empty. The key comes from
// STATISTICS (index "PRIMARY" on both servers): MariaDB 10.11 shows a user
// with only SELECT no rows at all in TABLE_CONSTRAINTS.
constexpr std::string_view kTablesQuery =
    "SELECT t.TABLE_SCHEMA, t.TABLE_NAME, k.TABLE_NAME IS NOT NULL "
    "FROM information_schema.TABLES t LEFT JOIN (SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME "
    "FROM information_schema.STATISTICS WHERE INDEX_NAME = 'PRIMARY') k "
    "ON k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME "
    "WHERE t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') "
    "AND t.TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') "
    "ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME";

constexpr int64_t kSecondsPerDay = 86400;

// At most this many table names are listed in one finding; a schema may hold
// thousands.
constexpr size_t kMaxListedTables = 20;

std::string JoinWithCommas(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
  return out;
}

struct ServerVersion {
  std::string text;
  bool mariadb = false;
  int major = 0;
  int minor = 0;
  int patch = 0;

  bool AtLeast(int a, int b, int c) const {
    return std::tie(major, minor, patch) >= std::tie(a, b, c);
  }
  std::string Flavor() const { return mariadb ? "MariaDB" : "MySQL"; }
  std::string Number() const {
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  }
};

struct SourceTable {
  std::string schema;
  std::string name;
  bool has_primary_key = false;
};

ServerVersion ParseServerVersion(std::string text) {
  ServerVersion version;
  version.mariadb = text.find("MariaDB") != std::string::npos;
  std::string_view rest = text;
  // Old MariaDB servers prefix "5.5.5-" so that MySQL 5 clients accept them.
  if (version.mariadb && rest.starts_with("5.5.5-")) rest.remove_prefix(6);
  int* parts[] = {&version.major, &version.minor, &version.patch};
  for (int* part : parts) {
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), *part);
    if (ec != std::errc()) break;
    rest.remove_prefix(static_cast<size_t>(end - rest.data()));
    if (!rest.starts_with('.')) break;
    rest.remove_prefix(1);
  }
  version.text = std::move(text);
  return version;
}

std::optional<std::string> Lookup(const Variables& variables, std::string_view name) {
  const auto it = variables.find(name);
  if (it == variables.end()) return std::nullopt;
  return it->second;
}

std::optional<int64_t> ToInteger(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  // expire_logs_days is a DOUBLE in MariaDB ("7.000000"): whole days suffice.
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end == text->data()) return std::nullopt;
  return value;
}

SourceCheckItem Ok(std::string name, std::string observed) {
  return {std::move(name), CheckStatus::kOk, std::move(observed), {}};
}
SourceCheckItem Warn(std::string name, std::string observed, std::string fix) {
  return {std::move(name), CheckStatus::kWarn, std::move(observed), std::move(fix)};
}
SourceCheckItem Fail(std::string name, std::string observed, std::string fix) {
  return {std::move(name), CheckStatus::kFail, std::move(observed), std::move(fix)};
}

// How to change a server variable for good: in the option file, and (when
// the server allows it) at once.
std::string SettingFix(std::string_view variable, std::string_view value, bool dynamic) {
  std::string fix = "set " + std::string(variable) + "=" + std::string(value) +
                    " in the server's [mysqld] section and restart";
  if (dynamic) {
    fix += ", or SET GLOBAL " + std::string(variable) + "='" + std::string(value) +
           "' (applies to new sessions: reconnect the applications) and also put it in "
           "[mysqld] so it survives a restart";
  }
  return fix;
}

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

// CURRENT_USER() ("dms_remote@127.0.0.1") as a GRANT's account:
// 'dms_remote'@'127.0.0.1'. The host starts after the last '@' (user names
// may contain '@', host names may not).
std::string QuoteAccount(std::string_view current_user) {
  const size_t at = current_user.rfind('@');
  if (at == std::string_view::npos) return QuoteString(current_user);
  return QuoteString(current_user.substr(0, at)) + "@" + QuoteString(current_user.substr(at + 1));
}

std::string FormatDuration(int64_t seconds) {
  std::string out = std::to_string(seconds) + " s (";
  if (seconds % kSecondsPerDay == 0) {
    const int64_t days = seconds / kSecondsPerDay;
    return out + std::to_string(days) + (days == 1 ? " day)" : " days)");
  }
  if (seconds >= 3600) return out + std::to_string(seconds / 3600) + " h)";
  return out + std::to_string(seconds / 60) + " min)";
}

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "::1";
}

std::string ConnectFix(int code) {
  switch (code) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
      return "check source.user and the password (FUTUREIM_SOURCE_PASSWORD, or `futureim secret "
             "set source.password`), and that the account may log in from this host";
    case ER_DBACCESS_DENIED_ERROR:
      return "grant the user SELECT on the database, or correct source.database";
    case ER_BAD_DB_ERROR:
      return "correct source.database, or create the database on the server";
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
      return "check source.host and source.port (or source.socket), and that the server runs and "
             "accepts connections from this machine";
    case CR_SSL_CONNECTION_ERROR:
      return "enable TLS on the server (ssl_cert and ssl_key in [mysqld]), or set source.tls = "
             "\"preferred\"";
    default:
      return "check the [source] settings and that the server is up";
  }
}

SourceCheckItem CheckVersion(const ServerVersion& version) {
  const std::string observed =
      version.Flavor() + " " + version.Number() + " (" + version.text + ")";
  const bool supported = version.mariadb ? version.AtLeast(10, 5, 0) : version.AtLeast(8, 0, 0);
  if (supported) return Ok("server_version", observed);
  return Fail("server_version", observed,
              version.mariadb
                  ? "upgrade the server to MariaDB 10.5 or later (10.11 LTS recommended)"
                  : "upgrade the server to MySQL 8.0 or later");
}

SourceCheckItem CheckLogBin(const Variables& variables) {
  const auto value = Lookup(variables, "log_bin").value_or("OFF");
  if (value == "ON" || value == "1") return Ok("log_bin", "ON");
  return Fail("log_bin", value + ": the server writes no binary log",
              "add log_bin=mysql-bin (and a non-zero server_id) to the server's [mysqld] section "
              "and restart (log_bin cannot be changed at runtime)");
}

SourceCheckItem CheckBinlogFormat(const Variables& variables) {
  const auto value = Lookup(variables, "binlog_format").value_or("(unknown)");
  if (value == "ROW") return Ok("binlog_format", value);
  return Fail("binlog_format", value + ": changes are only captured from row events",
              SettingFix("binlog_format", "ROW", true));
}

SourceCheckItem CheckRowImage(const Variables& variables) {
  const auto value = Lookup(variables, "binlog_row_image").value_or("(unknown)");
  if (value == "FULL") return Ok("binlog_row_image", value);
  return Fail("binlog_row_image", value + ": row events must carry every column",
              SettingFix("binlog_row_image", "FULL", true));
}

SourceCheckItem CheckRowMetadata(const Variables& variables) {
  const auto value = Lookup(variables, "binlog_row_metadata");
  if (value == "FULL") return Ok("binlog_row_metadata", *value);
  return Warn("binlog_row_metadata",
              value.value_or("not supported by this server") +
                  ": column names, signedness and primary keys are not in the binlog, so the "
                  "fallback is used: schema from information_schema (a race with concurrent DDL "
                  "is possible)",
              SettingFix("binlog_row_metadata", "FULL", true));
}

SourceCheckItem CheckServerId(const Variables& variables, int64_t replica_server_id) {
  const auto value = ToInteger(Lookup(variables, "server_id")).value_or(0);
  const std::string observed = std::to_string(value);
  if (value == 0) {
    return Fail(
        "server_id", observed + ": a server with id 0 refuses replicas",
        SettingFix("server_id", "1", true) + " (any non-zero id unique among your servers)");
  }
  if (value == replica_server_id) {
    return Fail("server_id",
                observed +
                    ", the same as this replica's replication.server_id: the server would "
                    "drop one of the two",
                "set replication.server_id (FUTUREIM_REPLICATION_SERVER_ID) to an id no other "
                "server or replica uses");
  }
  return Ok("server_id",
            observed + " (this replica announces " + std::to_string(replica_server_id) + ")");
}

SourceCheckItem CheckRetention(const Variables& variables) {
  // binlog_expire_logs_seconds (MySQL 8, MariaDB 10.6+) wins when set; else
  // expire_logs_days (MariaDB 10.5, older settings). MySQL 8.0.29+ can turn
  // purging off altogether.
  const auto seconds_setting = ToInteger(Lookup(variables, "binlog_expire_logs_seconds"));
  const auto days_setting = ToInteger(Lookup(variables, "expire_logs_days"));
  int64_t retention = seconds_setting.value_or(0);
  if (retention == 0) retention = days_setting.value_or(0) * kSecondsPerDay;
  if (Lookup(variables, "binlog_expire_logs_auto_purge") == "OFF") retention = 0;

  if (retention == 0) {
    return Ok("binlog_retention",
              "unlimited: binlogs are never purged automatically (watch the disk, or set "
              "binlog_expire_logs_seconds)");
  }
  if (retention < kSecondsPerDay) {
    const std::string fix = seconds_setting
                                ? SettingFix("binlog_expire_logs_seconds", "604800", true)
                                : SettingFix("expire_logs_days", "7", true);
    return Warn(
        "binlog_retention",
        FormatDuration(retention) + ": a replica stopped for longer must load every table again",
        fix + " (keep at least a day; a week is safer)");
  }
  return Ok("binlog_retention", FormatDuration(retention));
}

SourceCheckItem CheckChecksum(const Variables& variables) {
  const auto value = Lookup(variables, "binlog_checksum").value_or("NONE");
  return Ok("binlog_checksum", value == "NONE" ? "NONE (events are not checksummed)" : value);
}

SourceCheckItem CheckTls(const SourceEndpoint& endpoint, const std::string& cipher,
                         const Variables& variables) {
  const std::string required =
      endpoint.require_tls ? "source.tls = required" : "source.tls does not require TLS";
  if (!endpoint.socket.empty()) {
    return Ok("tls", "Unix socket " + endpoint.socket +
                         ": no TLS needed, the traffic never leaves this machine");
  }
  if (!cipher.empty()) return Ok("tls", "encrypted (" + cipher + "); " + required);
  if (IsLoopback(endpoint.host)) {
    return Ok("tls", "not encrypted, over loopback (" + endpoint.host +
                         "): the traffic never leaves this machine; " + required);
  }
  const bool server_offers = Lookup(variables, "have_ssl") == "YES";
  return Warn("tls", "not encrypted over TCP to " + endpoint.host + "; " + required,
              server_offers ? "set source.tls = \"required\" (the server offers TLS)"
                            : "enable TLS on the server (ssl_cert and ssl_key in [mysqld], "
                              "restart), then set source.tls = \"required\"");
}

std::vector<SourceCheckItem> CheckGrants(const UserGrants& grants, const std::string& account,
                                         const ServerVersion& version,
                                         const std::set<std::string>& schemas,
                                         const std::vector<SourceTable>& selected) {
  std::vector<SourceCheckItem> items;
  if (grants.HasGlobal({"REPLICATION SLAVE", "REPLICATION REPLICA"})) {
    items.push_back(Ok("grant_replication_slave", "REPLICATION SLAVE on *.*"));
  } else {
    items.push_back(Fail("grant_replication_slave",
                         "missing: " + account + " cannot read the binlog as a replica",
                         "GRANT REPLICATION SLAVE ON *.* TO " + account + ";"));
  }

  // MariaDB 10.5.2 split BINLOG MONITOR out of REPLICATION CLIENT (which is
  // now its alias); MySQL still calls it REPLICATION CLIENT.
  const std::string monitor =
      version.mariadb && version.AtLeast(10, 5, 2) ? "BINLOG MONITOR" : "REPLICATION CLIENT";
  if (grants.HasGlobal({"BINLOG MONITOR", "REPLICATION CLIENT"})) {
    items.push_back(Ok("grant_binlog_monitor", monitor + " on *.*"));
  } else {
    items.push_back(
        Fail("grant_binlog_monitor",
             "missing: " + account + " cannot read the binlog position (SHOW MASTER STATUS)",
             "GRANT " + monitor + " ON *.* TO " + account + ";"));
  }

  std::vector<std::string> granted;
  std::vector<std::string> missing;
  std::string fix;
  for (const auto& schema : schemas) {
    const bool whole_schema = grants.CanSelectSchema(schema);
    size_t tables = 0;
    size_t readable = 0;
    for (const auto& table : selected) {
      if (table.schema != schema) continue;
      ++tables;
      if (grants.CanSelectTable(table.schema, table.name)) ++readable;
    }
    if (whole_schema) {
      granted.push_back(QuoteMysqlIdentifier(schema) + ".*");
    } else if (tables > 0 && readable == tables) {
      granted.push_back("each of the " + std::to_string(tables) + " tables of " +
                        QuoteMysqlIdentifier(schema));
    } else {
      missing.push_back(QuoteMysqlIdentifier(schema) + ".*");
      if (!fix.empty()) fix += " ";
      fix += "GRANT SELECT ON " + QuoteMysqlIdentifier(schema) + ".* TO " + account + ";";
    }
  }
  if (schemas.empty()) {
    items.push_back(Ok("grant_select",
                       "no schema to check (source.database is empty and no "
                       "table is selected)"));
  } else if (missing.empty()) {
    items.push_back(Ok("grant_select", "SELECT on " + JoinWithCommas(granted)));
  } else {
    items.push_back(Fail(
        "grant_select",
        "missing SELECT on " + JoinWithCommas(missing) + ": the full load cannot read it", fix));
  }
  return items;
}

// `missing_database` is the configured database when the server does not
// have it (empty otherwise).
std::vector<SourceCheckItem> CheckTables(const TableFilter& filter,
                                         const std::vector<SourceTable>& selected, bool can_select,
                                         const std::string& missing_database) {
  std::string patterns = JoinWithCommas(filter.include());
  if (!filter.exclude().empty()) patterns += " excluding " + JoinWithCommas(filter.exclude());
  std::vector<SourceCheckItem> items;
  if (!missing_database.empty()) {
    items.push_back(Fail("tables",
                         "the database " + QuoteMysqlIdentifier(missing_database) +
                             " (source.database) does not exist on the server",
                         "correct source.database (FUTUREIM_SOURCE_DATABASE), or create the "
                         "database"));
    items.push_back(Ok("primary_keys", "no table selected"));
    return items;
  }
  if (selected.empty()) {
    // Not a failure: replication can start on an empty schema and pick up
    // tables created later. But it is most likely a wrong pattern.
    items.push_back(
        Warn("tables",
             "no base table matches replication.include (" + patterns + ")" +
                 (can_select ? "" : "; without SELECT the user cannot see the tables"),
             "set replication.include (FUTUREIM_REPLICATION_INCLUDE) to schema.table LIKE patterns "
             "that match the tables to replicate, e.g. \"ecommerce.%\", or create the tables"));
    items.push_back(Ok("primary_keys", "no table selected"));
    return items;
  }
  items.push_back(Ok("tables", std::to_string(selected.size()) +
                                   (selected.size() == 1 ? " table" : " tables") + " match " +
                                   patterns));

  std::vector<std::string> without_key;
  size_t count = 0;
  for (const auto& table : selected) {
    if (table.has_primary_key) continue;
    if (++count <= kMaxListedTables) without_key.push_back(table.schema + "." + table.name);
  }
  if (count > kMaxListedTables) {
    without_key.push_back("and " + std::to_string(count - kMaxListedTables) + " more");
  }
  if (count == 0) {
    items.push_back(Ok("primary_keys", "every selected table has a primary key"));
  } else {
    items.push_back(Warn("primary_keys",
                         std::to_string(count) + (count == 1 ? " table has" : " tables have") +
                             " no primary key and will be loaded whole (not in resumable "
                             "chunks): " +
                             JoinWithCommas(without_key),
                         "add a primary key (ALTER TABLE ... ADD PRIMARY KEY (...)) to each, "
                         "or accept whole-table loads"));
  }
  return items;
}

}  // namespace

std::string_view CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kOk:
      return "ok";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kFail:
      return "fail";
  }
  return "fail";
}

bool SourceCheckReport::CanReplicate() const {
  return std::ranges::none_of(
      items, [](const SourceCheckItem& item) { return item.status == CheckStatus::kFail; });
}

SourceCheck::SourceCheck(SourceEndpoint endpoint, TableFilter tables, int64_t replica_server_id)
    : endpoint_(std::move(endpoint)),
      tables_(std::move(tables)),
      replica_server_id_(replica_server_id) {}

SourceCheckReport SourceCheck::Run() const {
  SourceCheckReport report;
  report.endpoint = endpoint_.Describe();
  // No default database: a user without SELECT on it could not even log in,
  // and the grant check below names the exact GRANT that is missing.
  SourceEndpoint session = endpoint_;
  session.database.clear();
  std::optional<MysqlConnection> connection;
  try {
    connection.emplace(MysqlConnection::Connect(session, std::chrono::seconds(10)));
  } catch (const SourceError& e) {
    report.items.push_back(Fail("connection", e.what(), ConnectFix(e.code())));
    return report;
  }
  auto& conn = *connection;

  const std::string current_user = conn.QueryScalar("SELECT CURRENT_USER()").value_or("");
  const std::string account = QuoteAccount(current_user);
  report.items.push_back(Ok("connection", "logged in as " + account));

  const ServerVersion version = ParseServerVersion(conn.ServerVersion());
  report.items.push_back(CheckVersion(version));

  Variables variables;
  for (const auto& row : conn.Query(kVariablesQuery)) {
    if (row.size() >= 2 && row[0] && row[1]) variables[*row[0]] = *row[1];
  }
  report.items.push_back(CheckLogBin(variables));
  report.items.push_back(CheckBinlogFormat(variables));
  report.items.push_back(CheckRowImage(variables));
  report.items.push_back(CheckRowMetadata(variables));
  report.items.push_back(CheckServerId(variables, replica_server_id_));
  report.items.push_back(CheckRetention(variables));
  report.items.push_back(CheckChecksum(variables));

  std::vector<std::string> grant_lines;
  for (const auto& row : conn.Query("SHOW GRANTS")) {
    if (!row.empty() && row[0]) grant_lines.push_back(*row[0]);
  }
  const UserGrants grants = UserGrants::Parse(grant_lines);

  std::vector<SourceTable> selected;
  for (const auto& row : conn.Query(kTablesQuery)) {
    if (row.size() < 3 || !row[0] || !row[1]) continue;
    if (!tables_.Selects(*row[0], *row[1])) continue;
    selected.push_back({*row[0], *row[1], row[2] == "1"});
  }
  std::set<std::string> schemas;
  if (!endpoint_.database.empty()) schemas.insert(endpoint_.database);
  for (const auto& table : selected) schemas.insert(table.schema);

  auto grant_items = CheckGrants(grants, account, version, schemas, selected);
  const bool can_select = grant_items.back().status != CheckStatus::kFail;
  for (auto& item : grant_items) report.items.push_back(std::move(item));

  std::string cipher;
  for (const auto& row : conn.Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
    if (row.size() >= 2 && row[1]) cipher = *row[1];
  }
  report.items.push_back(CheckTls(endpoint_, cipher, variables));

  // information_schema shows a schema only to users with some privilege on
  // it, so a missing one is only told apart from a hidden one with SELECT.
  std::string missing_database;
  if (can_select && !endpoint_.database.empty() &&
      conn.Query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                 conn.Escape(endpoint_.database) + "'")
          .empty()) {
    missing_database = endpoint_.database;
  }
  for (auto& item : CheckTables(tables_, selected, can_select, missing_database)) {
    report.items.push_back(std::move(item));
  }
  return report;
}

}  // namespace futureim::source
