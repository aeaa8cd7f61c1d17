#include "source/binlog_value_decoding.h"

#include <array>

#include "core/civil_date.h"
#include "source/binlog_byte_reader.h"

namespace futureim::source::binlog_decoding {
namespace {

// Bytes needed for a leftover group of 0..8 decimal digits.
constexpr std::array<int, 10> kDigitsToBytes = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr int kDigitsPerGroup = 9;

// The fraction as stored after the integer part of TIME2/DATETIME2/
// TIMESTAMP2, in microseconds (unsigned reading; TIME2 fixes the sign).
int64_t ReadFraction(BinlogByteReader& reader, int fsp) {
  switch (fsp) {
    case 0:
      return 0;
    case 1:
    case 2:
      return static_cast<int64_t>(reader.UintBe(1)) * 10000;
    case 3:
    case 4:
      return static_cast<int64_t>(reader.UintBe(2)) * 100;
    case 5:
    case 6:
      return static_cast<int64_t>(reader.UintBe(3));
    default:
      throw BinlogFormatError("invalid fractional-second precision " + std::to_string(fsp));
  }
}

void CheckFsp(int fsp) {
  if (fsp < 0 || fsp > 6) {
    throw BinlogFormatError("invalid fractional-second precision " + std::to_string(fsp));
  }
}

}  // namespace

int64_t SignExtend(uint64_t value, size_t bytes) {
  if (bytes >= 8) return static_cast<int64_t>(value);
  const uint64_t sign_bit = uint64_t{1} << (bytes * 8 - 1);
  const uint64_t mask = (sign_bit << 1) - 1;
  value &= mask;
  return static_cast<int64_t>((value ^ sign_bit) - sign_bit);
}

size_t PackedDecimalSize(int precision, int scale) {
  const int integer_digits = precision - scale;
  return static_cast<size_t>(
      (integer_digits / kDigitsPerGroup) * 4 + kDigitsToBytes[integer_digits % kDigitsPerGroup] +
      (scale / kDigitsPerGroup) * 4 + kDigitsToBytes[scale % kDigitsPerGroup]);
}

std::string DecodePackedDecimal(std::span<const uint8_t> bytes, int precision, int scale) {
  if (precision < 1 || precision > 65 || scale < 0 || scale > 30 || scale > precision) {
    throw BinlogFormatError("invalid DECIMAL(" + std::to_string(precision) + "," +
                            std::to_string(scale) + ")");
  }
  const size_t size = PackedDecimalSize(precision, scale);
  if (bytes.size() != size) throw BinlogFormatError("DECIMAL value has the wrong size");
  // Undo the storage transform: the sign bit is stored inverted, and
  // negative numbers are stored with every byte complemented.
  std::vector<uint8_t> buf(bytes.begin(), bytes.end());
  const bool negative = (buf[0] & 0x80) == 0;
  buf[0] ^= 0x80;
  if (negative) {
    for (auto& b : buf) b = static_cast<uint8_t>(~b);
  }
  BinlogByteReader reader(buf);
  const int integer_digits = precision - scale;
  const int leading_digits = integer_digits % kDigitsPerGroup;
  const int integer_groups = integer_digits / kDigitsPerGroup;
  const int fraction_groups = scale / kDigitsPerGroup;
  const int trailing_digits = scale % kDigitsPerGroup;

  std::string integer_part;
  auto append_group = [](std::string& out, uint64_t value, int width) {
    std::string digits = std::to_string(value);
    if (static_cast<int>(digits.size()) > width) {
      throw BinlogFormatError("DECIMAL group out of range");
    }
    out.append(static_cast<size_t>(width) - digits.size(), '0');
    out += digits;
  };
  if (leading_digits > 0) {
    append_group(integer_part, reader.UintBe(kDigitsToBytes[leading_digits]), leading_digits);
  }
  for (int i = 0; i < integer_groups; ++i) append_group(integer_part, reader.UintBe(4), 9);
  std::string fraction_part;
  for (int i = 0; i < fraction_groups; ++i) append_group(fraction_part, reader.UintBe(4), 9);
  if (trailing_digits > 0) {
    append_group(fraction_part, reader.UintBe(kDigitsToBytes[trailing_digits]), trailing_digits);
  }
  const size_t first_nonzero = integer_part.find_first_not_of('0');
  integer_part = first_nonzero == std::string::npos ? "0" : integer_part.substr(first_nonzero);
  const bool is_zero =
      integer_part == "0" && fraction_part.find_first_not_of('0') == std::string::npos;
  std::string text = (negative && !is_zero) ? "-" : "";
  text += integer_part;
  if (scale > 0) text += "." + fraction_part;
  return text;
}

size_t Time2Size(int fsp) {
  CheckFsp(fsp);
  return 3 + FractionBytes(fsp);
}

int64_t DecodeTime2(std::span<const uint8_t> bytes, int fsp) {
  CheckFsp(fsp);
  if (bytes.size() != Time2Size(fsp)) throw BinlogFormatError("TIME value has the wrong size");
  BinlogByteReader reader(bytes);
  constexpr int64_t kIntOffset = 0x800000;
  int64_t packed;  // (hms << 24) + microseconds, signed, as MySQL's "packed time"
  if (fsp >= 5) {
    // 6 bytes read as one number with offset 2^47.
    packed = static_cast<int64_t>(reader.UintBe(6)) - (int64_t{0x800000} << 24);
  } else {
    int64_t integer = static_cast<int64_t>(reader.UintBe(3)) - kIntOffset;
    int64_t fraction = 0;
    if (fsp == 1 || fsp == 2) {
      fraction = static_cast<int64_t>(reader.UintBe(1));
      // A negative value with a fraction is stored with its integer part
      // one lower and the fraction as its complement (-1.5 s as -2 and
      // +0.5 s); undo that as MySQL's my_time_packed_from_binary does.
      if (integer < 0 && fraction != 0) {
        integer++;
        fraction -= 0x100;
      }
      fraction *= 10000;
    } else if (fsp == 3 || fsp == 4) {
      fraction = static_cast<int64_t>(reader.UintBe(2));
      if (integer < 0 && fraction != 0) {
        integer++;
        fraction -= 0x10000;
      }
      fraction *= 100;
    }
    packed = integer * (int64_t{1} << 24) + fraction;
  }
  const bool negative = packed < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-packed) : static_cast<uint64_t>(packed);
  const uint64_t hms = magnitude >> 24;
  const uint64_t micros = magnitude % (uint64_t{1} << 24);
  const uint64_t hours = (hms >> 12) % (1 << 10);
  const uint64_t minutes = (hms >> 6) % (1 << 6);
  const uint64_t seconds = hms % (1 << 6);
  const int64_t total =
      static_cast<int64_t>(((hours * 60 + minutes) * 60 + seconds) * 1000000 + micros);
  return negative ? -total : total;
}

