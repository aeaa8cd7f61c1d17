#include "source/binlog_row_decoder.h"

#include <bit>
#include <string>

#include "source/binlog_json.h"
#include "source/binlog_value_decoding.h"

namespace futureim::source {
namespace {

namespace cv = column_value;
using binlog_decoding::SignExtend;

ColumnValue Integer(BinlogByteReader& reader, const BinlogColumn& column, size_t bytes) {
  const uint64_t raw = reader.UintLe(bytes);
  if (column.is_unsigned) return raw;
  return SignExtend(raw, bytes);
}

std::string CharacterBytes(BinlogByteReader& reader, size_t prefix_bytes) {
  const uint64_t length = reader.UintLe(prefix_bytes);
  return std::string(reader.Text(static_cast<size_t>(length)));
}

// Which columns an image holds: one bit per column, least significant first.
std::vector<bool> ReadBitmap(BinlogByteReader& reader, size_t columns) {
  auto bytes = reader.Bytes((columns + 7) / 8);
  std::vector<bool> bits(columns);
  for (size_t i = 0; i < columns; ++i) bits[i] = (bytes[i / 8] >> (i % 8)) & 1;
  return bits;
}

RowImage ReadImage(BinlogByteReader& reader, const TableMap& table,
                   const std::vector<bool>& present) {
  size_t present_count = 0;
  for (bool p : present) present_count += p ? 1 : 0;
  // The NULL bitmap counts only the columns present in the image.
  const std::vector<bool> nulls = ReadBitmap(reader, present_count);
  RowImage image(table.columns.size(), cv::Absent{});
  size_t null_index = 0;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (!present[i]) continue;
    if (nulls[null_index++]) {
      image[i] = cv::Null{};
      continue;
    }
    try {
      image[i] = BinlogRowDecoder::DecodeValue(reader, table.columns[i]);
    } catch (const BinlogFormatError& e) {
      throw BinlogFormatError(
          "cannot decode column " + std::to_string(i + 1) +
          (table.columns[i].name.empty() ? "" : " (" + table.columns[i].name + ")") + " of " +
          table.schema + "." + table.table + ": " + e.what());
    }
  }
  return image;
}

}  // namespace

ColumnValue BinlogRowDecoder::DecodeValue(BinlogByteReader& reader, const BinlogColumn& column) {
  switch (column.type) {
    case BinlogColumnType::kTiny:
      return Integer(reader, column, 1);
    case BinlogColumnType::kShort:
      return Integer(reader, column, 2);
    case BinlogColumnType::kInt24:
      return Integer(reader, column, 3);
    case BinlogColumnType::kLong:
      return Integer(reader, column, 4);
    case BinlogColumnType::kLongLong:
      return Integer(reader, column, 8);
    case BinlogColumnType::kFloat:
      return std::bit_cast<float>(static_cast<uint32_t>(reader.UintLe(4)));
    case BinlogColumnType::kDouble:
      return std::bit_cast<double>(reader.UintLe(8));
    case BinlogColumnType::kNewDecimal: {
      const size_t size = binlog_decoding::PackedDecimalSize(column.precision, column.scale);
      return cv::Decimal{
          binlog_decoding::DecodePackedDecimal(reader.Bytes(size), column.precision, column.scale)};
    }
    case BinlogColumnType::kDate:
    case BinlogColumnType::kNewDate:
      return binlog_decoding::DecodeDate(static_cast<uint32_t>(reader.UintLe(3)));
    case BinlogColumnType::kTime2:
      return cv::Time{binlog_decoding::DecodeTime2(
          reader.Bytes(binlog_decoding::Time2Size(column.fsp)), column.fsp)};
    case BinlogColumnType::kDatetime2:
      return binlog_decoding::DecodeDatetime2(
          reader.Bytes(binlog_decoding::Datetime2Size(column.fsp)), column.fsp);
    case BinlogColumnType::kTimestamp2:
      return binlog_decoding::DecodeTimestamp2(
          reader.Bytes(binlog_decoding::Timestamp2Size(column.fsp)), column.fsp);
    case BinlogColumnType::kTime: {
      // Pre-5.6 TIME: signed 3-byte integer written as [-]HHHMMSS.
      const int64_t packed = SignExtend(reader.UintLe(3), 3);
      const int64_t magnitude = packed < 0 ? -packed : packed;
      const int64_t seconds =
          (magnitude / 10000) * 3600 + (magnitude / 100 % 100) * 60 + magnitude % 100;
      return cv::Time{(packed < 0 ? -seconds : seconds) * 1000000};
    }
    case BinlogColumnType::kDatetime: {
      // Pre-5.6 DATETIME: 8-byte integer written as YYYYMMDDhhmmss.
      const uint64_t packed = reader.UintLe(8);
      const uint64_t date = packed / 1000000;
      const uint64_t clock = packed % 1000000;
      cv::DateTime out;
      out.date = cv::Date{static_cast<int>(date / 10000), static_cast<int>(date / 100 % 100),
                          static_cast<int>(date % 100)};
      out.hour = static_cast<int>(clock / 10000);
      out.minute = static_cast<int>(clock / 100 % 100);
      out.second = static_cast<int>(clock % 100);
      return out;
    }
    case BinlogColumnType::kTimestamp:
      return cv::Timestamp{static_cast<int64_t>(reader.UintLe(4)) * 1000000};
    case BinlogColumnType::kYear: {
      const int value = reader.U8();
      return cv::Year{value == 0 ? 0 : 1900 + value};
    }
    case BinlogColumnType::kVarchar:
    case BinlogColumnType::kVarString:
      return cv::String{CharacterBytes(reader, column.max_length < 256 ? 1 : 2),
                        column.collation_id.value_or(0)};
    case BinlogColumnType::kString: {
      cv::String out{CharacterBytes(reader, column.max_length < 256 ? 1 : 2),
                     column.collation_id.value_or(0)};
      // The server strips BINARY(n)'s trailing 0x00 padding (CHAR's trailing
      // spaces too, which SELECT strips as well): restore BINARY's.
      if (out.collation_id == kBinaryCollation && out.bytes.size() < column.max_length) {
        out.bytes.resize(column.max_length, '\0');
      }
      return out;
    }
    case BinlogColumnType::kTinyBlob:
    case BinlogColumnType::kMediumBlob:
    case BinlogColumnType::kLongBlob:
    case BinlogColumnType::kBlob:
      // Also TEXT, and MariaDB's JSON (a LONGTEXT with a JSON check).
      return cv::String{CharacterBytes(reader, static_cast<size_t>(column.length_bytes)),
                        column.collation_id.value_or(kBinaryCollation)};
    case BinlogColumnType::kGeometry:
      reader.Skip(static_cast<size_t>(reader.UintLe(static_cast<size_t>(column.length_bytes))));
      return cv::Unsupported{"GEOMETRY"};
    case BinlogColumnType::kJson: {
      // MySQL's binary JSON (MariaDB logs JSON as a LONGTEXT BLOB instead).
      const auto length = reader.UintLe(static_cast<size_t>(column.length_bytes));
      return cv::Json{MysqlBinaryJsonToText(reader.Bytes(static_cast<size_t>(length)))};
    }
    case BinlogColumnType::kBit:
      return binlog_decoding::DecodeBit(
          reader.Bytes(static_cast<size_t>((column.bit_width + 7) / 8)), column.bit_width);
    case BinlogColumnType::kEnum: {
      const auto index =
          static_cast<uint32_t>(reader.UintLe(static_cast<size_t>(column.pack_length)));
      cv::Enum out{index, ""};
      if (index >= 1 && index <= column.enum_values.size())
        out.name = column.enum_values[index - 1];
      return out;
    }
    case BinlogColumnType::kSet:
      return binlog_decoding::DecodeSet(reader.UintLe(static_cast<size_t>(column.pack_length)),
                                        column.set_values);
    case BinlogColumnType::kNull:
      return cv::Null{};
    case BinlogColumnType::kDecimal:
      break;
  }
  throw BinlogFormatError("column type " + BinlogColumnTypeName(column.type) +
                          " is not supported by the row decoder");
}

