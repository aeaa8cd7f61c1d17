#include "source/binlog_json.h"

#include <bit>
#include <charconv>
#include <cstdio>

#include "source/binlog_byte_reader.h"
#include "source/binlog_column_value.h"
#include "source/binlog_value_decoding.h"

namespace futureim::source {
namespace {

enum JsonType : uint8_t {
  kSmallObject = 0x00,
  kLargeObject = 0x01,
  kSmallArray = 0x02,
  kLargeArray = 0x03,
  kLiteral = 0x04,
  kInt16 = 0x05,
  kUint16 = 0x06,
  kInt32 = 0x07,
  kUint32 = 0x08,
  kInt64 = 0x09,
  kUint64 = 0x0A,
  kDouble = 0x0B,
  kString = 0x0C,
  kOpaque = 0x0F,
};

// Nesting is bounded by the server (100 levels); refuse more rather than
// recurse without limit on hostile input.
constexpr int kMaxDepth = 150;

class JsonTextWriter {
 public:
  explicit JsonTextWriter(std::span<const uint8_t> doc) : doc_(doc) {}

  std::string Run() {
    if (doc_.empty()) return "null";
    WriteValue(doc_[0], doc_.subspan(1), 0);
    return std::move(out_);
  }

 private:
  // `data` starts at the value (after its type byte) and runs to the end of
  // the enclosing container, since offsets inside are relative to it.
  void WriteValue(uint8_t type, std::span<const uint8_t> data, int depth) {
    if (depth > kMaxDepth) throw BinlogFormatError("JSON value nested too deeply");
    BinlogByteReader reader(data);
    switch (type) {
      case kSmallObject:
      case kLargeObject:
        WriteContainer(data, type == kLargeObject, /*object=*/true, depth);
        return;
      case kSmallArray:
      case kLargeArray:
        WriteContainer(data, type == kLargeArray, /*object=*/false, depth);
        return;
      case kLiteral:
        WriteLiteral(reader.U8());
        return;
      case kInt16:
        out_ += std::to_string(static_cast<int16_t>(reader.U16()));
        return;
      case kUint16:
        out_ += std::to_string(reader.U16());
        return;
      case kInt32:
        out_ += std::to_string(static_cast<int32_t>(reader.U32()));
        return;
      case kUint32:
        out_ += std::to_string(reader.U32());
        return;
      case kInt64:
        out_ += std::to_string(static_cast<int64_t>(reader.U64()));
        return;
      case kUint64:
        out_ += std::to_string(reader.U64());
        return;
      case kDouble:
        WriteDouble(std::bit_cast<double>(reader.U64()));
        return;
      case kString: {
        const uint64_t length = VariableLength(reader);
        WriteString(reader.Text(static_cast<size_t>(length)));
        return;
      }
      case kOpaque: {
        const uint8_t field_type = reader.U8();
        const uint64_t length = VariableLength(reader);
        WriteOpaque(field_type, reader.Bytes(static_cast<size_t>(length)));
        return;
      }
      default:
        throw BinlogFormatError("unknown MySQL binary JSON type " + std::to_string(type));
    }
  }

  void WriteContainer(std::span<const uint8_t> data, bool large, bool object, int depth) {
    BinlogByteReader header(data);
    const size_t word = large ? 4 : 2;
    const uint64_t count = header.UintLe(word);
    const uint64_t size = header.UintLe(word);
    if (size > data.size()) throw BinlogFormatError("MySQL binary JSON container is truncated");
    const auto container = data.first(static_cast<size_t>(size));
    BinlogByteReader entries(container);
    entries.Skip(2 * word);
    std::vector<std::string_view> keys;
    if (object) {
      for (uint64_t i = 0; i < count; ++i) {
        const uint64_t offset = entries.UintLe(word);
        const uint16_t length = entries.U16();
        BinlogByteReader key(container);
        key.Skip(static_cast<size_t>(offset));
        keys.push_back(key.Text(length));
      }
    }
    out_ += object ? '{' : '[';
    for (uint64_t i = 0; i < count; ++i) {
      if (i > 0) out_ += ", ";
      if (object) {
        WriteString(keys[i]);
        out_ += ": ";
      }
      const uint8_t type = entries.U8();
      // Small scalars are stored in the entry itself instead of an offset.
      const bool inlined = type == kLiteral || type == kInt16 || type == kUint16 ||
                           (large && (type == kInt32 || type == kUint32));
      if (inlined) {
        WriteValue(type, entries.Bytes(word), depth + 1);
      } else {
        const uint64_t offset = entries.UintLe(word);
        if (offset >= container.size()) throw BinlogFormatError("MySQL binary JSON bad offset");
        WriteValue(type, container.subspan(static_cast<size_t>(offset)), depth + 1);
      }
    }
    out_ += object ? '}' : ']';
  }

