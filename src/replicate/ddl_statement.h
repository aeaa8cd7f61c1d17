#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace futureim::replicate {

struct TableRef {
  std::string schema;
  std::string table;
  bool operator==(const TableRef&) const = default;
};

// What a DDL statement from the binlog does to tables, as far as replication
// cares. Only the statement's structure is read (keywords and names), never
// logged: DDL text can hold secrets.
struct DdlStatement {
  enum class Kind { kOther, kCreateTable, kDropTable, kRenameTable, kTruncateTable, kAlterTable };
  Kind kind = Kind::kOther;
  // kCreateTable, kDropTable, kTruncateTable, kAlterTable: the tables named.
  std::vector<TableRef> tables;
  // kRenameTable (RENAME TABLE, or ALTER TABLE ... RENAME TO): from → to.
  std::vector<std::pair<TableRef, TableRef>> renames;

  // Parses one statement; unqualified names belong to `default_schema` (the
  // QUERY event's current database). Statements it does not understand are
  // kOther: they cannot change a table's rows or columns (the ones that can
  // are all above).
  static DdlStatement Parse(std::string_view statement, std::string_view default_schema);
};

}  // namespace futureim::replicate