RowsEvent BinlogRowDecoder::Decode(const BinlogEvent& event, const TableMapCache& tables) {
  RowsEvent out;
  bool v2 = false;
  switch (event.type) {
    case BinlogEventType::kWriteRowsV2:
      v2 = true;
      [[fallthrough]];
    case BinlogEventType::kWriteRowsV1:
      out.kind = RowChangeKind::kInsert;
      break;
    case BinlogEventType::kUpdateRowsV2:
      v2 = true;
      [[fallthrough]];
    case BinlogEventType::kUpdateRowsV1:
      out.kind = RowChangeKind::kUpdate;
      break;
    case BinlogEventType::kDeleteRowsV2:
      v2 = true;
      [[fallthrough]];
    case BinlogEventType::kDeleteRowsV1:
      out.kind = RowChangeKind::kDelete;
      break;
    default:
      throw BinlogFormatError("binlog event type " + std::to_string(static_cast<int>(event.type)) +
                              " is not a supported row event (compressed binlog events are not "
                              "supported: turn log_bin_compress off)");
  }
  BinlogByteReader reader(event.body);
  const uint64_t table_id = reader.UintLe(6);
  out.flags = reader.U16();
  if (v2) {
    // v2 extra data: a 2-byte length that counts itself, then extra info
    // (NDB, partition ids) this decoder does not need.
    const uint16_t extra_length = reader.U16();
    if (extra_length < 2) throw BinlogFormatError("row event has an invalid extra-data length");
    reader.Skip(extra_length - 2u);
  }
  out.table = tables.Find(table_id);
  if (out.table == nullptr) {
    throw BinlogFormatError("row event for table id " + std::to_string(table_id) +
                            " without a preceding TABLE_MAP event");
  }
  const TableMap& table = *out.table;
  const uint64_t column_count = reader.PackedInt();
  if (column_count != table.columns.size()) {
    throw BinlogFormatError("row event for " + table.schema + "." + table.table + " has " +
                            std::to_string(column_count) + " columns, its TABLE_MAP " +
                            std::to_string(table.columns.size()));
  }
  const std::vector<bool> present = ReadBitmap(reader, table.columns.size());
  const std::vector<bool> present_after =
      out.kind == RowChangeKind::kUpdate ? ReadBitmap(reader, table.columns.size()) : present;
  while (!reader.empty()) {
    RowChange change;
    switch (out.kind) {
      case RowChangeKind::kInsert:
        change.after = ReadImage(reader, table, present);
        break;
      case RowChangeKind::kDelete:
        change.before = ReadImage(reader, table, present);
        break;
      case RowChangeKind::kUpdate:
        change.before = ReadImage(reader, table, present);
        change.after = ReadImage(reader, table, present_after);
        break;
    }
    out.rows.push_back(std::move(change));
  }
  return out;
}

}  // namespace futureim::source
