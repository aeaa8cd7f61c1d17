#include "source/source_schema_reader.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <mysqld_error.h>

#include "source/server_collations.h"

namespace futureim::source {
namespace {

// One row of information_schema.COLUMNS, the fields the mapping needs.
struct CatalogColumn {
  std::string name;
  std::string data_type;    // lower case: "int", "varchar", "longtext", ...
  std::string column_type;  // "int(10) unsigned zerofill", "enum('a','b')", ...
  bool nullable = true;
  uint64_t octet_length = 0;
  int numeric_precision = 0;
  int numeric_scale = 0;
  int datetime_precision = 0;
  std::optional<std::string> collation;  // nullopt for non-character and binary columns
  bool in_primary_key = false;           // COLUMN_KEY = 'PRI'
};

[[noreturn]] void ThrowUnsupported(std::string_view schema, std::string_view table,
                                   const CatalogColumn& column) {
  throw SourceError("column " + column.name + " of " + std::string(schema) + "." +
                        std::string(table) + " has type " + column.column_type +
                        ", which cannot be replicated",
                    0);
}

int ToInt(const std::optional<std::string>& text) { return text ? std::stoi(*text) : 0; }

// Bytes in the length prefix of each TEXT/BLOB size class.
int BlobLengthBytes(std::string_view data_type) {
  if (data_type == "tinytext" || data_type == "tinyblob") return 1;
  if (data_type == "text" || data_type == "blob") return 2;
  if (data_type == "mediumtext" || data_type == "mediumblob") return 3;
  if (data_type == "longtext" || data_type == "longblob") return 4;
  return 0;
}

// The GEOMETRY subtype code a TABLE_MAP carries (Field::geometry_type).
std::optional<uint32_t> GeometryType(std::string_view data_type) {
  static const std::map<std::string_view, uint32_t> kTypes = {
      {"geometry", 0},      {"point", 1},           {"linestring", 2},   {"polygon", 3},
      {"multipoint", 4},    {"multilinestring", 5}, {"multipolygon", 6}, {"geometrycollection", 7},
      {"geomcollection", 7}};
  const auto it = kTypes.find(data_type);
  return it == kTypes.end() ? std::nullopt : std::optional<uint32_t>(it->second);
}

// Fills type, metadata and signedness of `out` from the catalog's column;
// false for a type that has no mapping.
bool MapType(const CatalogColumn& in, BinlogFlavor flavor, BinlogColumn& out) {
  const std::string& t = in.data_type;
  const bool is_unsigned = in.column_type.find(" unsigned") != std::string::npos;
  auto integer = [&](BinlogColumnType type) {
    out.type = type;
    out.is_unsigned = is_unsigned;
  };
  if (t == "tinyint") {
    integer(BinlogColumnType::kTiny);
  } else if (t == "smallint") {
    integer(BinlogColumnType::kShort);
  } else if (t == "mediumint") {
    integer(BinlogColumnType::kInt24);
  } else if (t == "int" || t == "integer") {
    integer(BinlogColumnType::kLong);
  } else if (t == "bigint") {
    integer(BinlogColumnType::kLongLong);
  } else if (t == "float") {
    integer(BinlogColumnType::kFloat);
    out.pack_length = 4;
  } else if (t == "double" || t == "real" || t == "double precision") {
    integer(BinlogColumnType::kDouble);
    out.pack_length = 8;
  } else if (t == "decimal" || t == "numeric") {
    integer(BinlogColumnType::kNewDecimal);
    out.precision = in.numeric_precision;
    out.scale = in.numeric_scale;
  } else if (t == "bit") {
    out.type = BinlogColumnType::kBit;
    out.bit_width = in.numeric_precision;
  } else if (t == "year") {
    out.type = BinlogColumnType::kYear;
    // MariaDB's YEAR is an unsigned TINYINT underneath and its TABLE_MAP
    // gives it a signedness bit; MySQL's has none.
    out.is_unsigned = flavor == BinlogFlavor::kMariadb;
  } else if (t == "date") {
    out.type = BinlogColumnType::kDate;
  } else if (t == "time") {
    out.type = BinlogColumnType::kTime2;
    out.fsp = in.datetime_precision;
  } else if (t == "datetime") {
    out.type = BinlogColumnType::kDatetime2;
    out.fsp = in.datetime_precision;
  } else if (t == "timestamp") {
    out.type = BinlogColumnType::kTimestamp2;
    out.fsp = in.datetime_precision;
  } else if (t == "char" || t == "binary") {
    out.type = BinlogColumnType::kString;
    out.max_length = static_cast<uint32_t>(in.octet_length);
  } else if (t == "varchar" || t == "varbinary") {
    out.type = BinlogColumnType::kVarchar;
    out.max_length = static_cast<uint32_t>(in.octet_length);
  } else if (BlobLengthBytes(t) != 0) {
    out.type = BinlogColumnType::kBlob;
    out.length_bytes = BlobLengthBytes(t);
  } else if (t == "json") {
    // MySQL's binary JSON (MariaDB's JSON is a LONGTEXT, handled above).
    out.type = BinlogColumnType::kJson;
    out.length_bytes = 4;
  } else if (t == "enum") {
    out.type = BinlogColumnType::kEnum;
    out.enum_values = ParseEnumOrSetValues(in.column_type);
    out.pack_length = out.enum_values.size() > 255 ? 2 : 1;
  } else if (t == "set") {
    out.type = BinlogColumnType::kSet;
    out.set_values = ParseEnumOrSetValues(in.column_type);
    // Bytes per value: (n + 7) / 8, and 8 beyond 4 (get_set_pack_length).
    const size_t bytes = (out.set_values.size() + 7) / 8;
    out.pack_length = bytes > 4 ? 8 : static_cast<int>(bytes);
  } else if (const auto geometry = GeometryType(t)) {
    out.type = BinlogColumnType::kGeometry;
    out.length_bytes = 4;
    out.geometry_type = geometry;
  } else {
    return false;
  }
  return true;
}

// Decodes one backslash escape of the server's append_unescaped().
char Unescape(char c) {
  switch (c) {
    case '0':
      return '\0';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 'Z':
      return '\032';
    default:
      return c;  // \\ and \'
  }
}

}  // namespace

std::vector<std::string> ParseEnumOrSetValues(std::string_view column_type) {
  const size_t open = column_type.find('(');
  if (open == std::string_view::npos || column_type.back() != ')') {
    throw SourceError("not an ENUM/SET type: " + std::string(column_type), 0);
  }
  std::vector<std::string> values;
  size_t i = open + 1;
  const size_t end = column_type.size() - 1;
  while (i < end) {
    if (column_type[i] != '\'') {
      throw SourceError("malformed ENUM/SET type: " + std::string(column_type), 0);
    }
    ++i;
    std::string value;
    for (;;) {
      if (i >= end)
        throw SourceError("unterminated ENUM/SET value in " + std::string(column_type), 0);
      const char c = column_type[i];
      if (c == '\\' && i + 1 < end) {
        value += Unescape(column_type[i + 1]);
        i += 2;
      } else if (c == '\'' && i + 1 < end && column_type[i + 1] == '\'') {
        value += '\'';
        i += 2;
      } else if (c == '\'') {
        ++i;
        break;
      } else {
        value += c;
        ++i;
      }
    }
    values.push_back(std::move(value));
    if (i < end && column_type[i] == ',') ++i;
  }
  return values;
}

SourceSchemaReader::SourceSchemaReader(MysqlConnection& connection)
    : connection_(connection), flavor_(connection.ServerFlavor()) {}

std::vector<std::string> SourceSchemaReader::ListTables(std::string_view schema) {
  std::vector<std::string> tables;
  for (auto& row :
       connection_.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                         connection_.Escape(schema) + "' AND TABLE_TYPE = 'BASE TABLE'")) {
    if (row.at(0)) tables.push_back(std::move(*row[0]));
  }
  std::sort(tables.begin(), tables.end());
  return tables;
}

