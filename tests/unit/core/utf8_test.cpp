#include "core/utf8.h"

#include <string>

#include <gtest/gtest.h>

namespace futureim::core {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_EQ(FirstInvalidUtf8(""), std::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("Zoë ✓ \xF0\x9F\x98\x80"), std::string_view::npos);  // 2, 3, 4 bytes
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x8F\xBF\xBF"), std::string_view::npos);        // U+10FFFF
}

TEST(Utf8Test, PointsAtTheFirstBadSequence) {
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"), 2u);                // never a lead byte
  EXPECT_EQ(FirstInvalidUtf8("a\xC0\xAF"), 1u);             // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("\xE0\x80\x80"), 0u);          // overlong NUL
  EXPECT_EQ(FirstInvalidUtf8("x\xED\xA0\x80"), 1u);         // surrogate U+D800
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);      // past U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("ok\xE2\x9C"), 2u);            // cut short
  EXPECT_EQ(FirstInvalidUtf8("\xC3\x28"), 0u);              // bad continuation
  EXPECT_EQ(FirstInvalidUtf8(std::string("\x80", 1)), 0u);  // lone continuation
}

}  // namespace
}  // namespace futureim::core
