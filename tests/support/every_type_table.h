#pragma once

#include <string>
#include <vector>

namespace futureim::testing {

// A table with one column of every MySQL/MariaDB column type the replication
// reads, and rows of edge values for it, shared by the tests that check that
// two readings of the same data agree (binlog decoding vs the server's own
// answer, information_schema vs TABLE_MAP, the snapshot vs the binlog).

// One column: its definition and how to ask the server for a value
// comparable with a decoded one (HEX for every string type, so charsets are
// compared byte for byte, not after conversion).
struct TypedColumn {
  const char* name;
  const char* definition;
  const char* select;  // nullptr: the column itself
};

// The columns, `id INT NOT NULL PRIMARY KEY` first.
const std::vector<TypedColumn>& EveryTypeColumns();

// CREATE TABLE `table` with EveryTypeColumns(), default charset utf8mb4.
std::string CreateEveryTypeTable(const std::string& table);

// INSERT statements for `table`, one row each, ids 1..4: minimums, empty
// strings and negative edge values (1); maximums, 4-byte UTF-8, latin1 text
// and binary with NUL bytes (2); all NULL (3); zero dates, sub-second
// negative TIME and mid-range values (4). The zero dates need a sql_mode
// without NO_ZERO_DATE (MariaDB's default).
std::vector<std::string> InsertEveryTypeEdgeRows(const std::string& table);

}  // namespace futureim::testing
