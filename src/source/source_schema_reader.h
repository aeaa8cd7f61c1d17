#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
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
//
// What equals a TABLE_MAP of the same table (MariaDB 10.11,
// binlog_row_metadata=FULL; tested column by column): type (CHAR/BINARY as
// kString, ENUM/SET as kEnum/kSet, i.e. after the metadata's real-type
// resolution; every TEXT/BLOB and MariaDB's JSON as kBlob), name,
// nullability, signedness (YEAR counts as unsigned numeric on MariaDB, as its
// TABLE_MAP says), precision/scale, fsp, length_bytes, max_length (bytes:
// CHARACTER_OCTET_LENGTH), pack_length (FLOAT/DOUBLE, ENUM, SET), bit width,
// collation ids (63 for binary strings), ENUM/SET values, geometry subtype,
// the primary key in key order with prefix lengths (in characters), and
// MariaDB's promotion of the first UNIQUE NOT NULL key to primary key in a
// table without one.
//
// What legitimately differs:
// - table_id is 0 and flags 0 (they belong to a binlog session).
// - ENUM/SET values are UTF-8 here (information_schema's charset); a
//   TABLE_MAP carries them in the column's charset, so they differ for
//   non-ASCII values of a non-UTF-8 ENUM/SET.
// - Temporal columns are reported in the 5.6+ formats (kTime2, kDatetime2,
//   kTimestamp2); a table created before MariaDB 10.1 / MySQL 5.6 and never
//   rebuilt still has the old formats, which information_schema cannot show.
// - MariaDB's INET6/UUID/INET4 and other plugin types are refused
//   (SourceError): their binlog form is their internal storage.
// The values of an ENUM or SET as information_schema.COLUMNS.COLUMN_TYPE
// writes them: enum('a','it''s','back\\slash') gives a, it's, back\slash
// (quotes doubled; backslash escapes \\, \0, \n, \r, \Z as the server
// writes them). Throws SourceError for text that is not such a list.
std::vector<std::string> ParseEnumOrSetValues(std::string_view column_type);

// A foreign key of a table as the server declares it. The ON DELETE/UPDATE
// actions are upper case ("CASCADE", "SET NULL", "RESTRICT", "NO ACTION",
// "SET DEFAULT"); a clause the server omits reads as "RESTRICT", its default.
struct ForeignKeyDefinition {
  std::string name;
  std::vector<std::string> columns;
  std::string parent_schema;
  std::string parent_table;
  std::vector<std::string> parent_columns;
  std::string on_delete;
  std::string on_update;
};

// The referential actions of the constraint `name` in the text of SHOW
// CREATE TABLE: {on_delete, on_update}. Throws SourceError when the text
// declares no such foreign key.
std::pair<std::string, std::string> ForeignKeyActions(std::string_view create_table,
                                                      std::string_view name);

class SourceSchemaReader {
 public:
  explicit SourceSchemaReader(MysqlConnection& connection);

  // The base tables (no views, no system-versioned tables) of `schema`,
  // sorted by name (bytewise).
  std::vector<std::string> ListTables(std::string_view schema);

  // One table: columns in ordinal order with their types and the primary
  // key, as above. table_id is 0 and has_column_names true. Throws
  // SourceError when the table does not exist or has a column type this
  // program cannot replicate.
  TableMap ReadTable(std::string_view schema, std::string_view table);

  // The table's foreign keys, by name. Columns and parents come from
  // KEY_COLUMN_USAGE; the actions from SHOW CREATE TABLE, because MariaDB
  // shows REFERENTIAL_CONSTRAINTS rows only to users with more than SELECT
  // (measured on 10.11), and the replication user has just SELECT.
  std::vector<ForeignKeyDefinition> ReadForeignKeys(std::string_view schema,
                                                    std::string_view table);

 private:
  // Collation id by full name, loaded from the server on first use.
  uint32_t CollationId(const std::string& name);

  MysqlConnection& connection_;
  BinlogFlavor flavor_;
  std::optional<std::unordered_map<std::string, uint32_t>> collation_ids_;
};

}  // namespace futureim::source
