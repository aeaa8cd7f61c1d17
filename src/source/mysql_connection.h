#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mysql.h>

#include "core/error.h"
#include "source/binlog_event.h"
#include "source/source_endpoint.h"

namespace futureim::source {

// A failure reported by the server or by the client library. The message is
// for the user (it names the endpoint, never the password); code() is the
// MySQL/MariaDB error number (e.g. 1045 access denied, 2003 cannot connect)
// so callers can tell failures apart without parsing text.
class SourceError : public core::Error {
 public:
  SourceError(const std::string& message, int code) : core::Error(message), code_(code) {}

  int code() const { return code_; }

 private:
  int code_;
};

// One row of a text-protocol result: each value is the server's text form of
// the column (binary-safe: it may contain NUL bytes); SQL NULL is nullopt.
using Row = std::vector<std::optional<std::string>>;

// How to connect, beyond where and as whom.
struct ConnectOptions {
  // For establishing the session (TCP connect, handshake, login).
  std::chrono::seconds connect_timeout{10};
  // For each network read or write once connected: a server silent for this
  // long is treated as gone. Generous, so long statements do not trip it.
  std::chrono::seconds io_timeout{600};
  // Allows LOAD DATA LOCAL INFILE. Off by default: with it on, a hostile
  // server can ask for any file this process can read, so only turn it on
  // for servers this program writes to itself (the simulator's bulk loads).
  bool local_infile = false;
};

// One client connection to a MySQL/MariaDB server, owning its MYSQL handle
// (move-only; closed on destruction). Not thread-safe: use one per thread.
// Every session uses utf8mb4. Statements run one at a time (no multi-statement
// strings), and errors never include the statement text, since statements may
// carry secrets (CREATE USER ... IDENTIFIED BY).
class MysqlConnection {
 public:
  // Connects with `timeout` as the connect timeout and the other defaults of
  // ConnectOptions. With endpoint.require_tls, refuses a TCP connection that
  // is not encrypted (checked after login; the server certificate is not
  // verified, as no CA is configured yet; a Unix socket counts as secure).
  // Throws SourceError naming host:port (or the socket) and the user, never
  // the password, and saying plainly "access denied" for a wrong user or
  // password.
  static MysqlConnection Connect(const SourceEndpoint& endpoint,
                                 std::chrono::seconds timeout = std::chrono::seconds(10));
  static MysqlConnection Connect(const SourceEndpoint& endpoint, const ConnectOptions& options);

  MysqlConnection(MysqlConnection&& other) noexcept;
  MysqlConnection& operator=(MysqlConnection&& other) noexcept;
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;
  ~MysqlConnection();

  // Runs one statement; any result set it returns is read and discarded.
  void Execute(std::string_view sql);

  // Runs one data-changing statement (INSERT, UPDATE, DELETE, ...) and
  // returns the number of rows it changed, as the server reports it (an
  // UPDATE counts only rows whose values changed).
  uint64_t ExecuteCountingRows(std::string_view sql);

  // Runs one statement and returns all its rows (empty for statements that
  // return no result set).
  std::vector<Row> Query(std::string_view sql);

  // The first column of the first row; nullopt when there is no row or the
  // value is NULL.
  std::optional<std::string> QueryScalar(std::string_view sql);

  // Escapes `text` for use inside a quoted SQL string literal on this
  // connection (respects the session's character set and sql_mode).
  std::string Escape(std::string_view text);

  // The server's version string, e.g. "10.11.19-MariaDB-0+deb12u1-log".
  std::string ServerVersion() const;
  // MariaDB or MySQL, from the version string: their binlogs and catalogs
  // differ in details (see BinlogFlavor).
  BinlogFlavor ServerFlavor() const;

  // The endpoint this connection was made to, without its password (the
  // connection does not keep it once logged in).
  const SourceEndpoint& endpoint() const { return endpoint_; }

  // The raw handle, for lower-level use (prepared statements, binlog stream).
  MYSQL* handle() { return handle_; }

 private:
  MysqlConnection(MYSQL* handle, SourceEndpoint endpoint);

  // Sends one statement; throws on error.
  void RunStatement(std::string_view sql);
  // Reads and frees any further result sets (a CALL may return several).
  void DiscardMoreResults();
  // Throws a SourceError for the handle's last error, with `what` as context.
  [[noreturn]] void ThrowLastError(std::string_view what) const;

  MYSQL* handle_ = nullptr;
  SourceEndpoint endpoint_;
};

// `name` as a MySQL identifier: backquoted, embedded backquotes doubled.
std::string QuoteMysqlIdentifier(std::string_view name);

}  // namespace futureim::source
