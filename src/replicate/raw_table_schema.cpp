#include "replicate/raw_table_schema.h"

#include "core/error.h"
#include "lake/raw_tier_layout.h"

namespace futureim::replicate {
namespace {

using source::BinlogColumnType;

RawColumn Column(const source::BinlogColumn& source, RawValueKind kind, std::string sql_type) {
  RawColumn column;
  column.name = source.name;
  column.kind = kind;
  column.sql_type = std::move(sql_type);
  column.source = source;
  return column;
}

bool IsBinary(const source::BinlogColumn& column) {
  return column.collation_id.value_or(source::kBinaryCollation) == source::kBinaryCollation;
}

RawColumn MapColumn(const source::BinlogColumn& c) {
  const bool u = c.is_unsigned;
  switch (c.type) {
    case BinlogColumnType::kTiny:
      return u ? Column(c, RawValueKind::kSmallInt, "SMALLINT")
               : Column(c, RawValueKind::kTinyInt, "TINYINT");
    case BinlogColumnType::kShort:
      return u ? Column(c, RawValueKind::kInteger, "INTEGER")
               : Column(c, RawValueKind::kSmallInt, "SMALLINT");
    case BinlogColumnType::kInt24:
      return Column(c, RawValueKind::kInteger, "INTEGER");
    case BinlogColumnType::kLong:
      return u ? Column(c, RawValueKind::kBigInt, "BIGINT")
               : Column(c, RawValueKind::kInteger, "INTEGER");
    case BinlogColumnType::kLongLong:
      return u ? Column(c, RawValueKind::kUnsignedBigInt, "DECIMAL(20,0)")
               : Column(c, RawValueKind::kBigInt, "BIGINT");
    case BinlogColumnType::kYear:
      return Column(c, RawValueKind::kSmallInt, "SMALLINT");
    case BinlogColumnType::kBit:
      return c.bit_width >= 64 ? Column(c, RawValueKind::kUnsignedBigInt, "DECIMAL(20,0)")
                               : Column(c, RawValueKind::kBigInt, "BIGINT");
    case BinlogColumnType::kFloat:
      return Column(c, RawValueKind::kFloat, "FLOAT");
    case BinlogColumnType::kDouble:
      return Column(c, RawValueKind::kDouble, "DOUBLE");
    case BinlogColumnType::kNewDecimal: {
      if (c.precision > 38) return Column(c, RawValueKind::kWideDecimal, "VARCHAR");
      RawColumn column =
          Column(c, RawValueKind::kDecimal,
                 "DECIMAL(" + std::to_string(c.precision) + "," + std::to_string(c.scale) + ")");
      column.decimal_width = static_cast<uint8_t>(c.precision);
      column.decimal_scale = static_cast<uint8_t>(c.scale);
      return column;
    }
    case BinlogColumnType::kDate:
    case BinlogColumnType::kNewDate:
      return Column(c, RawValueKind::kDate, "DATE");
    case BinlogColumnType::kDatetime:
    case BinlogColumnType::kDatetime2:
      return Column(c, RawValueKind::kTimestamp, "TIMESTAMP");
    case BinlogColumnType::kTimestamp:
    case BinlogColumnType::kTimestamp2:
      return Column(c, RawValueKind::kTimestampTz, "TIMESTAMPTZ");
    case BinlogColumnType::kTime:
    case BinlogColumnType::kTime2:
      return Column(c, RawValueKind::kTimeMicros, "BIGINT");
    case BinlogColumnType::kEnum:
    case BinlogColumnType::kSet:
    case BinlogColumnType::kJson:
      return Column(c, RawValueKind::kText, "VARCHAR");
    case BinlogColumnType::kString:
    case BinlogColumnType::kVarchar:
    case BinlogColumnType::kVarString:
    case BinlogColumnType::kTinyBlob:
    case BinlogColumnType::kMediumBlob:
    case BinlogColumnType::kLongBlob:
    case BinlogColumnType::kBlob:
      return IsBinary(c) ? Column(c, RawValueKind::kBlob, "BLOB")
                         : Column(c, RawValueKind::kText, "VARCHAR");
    case BinlogColumnType::kGeometry:
      return Column(c, RawValueKind::kBlob, "BLOB");
    default:
      throw core::Error("column " + c.name + " has type " + source::BinlogColumnTypeName(c.type) +
                        ", which replication does not support");
  }
}

}  // namespace

RawTableSchema RawTableSchema::FromTableMap(const source::TableMap& table) {
  RawTableSchema schema;
  schema.schema = table.schema;
  schema.table = table.table;
  if (!table.has_column_names) {
    throw core::Error("table " + schema.QualifiedName() +
                      ": the binlog carries no column names (binlog_row_metadata is not FULL); "
                      "its description must come from information_schema");
  }
  for (const auto& column : table.columns) {
    if (column.name == kOpColumn || column.name == kCommitTsColumn || column.name == kSeqColumn ||
        column.name == lake::RawTierLayout::kPartitionKey) {
      throw core::Error("table " + schema.QualifiedName() + " has a column named " + column.name +
                        ", which the raw tier reserves; exclude the table from replication");
    }
    schema.columns.push_back(MapColumn(column));
  }
  for (const uint32_t index : table.primary_key) {
    schema.primary_key.push_back(table.columns.at(index).name);
  }
  return schema;
}

std::vector<lake::ForeignKeyRule> ReadForeignKeyRules(source::SourceSchemaReader& reader,
                                                      const std::string& schema,
                                                      const std::string& table) {
  std::vector<lake::ForeignKeyRule> rules;
  for (auto& key : reader.ReadForeignKeys(schema, table)) {
    rules.push_back({std::move(key.name), std::move(key.columns), std::move(key.parent_schema),
                     std::move(key.parent_table), std::move(key.parent_columns),
                     std::move(key.on_delete), std::move(key.on_update)});
  }
  return rules;
}

}  // namespace futureim::replicate