  static uint64_t VariableLength(BinlogByteReader& reader) {
    uint64_t length = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      const uint8_t b = reader.U8();
      length |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return length;
    }
    throw BinlogFormatError("MySQL binary JSON string length is invalid");
  }

  void WriteLiteral(uint8_t literal) {
    switch (literal) {
      case 0:
        out_ += "null";
        return;
      case 1:
        out_ += "true";
        return;
      case 2:
        out_ += "false";
        return;
      default:
        throw BinlogFormatError("unknown MySQL binary JSON literal");
    }
  }

  void WriteDouble(double value) {
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof buf, value);
    std::string text(buf, result.ptr);
    // MySQL prints integral doubles with ".0" (e.g. 3.0) to keep them doubles.
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    out_ += text;
  }

  void WriteString(std::string_view text) {
    out_ += '"';
    for (char c : text) {
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
            out_ += buf;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  // Temporal opaque values hold MySQL's 8-byte packed longlong:
  // ((year*13+month)<<22 | day<<17 | hour<<12 | minute<<6 | second) << 24
  // | microseconds; TIME packs only hour<<12 | minute<<6 | second and is
  // negative for negative times.
  void WriteOpaque(uint8_t field_type, std::span<const uint8_t> data) {
    constexpr uint8_t kNewDecimal = 246, kDate = 10, kTime = 11, kDatetime = 12, kTimestamp = 7;
    if (field_type == kNewDecimal && data.size() >= 2) {
      const int precision = data[0];
      const int scale = data[1];
      out_ += binlog_decoding::DecodePackedDecimal(data.subspan(2), precision, scale);
      return;
    }
    if ((field_type == kDate || field_type == kTime || field_type == kDatetime ||
         field_type == kTimestamp) &&
        data.size() == 8) {
      BinlogByteReader reader(data);
      const int64_t packed = static_cast<int64_t>(reader.U64());
      const uint64_t magnitude = static_cast<uint64_t>(packed < 0 ? -packed : packed);
      const int64_t micros = static_cast<int64_t>(magnitude % (uint64_t{1} << 24));
      const uint64_t whole = magnitude >> 24;
      if (field_type == kTime) {
        const uint64_t hms = whole;
        const int64_t seconds = static_cast<int64_t>(((hms >> 12) % (1 << 10)) * 3600 +
                                                     ((hms >> 6) % 64) * 60 + hms % 64);
        const int64_t total = seconds * 1000000 + micros;
        out_ += '"' +
                FormatColumnValue(column_value::Time{packed < 0 ? -total : total}, micros ? 6 : 0) +
                '"';
        return;
      }
      const uint64_t ymd = whole >> 17;
      const uint64_t hms = whole % (uint64_t{1} << 17);
      column_value::DateTime dt;
      dt.date = column_value::Date{static_cast<int>((ymd >> 5) / 13),
                                   static_cast<int>((ymd >> 5) % 13), static_cast<int>(ymd % 32)};
      dt.hour = static_cast<int>(hms >> 12);
      dt.minute = static_cast<int>((hms >> 6) % 64);
      dt.second = static_cast<int>(hms % 64);
      dt.microsecond = static_cast<int>(micros);
      out_ += '"' +
              (field_type == kDate ? FormatColumnValue(dt.date)
                                   : FormatColumnValue(dt, micros ? 6 : 0)) +
              '"';
      return;
    }
    static const char* kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string encoded;
    for (size_t i = 0; i < data.size(); i += 3) {
      uint32_t chunk = static_cast<uint32_t>(data[i]) << 16;
      if (i + 1 < data.size()) chunk |= static_cast<uint32_t>(data[i + 1]) << 8;
      if (i + 2 < data.size()) chunk |= data[i + 2];
      encoded += kBase64[(chunk >> 18) & 63];
      encoded += kBase64[(chunk >> 12) & 63];
      encoded += i + 1 < data.size() ? kBase64[(chunk >> 6) & 63] : '=';
      encoded += i + 2 < data.size() ? kBase64[chunk & 63] : '=';
    }
    out_ += "\"base64:type" + std::to_string(field_type) + ":" + encoded + '"';
  }

  std::span<const uint8_t> doc_;
  std::string out_;
};

}  // namespace

std::string MysqlBinaryJsonToText(std::span<const uint8_t> value) {
  return JsonTextWriter(value).Run();
}

}  // namespace futureim::source
