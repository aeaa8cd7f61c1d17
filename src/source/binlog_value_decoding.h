#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "source/binlog_column_value.h"

// The pure decoding functions for the packed storage formats of row images,
// after MySQL's documented formats (strings/decimal.cc, mysys/my_time.cc,
// sql/log_event.cc); each takes exactly the bytes of one value.
namespace futureim::source::binlog_decoding {

// Two's-complement sign extension of a `bytes`-wide little-endian integer
// (MEDIUMINT is 3 bytes).
int64_t SignExtend(uint64_t value, size_t bytes);

// DECIMAL(precision, scale) packed binary form: base-10^9 groups stored
// big-endian, the sign in the top bit (inverted), negative values stored
// one's-complemented. Returns the server's text, e.g. "-1.50" for (3,2).
size_t PackedDecimalSize(int precision, int scale);
std::string DecodePackedDecimal(std::span<const uint8_t> bytes, int precision, int scale);

// Number of fractional-second bytes for fsp 0..6: ceil(fsp / 2).
inline size_t FractionBytes(int fsp) { return static_cast<size_t>((fsp + 1) / 2); }

// TIME2 (MySQL 5.6+ / MariaDB 10.1+ format): 3 bytes big-endian of
// sign-offset "hhh hhhhhhhhhh mmmmmm ssssss" then the fraction; negative
// values borrow from the integer part. Returns signed microseconds.
size_t Time2Size(int fsp);
int64_t DecodeTime2(std::span<const uint8_t> bytes, int fsp);

// DATETIME2: 5 bytes big-endian, offset 2^39: year*13+month (17 bits), day
// (5), hour (5), minute (6), second (6); then the fraction.
size_t Datetime2Size(int fsp);
column_value::DateTime DecodeDatetime2(std::span<const uint8_t> bytes, int fsp);

// TIMESTAMP2: 4 bytes big-endian seconds since the epoch (UTC), then the
// fraction.
size_t Timestamp2Size(int fsp);
column_value::Timestamp DecodeTimestamp2(std::span<const uint8_t> bytes, int fsp);

// DATE: 3 bytes little-endian, year << 9 | month << 5 | day.
column_value::Date DecodeDate(uint32_t packed);

// BIT(width): ceil(width / 8) bytes big-endian.
column_value::Bit DecodeBit(std::span<const uint8_t> bytes, int width);

// SET: bit i set means the i-th value (definition order) is in the set.
column_value::Set DecodeSet(uint64_t bits, const std::vector<std::string>& names);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int year, int month, int day);
column_value::Date CivilFromDays(int64_t days);

}  // namespace futureim::source::binlog_decoding