uint32_t SourceSchemaReader::CollationId(const std::string& name) {
  if (!collation_ids_) {
    collation_ids_.emplace();
    for (auto& collation : ReadServerCollations(connection_)) {
      collation_ids_->emplace(std::move(collation.name), collation.id);
    }
  }
  const auto it = collation_ids_->find(name);
  if (it == collation_ids_->end()) {
    throw SourceError("the server lists no id for collation " + name, 0);
  }
  return it->second;
}

TableMap SourceSchemaReader::ReadTable(std::string_view schema, std::string_view table) {
  const std::string where = "TABLE_SCHEMA = '" + connection_.Escape(schema) +
                            "' AND TABLE_NAME = '" + connection_.Escape(table) + "'";
  const auto rows = connection_.Query(
      "SELECT COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, IS_NULLABLE, CHARACTER_OCTET_LENGTH,"
      " NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, COLLATION_NAME, COLUMN_KEY"
      " FROM information_schema.COLUMNS WHERE " +
      where + " ORDER BY ORDINAL_POSITION");
  if (rows.empty()) {
    throw SourceError("table " + std::string(schema) + "." + std::string(table) +
                          " does not exist on " + connection_.endpoint().Describe() +
                          " (or this user may not see it)",
                      ER_NO_SUCH_TABLE);
  }
  TableMap map;
  map.schema = std::string(schema);
  map.table = std::string(table);
  map.has_column_names = true;
  std::map<std::string, uint32_t> index_by_name;
  std::vector<uint32_t> primary_key_columns;  // COLUMN_KEY = 'PRI', in ordinal order
  for (const auto& row : rows) {
    CatalogColumn in;
    in.name = row.at(0).value_or("");
    in.data_type = row.at(1).value_or("");
    in.column_type = row.at(2).value_or("");
    in.nullable = row.at(3).value_or("") == "YES";
    in.octet_length = row.at(4) ? std::stoull(*row[4]) : 0;
    in.numeric_precision = ToInt(row.at(5));
    in.numeric_scale = ToInt(row.at(6));
    in.datetime_precision = ToInt(row.at(7));
    in.collation = row.at(8);
    in.in_primary_key = row.at(9).value_or("") == "PRI";

    BinlogColumn column;
    column.name = in.name;
    column.nullable = in.nullable;
    if (!MapType(in, flavor_, column)) ThrowUnsupported(schema, table, in);
    if (column.IsCharacter() || column.type == BinlogColumnType::kEnum ||
        column.type == BinlogColumnType::kSet) {
      column.collation_id = in.collation ? CollationId(*in.collation) : kBinaryCollation;
    }
    const auto index = static_cast<uint32_t>(map.columns.size());
    index_by_name[in.name] = index;
    if (in.in_primary_key) primary_key_columns.push_back(index);
    map.columns.push_back(std::move(column));
  }
  if (primary_key_columns.empty()) return map;

  // COLUMN_KEY marks the columns of the table's primary key, which the
  // server takes to be the PRIMARY index or, without one, the first UNIQUE
  // index over NOT NULL columns; STATISTICS gives that index's key order.
  struct IndexPart {
    uint32_t column;
    uint32_t prefix;
  };
  std::map<std::string, std::vector<IndexPart>> unique_indexes;
  std::vector<std::string> index_order;
  for (const auto& row : connection_.Query(
           "SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS WHERE " +
           where + " AND NON_UNIQUE = 0 ORDER BY INDEX_NAME = 'PRIMARY' DESC, SEQ_IN_INDEX")) {
    const std::string index = row.at(0).value_or("");
    const auto column = index_by_name.find(row.at(1).value_or(""));
    if (column == index_by_name.end()) continue;  // an expression part
    if (!unique_indexes.contains(index)) index_order.push_back(index);
    unique_indexes[index].push_back(
        IndexPart{column->second, static_cast<uint32_t>(ToInt(row.at(2)))});
  }
  for (const auto& name : index_order) {
    const auto& parts = unique_indexes[name];
    std::vector<uint32_t> columns;
    for (const auto& part : parts) columns.push_back(part.column);
    std::sort(columns.begin(), columns.end());
    if (columns != primary_key_columns) continue;
    for (const auto& part : parts) {
      map.primary_key.push_back(part.column);
      map.primary_key_prefix.push_back(part.prefix);
    }
    break;
  }
  return map;
}

