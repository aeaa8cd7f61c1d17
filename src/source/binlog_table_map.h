#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "source/binlog_event.h"

namespace futureim::source {

// Column type codes as they appear in TABLE_MAP events (enum_field_types).
enum class BinlogColumnType : uint8_t {
  kDecimal = 0,  // pre-5.0 DECIMAL: unsupported
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,  // pre-5.6 format, seconds only
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,      // pre-5.6 format, seconds only
  kDatetime = 12,  // pre-5.6 format, seconds only
  kYear = 13,
  kNewDate = 14,
  kVarchar = 15,
  kBit = 16,
  kTimestamp2 = 17,
  kDatetime2 = 18,
  kTime2 = 19,
  kJson = 245,  // MySQL binary JSON (MariaDB logs JSON as a LONGTEXT BLOB)
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,
  kVarString = 253,
  kString = 254,
  kGeometry = 255,
};

// "TINY", "VARCHAR", ... for messages.
std::string BinlogColumnTypeName(BinlogColumnType type);

// The collation id of the binary "character set" (BINARY, VARBINARY, BLOB).
inline constexpr uint32_t kBinaryCollation = 63;

// One column as a TABLE_MAP event describes it. The optional fields come
// from binlog_row_metadata=FULL blocks and are empty/nullopt without them.
struct BinlogColumn {
  // The type in the type list; for CHAR/BINARY/ENUM/SET (all logged as
  // kString) `type` is the real one taken from the metadata.
  BinlogColumnType type = BinlogColumnType::kNull;
  bool nullable = true;
  // Per-type metadata, decoded:
  int precision = 0;        // DECIMAL
  int scale = 0;            // DECIMAL
  int fsp = 0;              // TIME2/DATETIME2/TIMESTAMP2: fractional digits 0..6
  int length_bytes = 0;     // BLOB/TEXT/JSON/GEOMETRY: size of the length prefix (1..4)
  uint32_t max_length = 0;  // CHAR/BINARY/VARCHAR: maximum length in bytes
  int pack_length = 0;      // FLOAT/DOUBLE, ENUM (1..2), SET (1..8): bytes per value
  int bit_width = 0;        // BIT: 1..64
  // Optional metadata:
  std::string name;
  bool is_unsigned = false;               // numeric columns only
  std::optional<uint32_t> collation_id;   // character, ENUM and SET columns
  std::vector<std::string> enum_values;   // ENUM, definition order
  std::vector<std::string> set_values;    // SET, definition order
  std::optional<uint32_t> geometry_type;  // GEOMETRY subtype

  // Character columns carry a collation: CHAR, VARCHAR, TEXT/BLOB (also
  // MariaDB JSON). ENUM/SET count separately, GEOMETRY not at all.
  bool IsCharacter() const;
  // Numeric columns carry a signedness bit (YEAR only in MariaDB, where its
  // field type derives from TINYINT).
  bool IsNumeric(BinlogFlavor flavor) const;
};

// A decoded TABLE_MAP event: which table a table id means for the row events
// that follow it (ids are reassigned when a table is reopened or altered).
struct TableMap {
  uint64_t table_id = 0;
  uint16_t flags = 0;
  std::string schema;
  std::string table;
  std::vector<BinlogColumn> columns;
  // Primary key column indexes, in key order, and per key column the prefix
  // length (0: the whole column). Empty: no primary key, or no metadata.
  std::vector<uint32_t> primary_key;
  std::vector<uint32_t> primary_key_prefix;
  // True when the event carried column names (binlog_row_metadata=FULL); if
  // false a caller must take names from information_schema instead.
  bool has_column_names = false;
};

// Parses a TABLE_MAP event body (post-header included, checksum excluded).
// Throws BinlogFormatError for malformed data.
TableMap ParseTableMap(std::span<const uint8_t> body, BinlogFlavor flavor);

// table id → its latest TableMap. A row event always follows the TABLE_MAP
// of its table in the same statement, so the latest mapping is the right
// one; maps are shared so decoded row events can keep theirs alive. Table
// ids are only meaningful until the statement's last row event
// (RowsEvent::statement_end()); a long-running reader should Clear() there,
// as a replica does, or the cache grows with every table reopen or ALTER.
class TableMapCache {
 public:
  std::shared_ptr<const TableMap> Add(TableMap map);
  // nullptr when the id was never mapped on this stream.
  std::shared_ptr<const TableMap> Find(uint64_t table_id) const;
  void Clear() { maps_.clear(); }
  size_t size() const { return maps_.size(); }

 private:
  std::unordered_map<uint64_t, std::shared_ptr<const TableMap>> maps_;
};

}  // namespace futureim::source
