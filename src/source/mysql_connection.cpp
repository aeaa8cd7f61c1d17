#include "source/mysql_connection.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>

#include <errmsg.h>
#include <mysqld_error.h>

namespace futureim::source {
namespace {

struct ResultDeleter {
  void operator()(MYSQL_RES* result) const { mysql_free_result(result); }
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultDeleter>;

unsigned int TimeoutSeconds(std::chrono::seconds timeout) {
  // 0 would mean "no timeout" to the client library; at least one second.
  return static_cast<unsigned int>(
      std::clamp<std::chrono::seconds::rep>(timeout.count(), 1, 86400));
}

std::string Where(const SourceEndpoint& endpoint) {
  if (!endpoint.socket.empty()) {
    return "socket " + endpoint.socket;
  }
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

// The message for a failed connect. The client library's own text is kept
// (it never holds the password) behind a first sentence that says what to
// check.
std::string ConnectErrorMessage(const SourceEndpoint& endpoint, unsigned int code,
                                const std::string& detail) {
  const std::string where = Where(endpoint);
  const std::string who = "user '" + endpoint.user + "'";
  switch (code) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
      return "access denied for " + who + " at " + where +
             ": check the user name and password, and that the user may connect from this host (" +
             detail + ")";
    case ER_DBACCESS_DENIED_ERROR:
      return "access denied for " + who + " to database '" + endpoint.database + "' at " + where +
             " (" + detail + ")";
    case ER_BAD_DB_ERROR:
      return "database '" + endpoint.database + "' does not exist at " + where + " (" + detail +
             ")";
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
      return "cannot reach the MySQL/MariaDB server at " + where +
             ": is it running, and are the host and port right? (" + detail + ")";
    case CR_SSL_CONNECTION_ERROR:
      return "TLS is required but could not be set up with " + where + " (" + detail + ")";
    default:
      return "cannot connect to " + where + " as " + who + ": " + detail + " (error " +
             std::to_string(code) + ")";
  }
}

}  // namespace

MysqlConnection MysqlConnection::Connect(const SourceEndpoint& endpoint,
                                         std::chrono::seconds timeout) {
  ConnectOptions options;
  options.connect_timeout = timeout;
  return Connect(endpoint, options);
}

MysqlConnection MysqlConnection::Connect(const SourceEndpoint& endpoint,
                                         const ConnectOptions& options) {
  // mysql_init initialises the client library on first use, thread-safely
  // (Connector/C guards it with pthread_once). It reads no option files.
  MYSQL* raw = mysql_init(nullptr);
  if (raw == nullptr) {
    throw SourceError("out of memory creating a MySQL client handle", CR_OUT_OF_MEMORY);
  }
  std::unique_ptr<MYSQL, decltype(&mysql_close)> handle(raw, &mysql_close);

  const unsigned int connect_timeout = TimeoutSeconds(options.connect_timeout);
  const unsigned int io_timeout = TimeoutSeconds(options.io_timeout);
  mysql_options(raw, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(raw, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
  mysql_options(raw, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
  mysql_options(raw, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // An explicit protocol: without it "localhost" silently means the default
  // socket, and a socket path is ignored for any other host.
  const unsigned int protocol =
      endpoint.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_options(raw, MYSQL_OPT_PROTOCOL, &protocol);
  const unsigned int local_infile = options.local_infile ? 1 : 0;
  mysql_options(raw, MYSQL_OPT_LOCAL_INFILE, &local_infile);
  if (endpoint.require_tls) {
    const my_bool enforce = 1;
    mysql_options(raw, MYSQL_OPT_SSL_ENFORCE, &enforce);
  }

  const bool use_socket = !endpoint.socket.empty();
  const char* host = use_socket ? "localhost" : endpoint.host.c_str();
  const char* database = endpoint.database.empty() ? nullptr : endpoint.database.c_str();
  if (mysql_real_connect(raw, host, endpoint.user.c_str(), endpoint.password.c_str(), database,
                         use_socket ? 0 : static_cast<unsigned int>(endpoint.port),
                         use_socket ? endpoint.socket.c_str() : nullptr, 0) == nullptr) {
    const unsigned int code = mysql_errno(raw);
    throw SourceError(ConnectErrorMessage(endpoint, code, mysql_error(raw)),
                      static_cast<int>(code));
  }

  // Connector/C 3.3's MYSQL_OPT_SSL_ENFORCE uses TLS when the server offers
  // it but silently goes on in plain text when it does not (it only refuses
  // when also verifying the server certificate, which needs a CA we do not
  // have yet). So check the outcome. A Unix socket never leaves the machine
  // and carries no TLS: it counts as secure, as in require_secure_transport.
  if (endpoint.require_tls && !use_socket && mysql_get_ssl_cipher(raw) == nullptr) {
    throw SourceError("TLS is required but the server at " + Where(endpoint) +
                          " does not offer it: enable TLS on the server, or do not require it",
                      CR_SSL_CONNECTION_ERROR);
  }

  SourceEndpoint kept = endpoint;
  kept.password.clear();
  return MysqlConnection(handle.release(), std::move(kept));
}

MysqlConnection::MysqlConnection(MYSQL* handle, SourceEndpoint endpoint)
    : handle_(handle), endpoint_(std::move(endpoint)) {}

MysqlConnection::MysqlConnection(MysqlConnection&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), endpoint_(std::move(other.endpoint_)) {}

MysqlConnection& MysqlConnection::operator=(MysqlConnection&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) {
      mysql_close(handle_);
    }
    handle_ = std::exchange(other.handle_, nullptr);
    endpoint_ = std::move(other.endpoint_);
  }
  return *this;
}

MysqlConnection::~MysqlConnection() {
  if (handle_ != nullptr) {
    mysql_close(handle_);
  }
}

void MysqlConnection::ThrowLastError(std::string_view what) const {
  const unsigned int code = mysql_errno(handle_);
  throw SourceError(std::string(what) + " failed on " + endpoint_.Describe() + ": " +
                        mysql_error(handle_) + " (error " + std::to_string(code) + ")",
                    static_cast<int>(code));
}

void MysqlConnection::RunStatement(std::string_view sql) {
  if (handle_ == nullptr) {
    throw std::logic_error("MysqlConnection used after move");
  }
  if (mysql_real_query(handle_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    ThrowLastError("statement");
  }
}

void MysqlConnection::DiscardMoreResults() {
  // A CALL can return several result sets; the connection is unusable until
  // all are read.
  for (;;) {
    const int status = mysql_next_result(handle_);
    if (status < 0) {
      return;
    }
    if (status > 0) {
      ThrowLastError("statement");
    }
    ResultPtr result(mysql_use_result(handle_));
    if (result == nullptr && mysql_field_count(handle_) != 0) {
      ThrowLastError("reading a result");
    }
  }
}

void MysqlConnection::Execute(std::string_view sql) {
  RunStatement(sql);
  ResultPtr result(mysql_use_result(handle_));
  if (result == nullptr && mysql_field_count(handle_) != 0) {
    ThrowLastError("reading a result");
  }
  result.reset();  // frees, reading any rows left
  DiscardMoreResults();
}

uint64_t MysqlConnection::ExecuteCountingRows(std::string_view sql) {
  RunStatement(sql);
  // Read before anything else touches the handle: fetching or discarding
  // results resets it.
  const my_ulonglong affected = mysql_affected_rows(handle_);
  ResultPtr result(mysql_use_result(handle_));
  if (result == nullptr && mysql_field_count(handle_) != 0) {
    ThrowLastError("reading a result");
  }
  result.reset();
  DiscardMoreResults();
  return affected == static_cast<my_ulonglong>(-1) ? 0 : static_cast<uint64_t>(affected);
}

std::vector<Row> MysqlConnection::Query(std::string_view sql) {
  RunStatement(sql);
  std::vector<Row> rows;
  // Streamed (mysql_use_result) rather than stored, so rows are not held
  // twice: once by the client library and once here.
  ResultPtr result(mysql_use_result(handle_));
  if (result == nullptr) {
    if (mysql_field_count(handle_) != 0) {
      ThrowLastError("reading a result");
    }
    DiscardMoreResults();
    return rows;
  }
  const unsigned int columns = mysql_num_fields(result.get());
  while (MYSQL_ROW values = mysql_fetch_row(result.get())) {
    const unsigned long* lengths = mysql_fetch_lengths(result.get());
    Row row;
    row.reserve(columns);
    for (unsigned int i = 0; i < columns; ++i) {
      if (values[i] == nullptr) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(values[i], lengths[i]));
      }
    }
    rows.push_back(std::move(row));
  }
  // A NULL row is either the end or a failure mid-stream (e.g. a lost
  // connection): only mysql_errno tells them apart.
  if (mysql_errno(handle_) != 0) {
    ThrowLastError("reading a result");
  }
  result.reset();
  DiscardMoreResults();
  return rows;
}

std::optional<std::string> MysqlConnection::QueryScalar(std::string_view sql) {
  auto rows = Query(sql);
  if (rows.empty() || rows.front().empty()) {
    return std::nullopt;
  }
  return std::move(rows.front().front());
}

std::string MysqlConnection::Escape(std::string_view text) {
  if (handle_ == nullptr) {
    throw std::logic_error("MysqlConnection used after move");
  }
  std::string out(text.size() * 2 + 1, '\0');
  const unsigned long length = mysql_real_escape_string(handle_, out.data(), text.data(),
                                                        static_cast<unsigned long>(text.size()));
  if (length == static_cast<unsigned long>(-1)) {
    ThrowLastError("escaping a string");
  }
  out.resize(length);
  return out;
}

std::string MysqlConnection::ServerVersion() const {
  if (handle_ == nullptr) {
    throw std::logic_error("MysqlConnection used after move");
  }
  return mysql_get_server_info(handle_);
}

BinlogFlavor MysqlConnection::ServerFlavor() const {
  return ServerVersion().find("MariaDB") != std::string::npos ? BinlogFlavor::kMariadb
                                                              : BinlogFlavor::kMysql;
}

std::string QuoteMysqlIdentifier(std::string_view name) {
  std::string quoted = "`";
  for (const char c : name) {
    if (c == '`') quoted += c;
    quoted += c;
  }
  return quoted + "`";
}

}  // namespace futureim::source
