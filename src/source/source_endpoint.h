#pragma once

#include <string>
#include <string_view>

namespace futureim::source {

// Where a MySQL/MariaDB server is and who to log in as. A plain value: it
// holds the password, so never print it; Describe() is the printable form.
struct SourceEndpoint {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // a Unix socket path; when set it is used instead of host:port
  std::string user;
  std::string password;
  std::string database;  // may be empty: no default database
  bool require_tls = false;

  // Parses `mysql://user[:password]@host[:port][/database][?param=value&...]`
  // (scheme `mariadb://` too). Every part is percent-decoded; a password
  // holding '@', '/', '?' or '%' should be percent-encoded ('@' and '/' are
  // tolerated as the last '@' ends the user part). Parameters:
  //   socket=/path   connect through a Unix socket (the host may then be empty)
  //   tls=required   refuse to connect without TLS (also: tls=true, tls=1)
  //   tls=preferred | disabled   do not require TLS (the default)
  // Throws core::Error naming what is wrong; the message never includes the
  // password.
  static SourceEndpoint FromUri(std::string_view uri);

  // The endpoint as a URI without the password, e.g.
  // "mysql://dms_remote@127.0.0.1:3306/ecommerce" — safe for logs and errors.
  std::string Describe() const;
};

}  // namespace futureim::source
