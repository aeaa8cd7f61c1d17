// The packed storage formats of binlog row images, on hand-built bytes. The
// expected bytes follow MySQL's documented encoders (strings/decimal.cc
// decimal2bin, mysys/my_time.cc my_time_packed_to_binary and
// my_datetime_packed_to_binary), computed independently of the decoder.

#include "source/binlog_value_decoding.h"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "source/binlog_byte_reader.h"
#include "source/binlog_column_value.h"
#include "source/binlog_control_events.h"
#include "source/binlog_json.h"
#include "source/binlog_row_decoder.h"
#include "source/binlog_stream.h"
#include "source/binlog_table_map.h"

namespace futureim::source {
namespace {

using Bytes = std::vector<uint8_t>;
namespace bd = binlog_decoding;

TEST(BinlogPackedDecimal, DocumentedExampleFromDecimalCc) {
  // decimal.cc: 1234567890.1234 as DECIMAL(14,4) is 81 0D FB 38 D2 04 D2.
  EXPECT_EQ(bd::PackedDecimalSize(14, 4), 7u);
  EXPECT_EQ(bd::DecodePackedDecimal(Bytes{0x81, 0x0D, 0xFB, 0x38, 0xD2, 0x04, 0xD2}, 14, 4),
            "1234567890.1234");
  EXPECT_EQ(bd::DecodePackedDecimal(Bytes{0x7E, 0xF2, 0x04, 0xC7, 0x2D, 0xFB, 0x2D}, 14, 4),
            "-1234567890.1234");
}

TEST(BinlogPackedDecimal, SmallNegativeAndZero) {
  // DECIMAL(10,2): 8 integer digits in 4 bytes, 2 fraction digits in 1 byte.
  EXPECT_EQ(bd::DecodePackedDecimal(Bytes{0x80, 0x00, 0x00, 0x01, 0x32}, 10, 2), "1.50");
  EXPECT_EQ(bd::DecodePackedDecimal(Bytes{0x7F, 0xFF, 0xFF, 0xFE, 0xCD}, 10, 2), "-1.50");
  EXPECT_EQ(bd::DecodePackedDecimal(Bytes{0x80, 0x00, 0x00, 0x00, 0x00}, 10, 2), "0.00");
  // DECIMAL(5,0): no fraction, no point.
  EXPECT_EQ(bd::DecodePackedDecimal(Bytes{0x80, 0x00, 0x2A}, 5, 0), "42");
  // DECIMAL(4,4): no integer digits.
  EXPECT_EQ(bd::DecodePackedDecimal(Bytes{0x93, 0x88}, 4, 4), "0.5000");
}

TEST(BinlogPackedDecimal, Widest65Comma30BothSigns) {
  // 35 integer digits: a leading group of 8 (4 bytes) + 3 groups of 9;
  // 30 fraction digits: 3 groups of 9 + a trailing group of 3 (2 bytes).
  Bytes max;
  auto put = [&](uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) max.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  put(99999999, 4);
  for (int i = 0; i < 6; ++i) put(999999999, 4);
  put(999, 2);
  max[0] ^= 0x80;
  ASSERT_EQ(max.size(), bd::PackedDecimalSize(65, 30));
  const std::string nines35(35, '9');
  const std::string nines30(30, '9');
  EXPECT_EQ(bd::DecodePackedDecimal(max, 65, 30), nines35 + "." + nines30);
  Bytes min = max;
  for (auto& b : min) b = static_cast<uint8_t>(~b);
  EXPECT_EQ(bd::DecodePackedDecimal(min, 65, 30), "-" + nines35 + "." + nines30);
}

TEST(BinlogPackedDecimal, RejectsWrongSize) {
  EXPECT_THROW(bd::DecodePackedDecimal(Bytes{0x80}, 10, 2), BinlogFormatError);
}

TEST(BinlogTime2, WholeSecondsBothSigns) {
  EXPECT_EQ(bd::DecodeTime2(Bytes{0x4B, 0x91, 0x05}, 0),
            -((838 * 3600 + 59 * 60 + 59) * 1000000LL));
  EXPECT_EQ(bd::DecodeTime2(Bytes{0x80, 0x00, 0x00}, 0), 0);
  EXPECT_EQ(bd::DecodeTime2(Bytes{0xB4, 0x6E, 0xFB}, 0), (838 * 3600 + 59 * 60 + 59) * 1000000LL);
}

TEST(BinlogTime2, NegativeWithFraction) {
  // '-838:59:59.000000' and '-00:00:01.5' as TIME(6).
  EXPECT_EQ(bd::DecodeTime2(Bytes{0x4B, 0x91, 0x05, 0x00, 0x00, 0x00}, 6),
            -((838 * 3600 + 59 * 60 + 59) * 1000000LL));
  EXPECT_EQ(bd::DecodeTime2(Bytes{0x7F, 0xFF, 0xFE, 0xF8, 0x5E, 0xE0}, 6), -1500000);
  // '-00:00:01.5' as TIME(1): integer part -2, fraction byte (char)-50.
  EXPECT_EQ(bd::DecodeTime2(Bytes{0x7F, 0xFF, 0xFE, 0xCE}, 1), -1500000);
  // '12:34:56.789' and its negative as TIME(3).
  const int64_t t = (12 * 3600 + 34 * 60 + 56) * 1000000LL + 789000;
  EXPECT_EQ(bd::DecodeTime2(Bytes{0x80, 0xC8, 0xB8, 0x1E, 0xD2}, 3), t);
  EXPECT_EQ(bd::DecodeTime2(Bytes{0x7F, 0x37, 0x47, 0xE1, 0x2E}, 3), -t);
  EXPECT_EQ(FormatColumnValue(column_value::Time{-t}, 3), "-12:34:56.789");
  EXPECT_EQ(FormatColumnValue(column_value::Time{-1500000}, 6), "-00:00:01.500000");
}

TEST(BinlogDatetime2, ExtremesWithMicroseconds) {
  const auto max = bd::DecodeDatetime2(Bytes{0xFE, 0xF3, 0xFF, 0x7E, 0xFB, 0x0F, 0x42, 0x3F}, 6);
  EXPECT_EQ(FormatColumnValue(max, 6), "9999-12-31 23:59:59.999999");
  const auto min = bd::DecodeDatetime2(Bytes{0x8C, 0xB2, 0x42, 0x00, 0x00, 0x00, 0x00, 0x01}, 6);
  EXPECT_EQ(min.date, (column_value::Date{1000, 1, 1}));
  EXPECT_EQ(min.microsecond, 1);
  EXPECT_FALSE(min.zero());
  // The zero datetime is stored as the bare offset.
  EXPECT_TRUE(bd::DecodeDatetime2(Bytes{0x80, 0x00, 0x00, 0x00, 0x00}, 0).zero());
}

TEST(BinlogTimestamp2, SecondsAndFraction) {
  // 2038-01-19 03:14:07.123 UTC as TIMESTAMP(3): fraction stored as 1230.
  const auto ts = bd::DecodeTimestamp2(Bytes{0x7F, 0xFF, 0xFF, 0xFF, 0x04, 0xCE}, 3);
  EXPECT_EQ(ts.utc_microseconds, 2147483647LL * 1000000 + 123000);
  EXPECT_EQ(FormatColumnValue(ts, 3), "2038-01-19 03:14:07.123");
  // TIMESTAMP(1): fraction byte in hundredths.
  EXPECT_EQ(bd::DecodeTimestamp2(Bytes{0x00, 0x00, 0x00, 0x01, 50}, 1).utc_microseconds, 1500000);
  EXPECT_TRUE(bd::DecodeTimestamp2(Bytes{0, 0, 0, 0}, 0).zero());
}

TEST(BinlogIntegers, MediumintSignExtension) {
  EXPECT_EQ(bd::SignExtend(0x800000, 3), -8388608);
  EXPECT_EQ(bd::SignExtend(0xFFFFFF, 3), -1);
  EXPECT_EQ(bd::SignExtend(0x7FFFFF, 3), 8388607);
  EXPECT_EQ(bd::SignExtend(0x80, 1), -128);
  EXPECT_EQ(bd::SignExtend(0xFFFFFFFFFFFFFFFFull, 8), -1);
}

TEST(BinlogDates, PackedDateAndCivilDays) {
  EXPECT_EQ(bd::DecodeDate(0xFD05D), (column_value::Date{2024, 2, 29}));
  EXPECT_TRUE(bd::DecodeDate(0).zero());
  EXPECT_EQ(bd::DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(bd::CivilFromDays(bd::DaysFromCivil(2024, 2, 29)), (column_value::Date{2024, 2, 29}));
}

TEST(BinlogBits, BigEndianWithWidth) {
  EXPECT_EQ(bd::DecodeBit(Bytes{0x02, 0xAA}, 10).value, 0x2AAu);
  EXPECT_EQ(bd::DecodeBit(Bytes(8, 0xFF), 64).value, 0xFFFFFFFFFFFFFFFFull);
  EXPECT_EQ(bd::DecodeBit(Bytes{0x01}, 1).value, 1u);
  EXPECT_THROW(bd::DecodeBit(Bytes{0x01}, 10), BinlogFormatError);
}

TEST(BinlogSets, BitsToNamesInDefinitionOrder) {
  const std::vector<std::string> names = {"a", "b", "c"};
  EXPECT_EQ(bd::DecodeSet(0b101, names).names, (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(bd::DecodeSet(0, names).names.empty());
  EXPECT_EQ(FormatColumnValue(bd::DecodeSet(0b111, names)), "a,b,c");
}

TEST(BinlogByteReader, PackedIntAndTruncation) {
  Bytes data{0xFA, 0xFC, 0x34, 0x12, 0xFD, 0x01, 0x02, 0x03};
  BinlogByteReader reader(data);
  EXPECT_EQ(reader.PackedInt(), 250u);
  EXPECT_EQ(reader.PackedInt(), 0x1234u);
  EXPECT_EQ(reader.PackedInt(), 0x030201u);
  EXPECT_THROW(reader.U8(), BinlogFormatError);
}

// A TABLE_MAP and a WRITE_ROWS v1 / UPDATE_ROWS v2 event built by hand:
// t(id MEDIUMINT UNSIGNED, s SET('x','y'), c CHAR(4) latin1 NULL).
TEST(BinlogRowDecoder, TableMapAndRowEventsByHand) {
  Bytes map{0x2A, 0,   0,    0,   0,   0,   0x01, 0x00,       // table id 42, flags
            2,    'd', 'b',  0,   1,   't', 0,                // schema, table
            3,    9,   254,  254,                             // 3 columns: INT24, STRING, STRING
            4,    248, 1,    254, 4,                          // metadata: SET pack 1; CHAR len 4
            0x04,                                             // null bitmap: column 2 nullable
            1,    1,   0x80,                                  // SIGNEDNESS: first numeric unsigned
            2,    1,   8,                                     // DEFAULT_CHARSET: latin1_swedish_ci
            4,    7,   2,    'i', 'd', 1,   's',  1,    'c',  // COLUMN_NAME
            5,    5,   2,    1,   'x', 1,   'y',              // SET_STR_VALUE
            8,    1,   0};                                    // SIMPLE_PRIMARY_KEY: column 0
  TableMapCache cache;
  const auto table = cache.Add(ParseTableMap(map, BinlogFlavor::kMariadb));
  ASSERT_EQ(table->columns.size(), 3u);
  EXPECT_EQ(table->schema, "db");
  EXPECT_EQ(table->table, "t");
  EXPECT_TRUE(table->columns[0].is_unsigned);
  EXPECT_EQ(table->columns[1].type, BinlogColumnType::kSet);
  EXPECT_EQ(table->columns[1].set_values, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(table->columns[2].type, BinlogColumnType::kString);
  EXPECT_EQ(table->columns[2].collation_id, 8u);
  EXPECT_EQ(table->columns[2].name, "c");
  EXPECT_TRUE(table->columns[2].nullable);
  EXPECT_EQ(table->primary_key, (std::vector<uint32_t>{0}));

  BinlogEvent write;
  write.type = BinlogEventType::kWriteRowsV1;
  write.body = {0x2A, 0,    0,    0,    0,    0,    0x01, 0x00, 3,
                0x07, 0x00, 0xFF, 0xFF, 0xFF, 0x03, 2,    'h',  'i',  // 16777215, {x,y}, "hi"
                0x04, 0x01, 0x00, 0x00, 0x02};                        // 1, {y}, NULL
  const RowsEvent rows = BinlogRowDecoder::Decode(write, cache);
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_TRUE(rows.statement_end());
  EXPECT_EQ(std::get<uint64_t>(rows.rows[0].after[0]), 16777215u);
  EXPECT_EQ(FormatColumnValue(rows.rows[0].after[1]), "x,y");
  EXPECT_EQ(std::get<column_value::String>(rows.rows[0].after[2]).bytes, "hi");
  EXPECT_EQ(FormatColumnValue(rows.rows[1].after[1]), "y");
  EXPECT_TRUE(std::holds_alternative<column_value::Null>(rows.rows[1].after[2]));

  // v2 with 2 bytes of extra data besides its length; before image has only
  // the key column (MINIMAL-style), after image all columns.
  BinlogEvent update;
  update.type = BinlogEventType::kUpdateRowsV2;
  update.body = {0x2A, 0,    0,    0,    0,    0,    0x01, 0x00, 0x04, 0x00,
                 0xAA, 0xBB, 3,    0x01, 0x07, 0x00, 0x05, 0x00, 0x00,  // before: id 5
                 0x00, 0x06, 0x00, 0x00, 0x01, 1,    'z'};              // after: 6, {x}, "z"
  const RowsEvent updated = BinlogRowDecoder::Decode(update, cache);
  ASSERT_EQ(updated.rows.size(), 1u);
  EXPECT_EQ(updated.kind, RowChangeKind::kUpdate);
  EXPECT_EQ(std::get<uint64_t>(updated.rows[0].before[0]), 5u);
  EXPECT_TRUE(std::holds_alternative<column_value::Absent>(updated.rows[0].before[1]));
  EXPECT_EQ(std::get<uint64_t>(updated.rows[0].after[0]), 6u);
  EXPECT_EQ(FormatColumnValue(updated.rows[0].after[2]), "z");

  BinlogEvent unknown = write;
  unknown.body[0] = 0x2B;
  EXPECT_THROW(BinlogRowDecoder::Decode(unknown, cache), BinlogFormatError);
}

// MariaDB gives YEAR a signedness bit (its field derives from TINYINT),
// MySQL does not: t(y YEAR, b BIGINT UNSIGNED).
TEST(BinlogTableMap, YearSignednessDependsOnTheFlavor) {
  const Bytes map{0x01, 0,   0, 0, 0,  0, 0x01, 0x00, 1, 'd', 0,
                  1,    't', 0, 2, 13, 8, 0,    0x03, 1, 1,   0xC0};  // SIGNEDNESS bits 1,1
  EXPECT_TRUE(ParseTableMap(map, BinlogFlavor::kMariadb).columns[1].is_unsigned);
  const Bytes mysql_map{
      0x01, 0,   0, 0, 0,  0, 0x01, 0x00, 1, 'd', 0,
      1,    't', 0, 2, 13, 8, 0,    0x03, 1, 1,   0x80};  // MySQL: one bit, for the BIGINT
  EXPECT_TRUE(ParseTableMap(mysql_map, BinlogFlavor::kMysql).columns[1].is_unsigned);
  EXPECT_FALSE(ParseTableMap(mysql_map, BinlogFlavor::kMariadb).columns[1].is_unsigned);
}

TEST(BinlogControlEvents, GtidQueryXidRotate) {
  BinlogEvent gtid;
  gtid.type = BinlogEventType::kMariadbGtid;
  gtid.server_id = 1;
  gtid.body = {7, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, GtidEvent::kStandalone | GtidEvent::kDdl};
  const GtidEvent g = ParseGtidEvent(gtid);
  EXPECT_EQ(g.ToString(), "3-1-7");
  EXPECT_TRUE(g.standalone());
  EXPECT_TRUE(g.ddl());

  BinlogEvent query;
  query.type = BinlogEventType::kQuery;
  query.body = {1, 0,    0,   0,   0, 0,   0,   0,   2,   0,   0,   1,
                0, 0xAA, 'd', 'b', 0, ' ', 'b', 'e', 'g', 'i', 'n', ' '};
  const QueryEvent q = ParseQueryEvent(query);
  EXPECT_EQ(q.schema, "db");
  EXPECT_TRUE(q.IsBegin());
  EXPECT_FALSE(q.IsCommit());

  BinlogEvent xid;
  xid.type = BinlogEventType::kXid;
  xid.body = {0x10, 0x20, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(ParseXidEvent(xid).xid, 0x2010u);

  BinlogEvent rotate;
  rotate.type = BinlogEventType::kRotate;
  rotate.body = {4, 0, 0, 0, 0, 0, 0, 0, 'b', '.', '2'};
  const RotateEvent r = ParseRotateEvent(rotate);
  EXPECT_EQ(r.next, (BinlogPosition{"b.2", 4}));
  EXPECT_TRUE(r.artificial);
}

// MySQL binary JSON after sql-common/json_binary.cc's format description:
// {"a": [1, 2.5, "x"], "b": null} as a small object holding a small array
// (keys and values at offsets relative to their container; small scalars
// inlined in the entries).
TEST(BinlogMysqlJson, NestedObjectAndArray) {
  const Bytes doc{0x00,                                            // small object
                  0x02, 0x00, 0x2B, 0x00,                          // 2 members, 43 bytes
                  0x12, 0x00, 0x01, 0x00, 0x13, 0x00, 0x01, 0x00,  // keys at 18, 19
                  0x02, 0x14, 0x00,                                // "a": array at 20
                  0x04, 0x00, 0x00,                                // "b": null (inlined)
                  'a',  'b',                                       // keys
                  0x03, 0x00, 0x17, 0x00,                          // array: 3 elements, 23 bytes
                  0x05, 0x01, 0x00,                                // int16 1 (inlined)
                  0x0B, 0x0D, 0x00,                                // double at 13
                  0x0C, 0x15, 0x00,                                // string at 21
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x40,  // 2.5
                  0x01, 'x'};
  EXPECT_EQ(MysqlBinaryJsonToText(doc), R"({"a": [1, 2.5, "x"], "b": null})");
}

TEST(BinlogMysqlJson, ScalarsEscapesAndOpaqueDecimal) {
  EXPECT_EQ(MysqlBinaryJsonToText(Bytes{}), "null");
  EXPECT_EQ(MysqlBinaryJsonToText(Bytes{0x04, 0x01}), "true");
  EXPECT_EQ(MysqlBinaryJsonToText(Bytes{0x0C, 0x04, 'a', '"', '\\', '\n'}), R"("a\"\\\n")");
  EXPECT_EQ(MysqlBinaryJsonToText(Bytes{0x09, 0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
            "-5");
  EXPECT_EQ(MysqlBinaryJsonToText(Bytes{0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
            "18446744073709551615");
  EXPECT_EQ(MysqlBinaryJsonToText(Bytes{0x0B, 0, 0, 0, 0, 0, 0, 0x08, 0x40}), "3.0");
  // DECIMAL(10,2) 1.50 as opaque: field type 246, length 7, precision, scale, bytes.
  EXPECT_EQ(MysqlBinaryJsonToText(Bytes{0x0F, 246, 7, 10, 2, 0x80, 0x00, 0x00, 0x01, 0x32}),
            "1.50");
  EXPECT_THROW(MysqlBinaryJsonToText(Bytes{0x00, 0x05, 0x00}), BinlogFormatError);
  EXPECT_THROW(MysqlBinaryJsonToText(Bytes{0x0E}), BinlogFormatError);
}

TEST(BinlogCrc32, KnownVector) {
  const std::string text = "123456789";
  EXPECT_EQ(BinlogCrc32(reinterpret_cast<const uint8_t*>(text.data()), text.size()), 0xCBF43926u);
}

}  // namespace
}  // namespace futureim::source
