#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lake/raw_current_state.h"
#include "source/binlog_table_map.h"
#include "source/source_schema_reader.h"

namespace futureim::replicate {

// How a source column is stored in the raw tier. Each kind is a lake type
// that holds every value of the source type exactly and that Athena, Trino
// and Spark read from plain Parquet (so no unsigned Parquet integers, no
// INTERVAL, no HUGEINT). docs/ARCHITECTURE.md has the full table.
enum class RawValueKind {
  kTinyInt,         // TINYINT
  kSmallInt,        // TINYINT UNSIGNED, SMALLINT, YEAR
  kInteger,         // SMALLINT UNSIGNED, MEDIUMINT (both), INT
  kBigInt,          // INT UNSIGNED, BIGINT, BIT(1..63)
  kUnsignedBigInt,  // BIGINT UNSIGNED, BIT(64) → DECIMAL(20,0)
  kDecimal,         // DECIMAL(p<=38, s) → DECIMAL(p, s)
  kWideDecimal,     // DECIMAL(p>38, s) → VARCHAR, the exact text
  kFloat,           // FLOAT
  kDouble,          // DOUBLE
  kDate,            // DATE (zero dates → NULL, counted)
  kTimestamp,       // DATETIME → TIMESTAMP (naive, microseconds)
  kTimestampTz,     // TIMESTAMP → TIMESTAMPTZ (UTC instant, microseconds)
  kTimeMicros,      // TIME → BIGINT microseconds (±838:59:59.999999)
  kText,            // CHAR/VARCHAR/TEXT in any charset, ENUM, SET, JSON → VARCHAR (UTF-8)
  kBlob,            // BINARY/VARBINARY/BLOB, GEOMETRY → BLOB
};

struct RawColumn {
  std::string name;
  std::string sql_type;  // the DuckDB/Parquet type, e.g. "DECIMAL(12,2)"
  RawValueKind kind = RawValueKind::kText;
  uint8_t decimal_width = 0;
  uint8_t decimal_scale = 0;
  source::BinlogColumn source;  // the source column, for value conversion

  bool operator==(const RawColumn& other) const {
    return name == other.name && sql_type == other.sql_type;
  }
};

// A source table as the raw tier stores it: its columns in source order, then
// the change columns _op (L, I, U, D, T), _commit_ts and _seq.
struct RawTableSchema {
  std::string schema;
  std::string table;
  std::vector<RawColumn> columns;
  std::vector<std::string> primary_key;  // column names, key order; empty: none

  // "schema.table".
  std::string QualifiedName() const { return schema + "." + table; }
  // The lake's view of the table's shape: names and lake types. Two schemas
  // with equal columns write interchangeable files.
  bool SameColumns(const RawTableSchema& other) const { return columns == other.columns; }

  // Maps a table description (TABLE_MAP or information_schema) to lake
  // types. Throws core::Error when the table has no column names (a TABLE_MAP
  // without binlog_row_metadata=FULL: the caller must use information_schema),
  // or a column clashes with a change column or the partition key.
  static RawTableSchema FromTableMap(const source::TableMap& table);
};

// The table's foreign keys as the raw tier records them (the manifest's
// "foreign_keys"): every one, whatever its actions; readers apply those that
// change rows.
std::vector<lake::ForeignKeyRule> ReadForeignKeyRules(source::SourceSchemaReader& reader,
                                                      const std::string& schema,
                                                      const std::string& table);

// Names of the change columns every raw file carries after the source columns.
inline constexpr const char* kOpColumn = "_op";
inline constexpr const char* kCommitTsColumn = "_commit_ts";
inline constexpr const char* kSeqColumn = "_seq";

// The `_op` codes.
inline constexpr char kOpLoad = 'L';  // row of a full load (or reload)
inline constexpr char kOpInsert = 'I';
inline constexpr char kOpUpdate = 'U';    // the row's new image
inline constexpr char kOpDelete = 'D';    // the row's last image
inline constexpr char kOpTruncate = 'T';  // every row of the table with a smaller _seq is gone

}  // namespace futureim::replicate
