#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "source/binlog_table_map.h"
#include "source/mysql_connection.h"

namespace futureim::source {

// Table descriptions from information_schema, in the same form the binlog's
// TABLE_MAP events give (TableMap with BinlogColumns), so that the full load,
// CDC and the schema fallback (binlog_row_metadata other than FULL) share one
// description of a table and one mapping to lake types.
//
// The description is the *current* one on the server, not the one at some
// binlog position: callers that use it for CDC must account for that.
class SourceSchemaReader {
 public:
  explicit SourceSchemaReader(MysqlConnection& connection);

  // The base tables (no views) of `schema`, sorted by name.
  std::vector<std::string> ListTables(std::string_view schema);

  // One table: columns in ordinal order with their types (the same
  // BinlogColumnType codes, metadata, names, signedness, collation ids,
  // ENUM/SET values and BIT widths that a TABLE_MAP with
  // binlog_row_metadata=FULL carries) and the primary key. table_id is 0 and
  // has_column_names true. Throws SourceError when the table does not exist.
  TableMap ReadTable(std::string_view schema, std::string_view table);

 private:
  MysqlConnection& connection_;
};

}  // namespace futureim::source
