#include "source/server_collations.h"

#include <mysqld_error.h>

namespace futureim::source {

std::vector<ServerCollation> ReadServerCollations(MysqlConnection& connection) {
  std::vector<Row> rows;
  try {
    rows = connection.Query(
        "SELECT ID, FULL_COLLATION_NAME, CHARACTER_SET_NAME"
        " FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY");
  } catch (const SourceError& e) {
    if (e.code() != ER_BAD_FIELD_ERROR) throw;
    rows = connection.Query(
        "SELECT ID, COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATIONS");
  }
  std::vector<ServerCollation> collations;
  collations.reserve(rows.size());
  for (const auto& row : rows) {
    if (row.size() != 3 || !row[0] || !row[1] || !row[2]) continue;
    collations.push_back(
        ServerCollation{static_cast<uint32_t>(std::stoul(*row[0])), *row[1], *row[2]});
  }
  return collations;
}

}  // namespace futureim::source
