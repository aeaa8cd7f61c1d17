#include "source/binlog_table_map.h"

#include "source/binlog_byte_reader.h"

namespace futureim::source {
namespace {

// Optional metadata block types (MySQL's Table_map_log_event::Optional_metadata_field_type).
enum class MetadataBlock : uint8_t {
  kSignedness = 1,
  kDefaultCharset = 2,
  kColumnCharset = 3,
  kColumnName = 4,
  kSetStrValue = 5,
  kEnumStrValue = 6,
  kGeometryType = 7,
  kSimplePrimaryKey = 8,
  kPrimaryKeyWithPrefix = 9,
  kEnumAndSetDefaultCharset = 10,
  kEnumAndSetColumnCharset = 11,
};

bool IsEnumOrSet(const BinlogColumn& c) {
  return c.type == BinlogColumnType::kEnum || c.type == BinlogColumnType::kSet;
}

// Reads the per-type metadata of one column from the metadata block.
void ReadColumnMetadata(BinlogByteReader& reader, BinlogColumn& column) {
  switch (column.type) {
    case BinlogColumnType::kFloat:
    case BinlogColumnType::kDouble:
      column.pack_length = reader.U8();
      break;
    case BinlogColumnType::kTinyBlob:
    case BinlogColumnType::kMediumBlob:
    case BinlogColumnType::kLongBlob:
    case BinlogColumnType::kBlob:
    case BinlogColumnType::kGeometry:
    case BinlogColumnType::kJson:
      column.length_bytes = reader.U8();
      break;
    case BinlogColumnType::kTimestamp2:
    case BinlogColumnType::kDatetime2:
    case BinlogColumnType::kTime2:
      column.fsp = reader.U8();
      break;
    case BinlogColumnType::kVarchar:
    case BinlogColumnType::kVarString:
      column.max_length = reader.U16();
      break;
    case BinlogColumnType::kNewDecimal:
      column.precision = reader.U8();
      column.scale = reader.U8();
      break;
    case BinlogColumnType::kBit: {
      const int bits = reader.U8();
      const int bytes = reader.U8();
      column.bit_width = bytes * 8 + bits;
      break;
    }
    case BinlogColumnType::kString:
    case BinlogColumnType::kEnum:
    case BinlogColumnType::kSet: {
      // Two bytes: the real type and the length, with the length's bits 8-9
      // folded (inverted) into bits 4-5 of the type byte, so CHAR(255)
      // in a 4-byte charset (1020 bytes) fits.
      const uint8_t first = reader.U8();
      const uint8_t second = reader.U8();
      uint8_t real_type = first;
      uint32_t length = second;
      if ((first & 0x30) != 0x30) {
        length = second | (static_cast<uint32_t>((first & 0x30) ^ 0x30) << 4);
        real_type = static_cast<uint8_t>(first | 0x30);
      }
      column.type = static_cast<BinlogColumnType>(real_type);
      if (column.type == BinlogColumnType::kEnum || column.type == BinlogColumnType::kSet) {
        column.pack_length = static_cast<int>(length);
      } else {
        column.max_length = length;
      }
      break;
    }
    default:
      break;  // no metadata
  }
}

std::string ReadLengthPrefixed(BinlogByteReader& reader) {
  const uint64_t n = reader.PackedInt();
  return std::string(reader.Text(static_cast<size_t>(n)));
}

// DEFAULT_CHARSET-style block: the default collation, then (index, collation)
// pairs for the columns (counted among `selected`) that differ from it.
void ApplyDefaultCollation(BinlogByteReader block, const std::vector<BinlogColumn*>& selected) {
  const uint32_t fallback = static_cast<uint32_t>(block.PackedInt());
  for (auto* column : selected) column->collation_id = fallback;
  while (!block.empty()) {
    const uint64_t index = block.PackedInt();
    const uint32_t collation = static_cast<uint32_t>(block.PackedInt());
    if (index >= selected.size()) throw BinlogFormatError("TABLE_MAP charset index out of range");
    selected[index]->collation_id = collation;
  }
}

void ApplyColumnCollations(BinlogByteReader block, const std::vector<BinlogColumn*>& selected) {
  for (auto* column : selected) {
    if (block.empty()) break;
    column->collation_id = static_cast<uint32_t>(block.PackedInt());
  }
}

void ApplyStringValues(BinlogByteReader block, const std::vector<BinlogColumn*>& selected,
                       bool is_enum) {
  for (auto* column : selected) {
    if (block.empty()) break;
    const uint64_t count = block.PackedInt();
    auto& values = is_enum ? column->enum_values : column->set_values;
    values.clear();
    for (uint64_t i = 0; i < count; ++i) values.push_back(ReadLengthPrefixed(block));
  }
}

}  // namespace

std::string BinlogColumnTypeName(BinlogColumnType type) {
  switch (type) {
    case BinlogColumnType::kDecimal:
      return "DECIMAL(old)";
    case BinlogColumnType::kTiny:
      return "TINYINT";
    case BinlogColumnType::kShort:
      return "SMALLINT";
    case BinlogColumnType::kLong:
      return "INT";
    case BinlogColumnType::kFloat:
      return "FLOAT";
    case BinlogColumnType::kDouble:
      return "DOUBLE";
    case BinlogColumnType::kNull:
      return "NULL";
    case BinlogColumnType::kTimestamp:
      return "TIMESTAMP(old)";
    case BinlogColumnType::kLongLong:
      return "BIGINT";
    case BinlogColumnType::kInt24:
      return "MEDIUMINT";
    case BinlogColumnType::kDate:
      return "DATE";
    case BinlogColumnType::kTime:
      return "TIME(old)";
    case BinlogColumnType::kDatetime:
      return "DATETIME(old)";
    case BinlogColumnType::kYear:
      return "YEAR";
    case BinlogColumnType::kNewDate:
      return "NEWDATE";
    case BinlogColumnType::kVarchar:
      return "VARCHAR";
    case BinlogColumnType::kBit:
      return "BIT";
    case BinlogColumnType::kTimestamp2:
      return "TIMESTAMP";
    case BinlogColumnType::kDatetime2:
      return "DATETIME";
    case BinlogColumnType::kTime2:
      return "TIME";
    case BinlogColumnType::kJson:
      return "JSON";
    case BinlogColumnType::kNewDecimal:
      return "DECIMAL";
    case BinlogColumnType::kEnum:
      return "ENUM";
    case BinlogColumnType::kSet:
      return "SET";
    case BinlogColumnType::kTinyBlob:
      return "TINYBLOB";
    case BinlogColumnType::kMediumBlob:
      return "MEDIUMBLOB";
    case BinlogColumnType::kLongBlob:
      return "LONGBLOB";
    case BinlogColumnType::kBlob:
      return "BLOB";
    case BinlogColumnType::kVarString:
      return "VAR_STRING";
    case BinlogColumnType::kString:
      return "CHAR";
    case BinlogColumnType::kGeometry:
      return "GEOMETRY";
  }
  return "type " + std::to_string(static_cast<int>(type));
}

bool BinlogColumn::IsCharacter() const {
  switch (type) {
    case BinlogColumnType::kString:
    case BinlogColumnType::kVarchar:
    case BinlogColumnType::kVarString:
    case BinlogColumnType::kTinyBlob:
    case BinlogColumnType::kMediumBlob:
    case BinlogColumnType::kLongBlob:
    case BinlogColumnType::kBlob:
      return true;
    default:
      return false;
  }
}

bool BinlogColumn::IsNumeric(BinlogFlavor flavor) const {
  switch (type) {
    case BinlogColumnType::kYear:
      return flavor == BinlogFlavor::kMariadb;
    case BinlogColumnType::kTiny:
    case BinlogColumnType::kShort:
    case BinlogColumnType::kInt24:
    case BinlogColumnType::kLong:
    case BinlogColumnType::kLongLong:
    case BinlogColumnType::kFloat:
    case BinlogColumnType::kDouble:
    case BinlogColumnType::kNewDecimal:
    case BinlogColumnType::kDecimal:
      return true;
    default:
      return false;
  }
}

TableMap ParseTableMap(std::span<const uint8_t> body, BinlogFlavor flavor) {
  BinlogByteReader reader(body);
  TableMap map;
  map.table_id = reader.UintLe(6);
  map.flags = reader.U16();
  const uint8_t schema_length = reader.U8();
  map.schema = std::string(reader.Text(schema_length));
  reader.Skip(1);  // NUL
  const uint8_t table_length = reader.U8();
  map.table = std::string(reader.Text(table_length));
  reader.Skip(1);  // NUL
  const uint64_t column_count = reader.PackedInt();
  if (column_count > 4096) throw BinlogFormatError("TABLE_MAP has an implausible column count");
  map.columns.resize(static_cast<size_t>(column_count));
  for (auto& column : map.columns) column.type = static_cast<BinlogColumnType>(reader.U8());

  const uint64_t metadata_length = reader.PackedInt();
  BinlogByteReader metadata(reader.Bytes(static_cast<size_t>(metadata_length)));
  for (auto& column : map.columns) ReadColumnMetadata(metadata, column);

  auto nulls = reader.Bytes((map.columns.size() + 7) / 8);
  for (size_t i = 0; i < map.columns.size(); ++i) {
    map.columns[i].nullable = (nulls[i / 8] >> (i % 8)) & 1;
  }

  std::vector<BinlogColumn*> numeric, character, enums, sets, enums_and_sets, geometry;
  for (auto& column : map.columns) {
    if (column.IsNumeric(flavor)) numeric.push_back(&column);
    if (column.IsCharacter()) character.push_back(&column);
    if (column.type == BinlogColumnType::kEnum) enums.push_back(&column);
    if (column.type == BinlogColumnType::kSet) sets.push_back(&column);
    if (IsEnumOrSet(column)) enums_and_sets.push_back(&column);
    if (column.type == BinlogColumnType::kGeometry) geometry.push_back(&column);
  }

  // Optional metadata (binlog_row_metadata=MINIMAL/FULL): type, length, value.
  while (!reader.empty()) {
    const auto type = static_cast<MetadataBlock>(reader.U8());
    const uint64_t length = reader.PackedInt();
    BinlogByteReader block(reader.Bytes(static_cast<size_t>(length)));
    switch (type) {
      case MetadataBlock::kSignedness: {
        // One bit per numeric column, most significant bit first; 1 = unsigned.
        auto bits = block.Rest();
        for (size_t i = 0; i < numeric.size() && i / 8 < bits.size(); ++i) {
          numeric[i]->is_unsigned = (bits[i / 8] >> (7 - i % 8)) & 1;
        }
        break;
      }
      case MetadataBlock::kDefaultCharset:
        ApplyDefaultCollation(block, character);
        break;
      case MetadataBlock::kColumnCharset:
        ApplyColumnCollations(block, character);
        break;
      case MetadataBlock::kEnumAndSetDefaultCharset:
        ApplyDefaultCollation(block, enums_and_sets);
        break;
      case MetadataBlock::kEnumAndSetColumnCharset:
        ApplyColumnCollations(block, enums_and_sets);
        break;
      case MetadataBlock::kColumnName:
        for (auto& column : map.columns) {
          if (block.empty()) break;
          column.name = ReadLengthPrefixed(block);
        }
        map.has_column_names = true;
        break;
      case MetadataBlock::kSetStrValue:
        ApplyStringValues(block, sets, /*is_enum=*/false);
        break;
      case MetadataBlock::kEnumStrValue:
        ApplyStringValues(block, enums, /*is_enum=*/true);
        break;
      case MetadataBlock::kGeometryType:
        for (auto* column : geometry) {
          if (block.empty()) break;
          column->geometry_type = static_cast<uint32_t>(block.PackedInt());
        }
        break;
      case MetadataBlock::kSimplePrimaryKey:
        while (!block.empty()) {
          map.primary_key.push_back(static_cast<uint32_t>(block.PackedInt()));
          map.primary_key_prefix.push_back(0);
        }
        break;
      case MetadataBlock::kPrimaryKeyWithPrefix:
        while (!block.empty()) {
          map.primary_key.push_back(static_cast<uint32_t>(block.PackedInt()));
          map.primary_key_prefix.push_back(static_cast<uint32_t>(block.PackedInt()));
        }
        break;
      default:
        break;  // a newer block type: its length lets us skip it
    }
  }
  for (uint32_t index : map.primary_key) {
    if (index >= map.columns.size()) throw BinlogFormatError("TABLE_MAP primary key out of range");
  }
  return map;
}

std::shared_ptr<const TableMap> TableMapCache::Add(TableMap map) {
  auto shared = std::make_shared<const TableMap>(std::move(map));
  maps_[shared->table_id] = shared;
  return shared;
}

std::shared_ptr<const TableMap> TableMapCache::Find(uint64_t table_id) const {
  auto it = maps_.find(table_id);
  return it == maps_.end() ? nullptr : it->second;
}

}  // namespace futureim::source
