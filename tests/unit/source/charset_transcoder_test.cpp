// CharsetTranscoder on known byte sequences.

#include "source/charset_transcoder.h"

#include <string>

#include <gtest/gtest.h>

#include "core/error.h"

namespace futureim {
namespace {

using source::CharsetTranscoder;

CharsetTranscoder Transcoder() {
  return CharsetTranscoder({{8, "latin1"},  {45, "utf8mb4"}, {33, "utf8mb3"}, {11, "ascii"},
                            {63, "binary"}, {51, "cp1251"},  {9, "latin2"},   {25, "greek"},
                            {35, "ucs2"},   {54, "utf16"},   {56, "utf16le"}, {60, "utf32"},
                            {28, "gbk"},    {1, "big5"},     {13, "sjis"},    {12, "ujis"},
                            {19, "euckr"},  {95, "cp932"},   {18, "tis620"},  {7, "koi8r"},
                            {37, "swe7"}});
}

TEST(CharsetTranscoderTest, Latin1IsMysqlsCp1252) {
  const auto t = Transcoder();
  EXPECT_EQ(t.ToUtf8("\x80", 8), "€");
  EXPECT_EQ(t.ToUtf8("caf\xE9", 8), "café");
  EXPECT_EQ(t.ToUtf8("\x9F\xFF\xA0", 8), "Ÿÿ\u00A0");
  // The five bytes cp1252 leaves undefined are the C1 controls.
  EXPECT_EQ(t.ToUtf8("\x81\x8D\x8F\x90\x9D", 8), "\u0081\u008D\u008F\u0090\u009D");
  EXPECT_EQ(t.ToUtf8(std::string("a\0b", 3), 8), std::string("a\0b", 3));
  // Every byte has a character: 256 bytes give 256 code points.
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string utf8 = t.ToUtf8(all, 8);
  size_t code_points = 0;
  for (const char c : utf8) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  EXPECT_EQ(code_points, 256u);
}

TEST(CharsetTranscoderTest, UnicodeIsValidatedAndPassedThrough) {
  const auto t = Transcoder();
  EXPECT_EQ(t.ToUtf8("😀 é 𝄞", 45), "😀 é 𝄞");
  EXPECT_EQ(t.ToUtf8("", 45), "");
  EXPECT_EQ(t.ToUtf8("abc", 11), "abc");
  EXPECT_EQ(t.ToUtf8("é", 33), "é");
  EXPECT_THROW(t.ToUtf8("\xC3", 45), core::Error);              // truncated
  EXPECT_THROW(t.ToUtf8("\xC0\xAF", 45), core::Error);          // overlong '/'
  EXPECT_THROW(t.ToUtf8("\xED\xA0\x80", 45), core::Error);      // surrogate
  EXPECT_THROW(t.ToUtf8("\xF4\x90\x80\x80", 45), core::Error);  // past U+10FFFF
  EXPECT_THROW(t.ToUtf8("\xFF", 45), core::Error);
  EXPECT_THROW(t.ToUtf8("caf\xC3\xA9", 11), core::Error);  // ascii
}

TEST(CharsetTranscoderTest, OtherCharsetsGoThroughIconv) {
  const auto t = Transcoder();
  EXPECT_EQ(t.ToUtf8("\xCF\xF0\xE8\xE2\xE5\xF2", 51), "Привет");
  EXPECT_EQ(t.ToUtf8("\x88", 51), "€");
  EXPECT_EQ(t.ToUtf8("\xB1\xB9\xBE", 9), "ąšž");
  EXPECT_EQ(t.ToUtf8("\xE1", 25), "α");
  EXPECT_EQ(t.ToUtf8("\xF0\xD2\xC9", 7), "При");
  EXPECT_EQ(t.ToUtf8(std::string("\x00\xE9\x20\xAC", 4), 35), "é€");
  EXPECT_EQ(t.ToUtf8(std::string("\xD8\x3D\xDE\x00", 4), 54), "😀");
  EXPECT_EQ(t.ToUtf8(std::string("\x3D\xD8\x00\xDE", 4), 56), "😀");
  EXPECT_EQ(t.ToUtf8(std::string("\x00\x01\xF6\x00", 4), 60), "😀");
  EXPECT_EQ(t.ToUtf8("\xD6\xD0\xCE\xC4", 28), "中文");
  EXPECT_EQ(t.ToUtf8("\xA4\xA4\xA4\xE5", 1), "中文");
  EXPECT_EQ(t.ToUtf8("\x93\xFA\x96\x7B", 13), "日本");
  EXPECT_EQ(t.ToUtf8("\xC6\xFC\xCB\xDC", 12), "日本");
  EXPECT_EQ(t.ToUtf8("\xC7\xD1\xB1\xDB", 19), "한글");
  EXPECT_EQ(t.ToUtf8("\x87\x40", 95), "①");  // an NEC extension: cp932, not sjis
  EXPECT_EQ(t.ToUtf8("\xA1", 18), "ก");
  // The converter is reused: state does not leak between values.
  EXPECT_EQ(t.ToUtf8("\xD6\xD0", 28), "中");
}

TEST(CharsetTranscoderTest, InvalidBytesAndUnknownCollationsNameTheCollation) {
  const auto t = Transcoder();
  try {
    t.ToUtf8("ok\xFF\xFF", 28);
    FAIL() << "invalid GBK was accepted";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("collation 28 (charset gbk)"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("byte 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(t.ToUtf8("\xD6", 28), core::Error);  // truncated multibyte
  try {
    t.ToUtf8("x", 999);
    FAIL() << "an unknown collation was accepted";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("collation 999"), std::string::npos) << e.what();
  }
  EXPECT_THROW(t.ToUtf8("x", 37), core::Error);  // swe7: no converter
  EXPECT_THROW(t.ToUtf8("x", 63), core::Error);  // binary is not text
  EXPECT_TRUE(t.IsText(8));
  EXPECT_FALSE(t.IsText(63));
}

}  // namespace
}  // namespace futureim