std::pair<std::string, std::string> ForeignKeyActions(std::string_view create_table,
                                                      std::string_view name) {
  // The server writes one constraint per line:
  //   CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE SET NULL
  const std::string marker = "CONSTRAINT " + QuoteMysqlIdentifier(name) + " FOREIGN KEY";
  const size_t start = create_table.find(marker);
  if (start == std::string_view::npos) {
    throw SourceError("SHOW CREATE TABLE declares no foreign key " + std::string(name), 0);
  }
  size_t end = create_table.find('\n', start);
  if (end == std::string_view::npos) end = create_table.size();
  // Actions follow the referenced column list, after the last ')'.
  const std::string_view line = create_table.substr(start, end - start);
  const size_t close = line.rfind(')');
  const std::string_view tail = close == std::string_view::npos ? line : line.substr(close);
  auto action = [&](std::string_view clause) -> std::string {
    const size_t at = tail.find(clause);
    if (at == std::string_view::npos) return "RESTRICT";
    const std::string_view rest = tail.substr(at + clause.size());
    for (const char* known : {"CASCADE", "SET NULL", "SET DEFAULT", "NO ACTION", "RESTRICT"}) {
      if (rest.starts_with(known)) return known;
    }
    throw SourceError(
        "unknown referential action in foreign key " + std::string(name) + ": " + std::string(rest),
        0);
  };
  return {action("ON DELETE "), action("ON UPDATE ")};
}

std::vector<ForeignKeyDefinition> SourceSchemaReader::ReadForeignKeys(std::string_view schema,
                                                                      std::string_view table) {
  std::vector<ForeignKeyDefinition> keys;
  for (auto& row : connection_.Query(
           "SELECT CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, "
           "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = "
           "'" +
           connection_.Escape(schema) + "' AND TABLE_NAME = '" + connection_.Escape(table) +
           "' AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION")) {
    if (keys.empty() || keys.back().name != row.at(0).value_or("")) {
      keys.push_back(
          {row.at(0).value_or(""), {}, row.at(2).value_or(""), row.at(3).value_or(""), {}, "", ""});
    }
    keys.back().columns.push_back(row.at(1).value_or(""));
    keys.back().parent_columns.push_back(row.at(4).value_or(""));
  }
  if (keys.empty()) return keys;
  const auto create = connection_.Query("SHOW CREATE TABLE " + QuoteMysqlIdentifier(schema) + "." +
                                        QuoteMysqlIdentifier(table));
  if (create.empty() || create[0].size() < 2 || !create[0][1]) {
    throw SourceError(
        "SHOW CREATE TABLE " + std::string(schema) + "." + std::string(table) + " returned nothing",
        0);
  }
  for (auto& key : keys) {
    std::tie(key.on_delete, key.on_update) = ForeignKeyActions(*create[0][1], key.name);
  }
  return keys;
}

}  // namespace futureim::source
