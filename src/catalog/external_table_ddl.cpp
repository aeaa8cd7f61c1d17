#include "catalog/external_table_ddl.h"

#include <cctype>
#include <set>

namespace futureim::catalog {

namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `name` quoted for the dialect: backticks for Athena (Hive DDL) and Spark,
// double quotes for Trino; the quote character doubled inside.
std::string Quote(std::string_view name, SqlDialect dialect) {
  const char quote = dialect == SqlDialect::kTrino ? '"' : '`';
  std::string out(1, quote);
  for (char c : name) {
    out += c;
    if (c == quote) out += quote;
  }
  return out + quote;
}

std::string Literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// The scalar types; each row spells one DuckDB type per dialect.
struct ScalarMapping {
  std::string_view lake;
  std::string_view athena;
  std::string_view trino;
  std::string_view spark;
};

// Why these spellings:
// - Athena DDL is Hive DDL: int, float, string, binary.
// - Trino's Hive connector: integer, real, varchar, varbinary; its timestamps
//   have the precision of hive.timestamp-precision (declared as plain
//   `timestamp`); a UTC-adjusted Parquet timestamp is read as that instant.
// - Spark (3.4+): DuckDB TIMESTAMP is naive (Parquet isAdjustedToUTC=false),
//   which is Spark's TIMESTAMP_NTZ; TIMESTAMP WITH TIME ZONE is an instant,
//   Spark's TIMESTAMP.
// TIME is never in the lake (the replicator stores it as BIGINT microseconds)
// and no dialect reads Parquet TIME into a table column, so it is absent.
constexpr ScalarMapping kScalars[] = {
    {"BOOLEAN", "boolean", "boolean", "BOOLEAN"},
    {"TINYINT", "tinyint", "tinyint", "TINYINT"},
    {"SMALLINT", "smallint", "smallint", "SMALLINT"},
    {"INTEGER", "int", "integer", "INT"},
    {"BIGINT", "bigint", "bigint", "BIGINT"},
    {"FLOAT", "float", "real", "FLOAT"},
    {"DOUBLE", "double", "double", "DOUBLE"},
    {"VARCHAR", "string", "varchar", "STRING"},
    {"BLOB", "binary", "varbinary", "BINARY"},
    {"DATE", "date", "date", "DATE"},
    {"TIMESTAMP", "timestamp", "timestamp", "TIMESTAMP_NTZ"},
    {"TIMESTAMP WITH TIME ZONE", "timestamp", "timestamp", "TIMESTAMP"},
};

std::string_view ScalarFor(const ScalarMapping& mapping, SqlDialect dialect) {
  switch (dialect) {
    case SqlDialect::kAthena:
      return mapping.athena;
    case SqlDialect::kTrino:
      return mapping.trino;
    case SqlDialect::kSpark:
      return mapping.spark;
  }
  return {};
}

// "DECIMAL(p,s)" with 1 <= p <= 38, 0 <= s <= p; nullopt otherwise.
std::optional<std::string> DecimalType(std::string_view type, SqlDialect dialect) {
  const std::string_view prefix = "DECIMAL(";
  if (!type.starts_with(prefix) || !type.ends_with(")")) return std::nullopt;
  const std::string_view body = type.substr(prefix.size(), type.size() - prefix.size() - 1);
  const auto comma = body.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  int precision = 0;
  int scale = 0;
  try {
    size_t used = 0;
    precision = std::stoi(std::string(body.substr(0, comma)), &used);
    if (used != comma) return std::nullopt;
    const std::string scale_text(body.substr(comma + 1));
    scale = std::stoi(scale_text, &used);
    if (used != scale_text.size()) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return std::nullopt;
  const std::string spelled = std::to_string(precision) + "," + std::to_string(scale) + ")";
  return (dialect == SqlDialect::kSpark ? "DECIMAL(" : "decimal(") + spelled;
}

std::string ArrayOf(const std::string& element, SqlDialect dialect) {
  switch (dialect) {
    case SqlDialect::kAthena:
      return "array<" + element + ">";
    case SqlDialect::kTrino:
      return "array(" + element + ")";
    case SqlDialect::kSpark:
      return "ARRAY<" + element + ">";
  }
  return element;
}

// The schema (database) and table name of a table in external engines: the
// same as its DuckDB view, e.g. raw.orders, curated.orders.
std::pair<std::string, std::string> ExternalName(const CatalogTable& table) {
  const auto dot = table.view.find('.');
  return {table.view.substr(0, dot), table.view.substr(dot + 1)};
}

std::string QualifiedName(const CatalogTable& table, SqlDialect dialect) {
  const auto [schema, name] = ExternalName(table);
  return Quote(schema, dialect) + "." + Quote(name, dialect);
}

// Spark reads S3 through the s3a:// file system.
std::string LocationFor(std::string_view location_root, const CatalogTable& table,
                        SqlDialect dialect) {
  std::string root(location_root);
  if (dialect == SqlDialect::kSpark && root.starts_with("s3://")) root = "s3a://" + root.substr(5);
  return root + table.location;
}

std::string PartitionDiscovery(const CatalogTable& table, SqlDialect dialect) {
  if (dialect == SqlDialect::kTrino) {
    const auto [schema, name] = ExternalName(table);
    return "CALL system.sync_partition_metadata(" + Literal(schema) + ", " + Literal(name) +
           ", 'ADD');\n";
  }
  return "MSCK REPAIR TABLE " + QualifiedName(table, dialect) + ";\n";
}

std::string CreateTable(const CatalogTable& table, SqlDialect dialect,
                        const std::vector<std::pair<std::string, std::string>>& columns,
                        const std::vector<std::pair<std::string, std::string>>& partitions,
                        const std::string& location) {
  const bool trino = dialect == SqlDialect::kTrino;
  std::string sql = dialect == SqlDialect::kAthena ? "CREATE EXTERNAL TABLE IF NOT EXISTS "
                                                   : "CREATE TABLE IF NOT EXISTS ";
  sql += QualifiedName(table, dialect) + " (\n";
  // Trino declares partition columns with the others, last; Athena (Hive)
  // only in PARTITIONED BY; Spark's USING tables in the list, named again in
  // PARTITIONED BY.
  auto listed = columns;
  if (dialect != SqlDialect::kAthena)
    listed.insert(listed.end(), partitions.begin(), partitions.end());
  for (size_t i = 0; i < listed.size(); ++i) {
    sql += "  " + Quote(listed[i].first, dialect) + " " + listed[i].second +
           (i + 1 < listed.size() ? ",\n" : "\n");
  }
  sql += ")\n";
  std::string partition_names;
  for (const auto& [name, type] : partitions) {
    if (!partition_names.empty()) partition_names += ", ";
    partition_names += dialect == SqlDialect::kAthena ? Quote(name, dialect) + " " + type
                       : trino                        ? Literal(name)
                                                      : Quote(name, dialect);
  }
  switch (dialect) {
    case SqlDialect::kAthena:
      if (!partitions.empty()) sql += "PARTITIONED BY (" + partition_names + ")\n";
      sql += "STORED AS PARQUET\nLOCATION " + Literal(location) + ";\n";
      break;
    case SqlDialect::kTrino:
      sql += "WITH (\n  external_location = " + Literal(location) + ",\n  format = 'PARQUET'";
      if (!partitions.empty()) sql += ",\n  partitioned_by = ARRAY[" + partition_names + "]";
      sql += "\n);\n";
      break;
    case SqlDialect::kSpark:
      sql += "USING PARQUET\n";
      if (!partitions.empty()) sql += "PARTITIONED BY (" + partition_names + ")\n";
      sql += "LOCATION " + Literal(location) + ";\n";
      break;
  }
  return sql;
}

const char* DialectName(SqlDialect dialect) {
  switch (dialect) {
    case SqlDialect::kAthena:
      return "Athena";
    case SqlDialect::kTrino:
      return "Trino";
    case SqlDialect::kSpark:
      return "Spark";
  }
  return "";
}

}  // namespace

std::optional<SqlDialect> ParseSqlDialect(std::string_view name) {
  const std::string lower = Lower(name);
  if (lower == "athena") return SqlDialect::kAthena;
  if (lower == "trino") return SqlDialect::kTrino;
  if (lower == "spark") return SqlDialect::kSpark;
  return std::nullopt;
}

std::optional<std::string> ExternalColumnType(std::string_view lake_type, SqlDialect dialect) {
  const std::string type = Upper(lake_type);
  if (type.ends_with("[]")) {
    const auto element =
        ExternalColumnType(std::string_view(type).substr(0, type.size() - 2), dialect);
    if (!element) return std::nullopt;
    return ArrayOf(*element, dialect);
  }
  // DuckDB's aliases for the same types.
  const std::string canonical = type == "TIMESTAMPTZ" ? "TIMESTAMP WITH TIME ZONE"
                                : type == "INT"       ? "INTEGER"
                                : type == "REAL"      ? "FLOAT"
                                                      : type;
  for (const auto& mapping : kScalars) {
    if (mapping.lake == canonical) return std::string(ScalarFor(mapping, dialect));
  }
  return DecimalType(canonical, dialect);
}

std::string ExternalTableDdl(const CatalogTable& table, SqlDialect dialect,
                             std::string_view location_root) {
  const std::string header = "-- " + table.view + " (" + table.tier +
                             "): " + std::to_string(table.rows) + " rows in " +
                             std::to_string(table.files) + " files\n";
  const std::string skipped = "-- skipped " + table.view + ": ";
  if (table.columns.empty()) {
    return skipped + (table.error.empty() ? "no columns known" : table.error) + "\n";
  }
  std::vector<std::pair<std::string, std::string>> columns;
  std::vector<std::pair<std::string, std::string>> partitions;
  for (const auto& column : table.columns) {
    const auto type = column.partition
                          ? std::optional<std::string>(dialect == SqlDialect::kTrino   ? "varchar"
                                                       : dialect == SqlDialect::kSpark ? "STRING"
                                                                                       : "string")
                          : ExternalColumnType(column.type, dialect);
    if (!type) {
      return skipped + "column " + column.name + " has type " + column.type + ", which " +
             DialectName(dialect) + " cannot read from Parquet\n";
    }
    (column.partition ? partitions : columns).emplace_back(column.name, *type);
  }
  std::string ddl = header;
  if (table.encrypted) {
    ddl +=
        "-- its files are encrypted (Parquet modular encryption, AES-GCM, key "
        "lake.encryption_key): the engine needs that key to read them\n";
  }
  if (!table.current_run.empty()) {
    ddl += "-- points at run " + table.current_run +
           "; after a new run, run `futureim catalog ddl` again or set the new location\n";
  }
  ddl +=
      CreateTable(table, dialect, columns, partitions, LocationFor(location_root, table, dialect));
  if (!partitions.empty()) ddl += PartitionDiscovery(table, dialect);
  return ddl;
}

std::string LakeDdl(const LakeCatalog& catalog, SqlDialect dialect,
                    std::string_view location_root) {
  std::string ddl = std::string("-- ") + DialectName(dialect) + " DDL for the lake at " +
                    std::string(location_root) + " (futureim catalog ddl)\n";
  std::set<std::string> schemas;
  for (const auto& table : catalog.tables) schemas.insert(ExternalName(table).first);
  for (const auto& schema : schemas) {
    ddl += std::string(dialect == SqlDialect::kTrino ? "CREATE SCHEMA IF NOT EXISTS "
                                                     : "CREATE DATABASE IF NOT EXISTS ") +
           Quote(schema, dialect) + ";\n";
  }
  for (const auto& table : catalog.tables)
    ddl += "\n" + ExternalTableDdl(table, dialect, location_root);
  return ddl;
}

}  // namespace futureim::catalog