size_t Datetime2Size(int fsp) {
  CheckFsp(fsp);
  return 5 + FractionBytes(fsp);
}

column_value::DateTime DecodeDatetime2(std::span<const uint8_t> bytes, int fsp) {
  CheckFsp(fsp);
  if (bytes.size() != Datetime2Size(fsp)) {
    throw BinlogFormatError("DATETIME value has the wrong size");
  }
  BinlogByteReader reader(bytes);
  const int64_t packed = static_cast<int64_t>(reader.UintBe(5)) - (int64_t{1} << 39);
  const int64_t fraction = ReadFraction(reader, fsp);
  const uint64_t value = static_cast<uint64_t>(packed < 0 ? -packed : packed);
  const uint64_t ymd = value >> 17;
  const uint64_t year_month = ymd >> 5;
  const uint64_t hms = value % (uint64_t{1} << 17);
  column_value::DateTime out;
  out.date.year = static_cast<int>(year_month / 13);
  out.date.month = static_cast<int>(year_month % 13);
  out.date.day = static_cast<int>(ymd % 32);
  out.hour = static_cast<int>(hms >> 12);
  out.minute = static_cast<int>((hms >> 6) % 64);
  out.second = static_cast<int>(hms % 64);
  out.microsecond = static_cast<int>(fraction);
  return out;
}

size_t Timestamp2Size(int fsp) {
  CheckFsp(fsp);
  return 4 + FractionBytes(fsp);
}

column_value::Timestamp DecodeTimestamp2(std::span<const uint8_t> bytes, int fsp) {
  CheckFsp(fsp);
  if (bytes.size() != Timestamp2Size(fsp)) {
    throw BinlogFormatError("TIMESTAMP value has the wrong size");
  }
  BinlogByteReader reader(bytes);
  const int64_t seconds = static_cast<int64_t>(reader.UintBe(4));
  const int64_t fraction = ReadFraction(reader, fsp);
  return column_value::Timestamp{seconds * 1000000 + fraction};
}

column_value::Date DecodeDate(uint32_t packed) {
  return column_value::Date{static_cast<int>(packed >> 9), static_cast<int>((packed >> 5) & 15),
                            static_cast<int>(packed & 31)};
}

column_value::Bit DecodeBit(std::span<const uint8_t> bytes, int width) {
  if (width < 1 || width > 64 || bytes.size() != static_cast<size_t>((width + 7) / 8)) {
    throw BinlogFormatError("BIT value has the wrong size");
  }
  BinlogByteReader reader(bytes);
  return column_value::Bit{reader.UintBe(bytes.size()), width};
}

column_value::Set DecodeSet(uint64_t bits, const std::vector<std::string>& names) {
  column_value::Set out;
  out.bits = bits;
  for (size_t i = 0; i < names.size() && i < 64; ++i) {
    if (bits & (uint64_t{1} << i)) out.names.push_back(names[i]);
  }
  return out;
}

// The binlog's own spelling of core's civil date conversion.
int64_t DaysFromCivil(int year, int month, int day) {
  return core::DaysFromCivil({year, month, day});
}

column_value::Date CivilFromDays(int64_t days) {
  const core::CivilDate date = core::CivilFromDays(days);
  return column_value::Date{date.year, date.month, date.day};
}

}  // namespace futureim::source::binlog_decoding
