#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "source/mysql_connection.h"

namespace futureim::source {

// One collation the server knows: the id that TABLE_MAP events and the
// protocol use, the full name information_schema.COLUMNS shows
// ("utf8mb4_uca1400_ai_ci", not MariaDB's short "uca1400_ai_ci"), and its
// character set ("utf8mb4", "latin1", "binary", ...).
struct ServerCollation {
  uint32_t id = 0;
  std::string name;
  std::string charset;
};

// Every collation of the server, from information_schema: MariaDB >= 10.10
// lists each (charset, collation) pair with its full name and id in
// COLLATION_CHARACTER_SET_APPLICABILITY (its COLLATIONS table gives the
// short, charset-less names of the uca1400 collations); MySQL and older
// MariaDB give full names in COLLATIONS. Throws SourceError.
std::vector<ServerCollation> ReadServerCollations(MysqlConnection& connection);

}  // namespace futureim::source
