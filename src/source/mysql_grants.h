#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::source {

// What one privilege in a GRANT applies to.
enum class GrantLevel {
  kGlobal,   // ON *.*
  kSchema,   // ON `db`.*  (the name is a LIKE pattern: '%', '_', '\_')
  kTable,    // ON `db`.`table`
  kRoutine,  // ON PROCEDURE / FUNCTION / PACKAGE `db`.`name`
};

struct GrantedPrivilege {
  // Upper case with single spaces: "SELECT", "REPLICATION SLAVE",
  // "BINLOG_ADMIN"; "ALL PRIVILEGES" is normalised to "ALL".
  std::string name;
  // Non-empty for a column-level privilege: SELECT (`a`, `b`).
  std::vector<std::string> columns;
};

// One line of SHOW GRANTS, as MariaDB 10.x/11.x and MySQL 8 print it.
struct GrantStatement {
  // A MySQL 8 partial revoke ("REVOKE INSERT ON `mysql`.* FROM ..."), which
  // takes a global privilege away again for one schema.
  bool revoke = false;
  // A role grant ("GRANT `role` TO ..."): `roles` is set, `privileges` empty.
  std::vector<std::string> roles;
  std::vector<GrantedPrivilege> privileges;
  GrantLevel level = GrantLevel::kGlobal;
  std::string schema;  // unquoted; empty for kGlobal
  std::string table;   // unquoted; empty unless kTable or kRoutine
};

// Parses one SHOW GRANTS line. Returns nullopt for lines that grant no
// privilege on data (GRANT PROXY, SET DEFAULT ROLE) and for text that is not
// a GRANT/REVOKE statement at all. Identifiers may be quoted with backquotes
// (doubled backquotes inside) or, under ANSI_QUOTES, double quotes.
std::optional<GrantStatement> ParseGrantStatement(std::string_view line);

// The privileges of one session, from its SHOW GRANTS output (which lists the
// account's own grants and those of its active role). Answers the questions
// replication asks, honouring ALL [PRIVILEGES], schema wildcards, table-level
// grants and MySQL partial revokes.
class UserGrants {
 public:
  static UserGrants Parse(const std::vector<std::string>& show_grants_lines);

  // True when one of `names` (aliases, e.g. REPLICATION SLAVE and REPLICATION
  // REPLICA) is granted ON *.*, directly or through ALL.
  bool HasGlobal(const std::vector<std::string_view>& names) const;
  // True when SELECT covers every table of `schema` (a global or schema-level
  // grant, not taken back by a partial revoke).
  bool CanSelectSchema(std::string_view schema) const;
  // True when SELECT covers all of schema.table: CanSelectSchema, or a
  // table-level grant (column-level grants do not count: they cover only
  // some columns).
  bool CanSelectTable(std::string_view schema, std::string_view table) const;

  const std::vector<GrantStatement>& statements() const { return statements_; }

 private:
  std::vector<GrantStatement> statements_;
};

}  // namespace futureim::source
