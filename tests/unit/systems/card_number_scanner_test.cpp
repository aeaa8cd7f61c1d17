#include "systems/compliance/card_number_scanner.h"

#include <gtest/gtest.h>

namespace futureim::systems::compliance {
namespace {

TEST(CardNumberScanner, LuhnAcceptsValidNumbersOnly) {
  EXPECT_TRUE(PassesLuhn("4111111111111111"));
  EXPECT_TRUE(PassesLuhn("79927398713"));
  EXPECT_FALSE(PassesLuhn("4111111111111112"));
  EXPECT_FALSE(PassesLuhn("79927398710"));
  EXPECT_FALSE(PassesLuhn(""));
  EXPECT_FALSE(PassesLuhn("4111-1111"));
}

TEST(CardNumberScanner, BrandsByPrefixAndLength) {
  EXPECT_EQ(CardBrand("4111111111111111"), "visa");
  EXPECT_EQ(CardBrand("5500005555555559"), "mastercard");
  EXPECT_EQ(CardBrand("2223000048400011"), "mastercard");
  EXPECT_EQ(CardBrand("378282246310005"), "amex");
  EXPECT_EQ(CardBrand("6011111111111117"), "discover");
  EXPECT_EQ(CardBrand("3530111333300000"), "jcb");
  EXPECT_EQ(CardBrand("30569309025904"), "diners");
  EXPECT_EQ(CardBrand("1234567890123452"), "");
  EXPECT_EQ(CardBrand("411111111111111"), "");  // visa has no 15-digit numbers
}

TEST(CardNumberScanner, FindsNumbersWithSeparatorsInsideText) {
  const auto matches = FindCardNumbers(
      "please charge 4111 1111 1111 1111 and refund 3782-822463-10005, not 4111111111111112");
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].digits, "4111111111111111");
  EXPECT_EQ(matches[0].brand, "visa");
  EXPECT_EQ(matches[0].offset, 14u);
  EXPECT_EQ(matches[1].digits, "378282246310005");
  EXPECT_EQ(matches[1].brand, "amex");
}

TEST(CardNumberScanner, IgnoresIdentifiersPhoneNumbersAndDigitsInsideWords) {
  EXPECT_TRUE(FindCardNumbers("0193858f-7a68-7e10-aae2-d25985296c31").empty());  // a UUID
  EXPECT_TRUE(FindCardNumbers("+1 415 555 0134").empty());
  EXPECT_TRUE(FindCardNumbers("1Z4111111111111111").empty());  // a tracking code's tail
  EXPECT_TRUE(FindCardNumbers("txn_4111111111111111x").empty());
  EXPECT_TRUE(FindCardNumbers("41111111111111110").empty());  // 17 digits, fails Luhn
  EXPECT_TRUE(FindCardNumbers("").empty());
}

// Every value below holds a Luhn-valid, brand-prefixed 16-digit run that is
// part of a longer token, the way prod JSON documents, ids and tokens do.
TEST(CardNumberScanner, IgnoresCardLikeDigitsGluedToALongerToken) {
  EXPECT_TRUE(FindCardNumbers(R"({"strength":0.4111111111111111,"value":2})").empty());
  EXPECT_TRUE(FindCardNumbers("12.4111111111111111").empty());
  EXPECT_TRUE(FindCardNumbers("4111111111111111.25").empty());
  EXPECT_TRUE(FindCardNumbers("1,4111111111111111").empty());
  EXPECT_TRUE(FindCardNumbers("txn_4111111111111111").empty());
  EXPECT_TRUE(FindCardNumbers("tok_4111111111111111").empty());
  EXPECT_TRUE(FindCardNumbers("+4111111111111111").empty());
  EXPECT_TRUE(FindCardNumbers("ORD-4111111111111111").empty());
  EXPECT_TRUE(FindCardNumbers("4111111111111111-ab").empty());
  EXPECT_TRUE(FindCardNumbers("4111111111111111e3").empty());
  // Small numbers one space apart are not a grouped PAN (4 1 1 1 ... 1).
  EXPECT_TRUE(FindCardNumbers("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1").empty());
  // Mixed separators are not how a PAN is written.
  EXPECT_TRUE(FindCardNumbers("4111 1111-1111 1111").empty());
}

TEST(CardNumberScanner, FindsStandaloneNumbersAtTextEdgesAndBeforePunctuation) {
  EXPECT_EQ(FindCardNumbers("4111111111111111").size(), 1u);
  EXPECT_EQ(FindCardNumbers("card: 4111-1111-1111-1111.").size(), 1u);
  EXPECT_EQ(FindCardNumbers("(4111 1111 1111 1111)").size(), 1u);
  EXPECT_EQ(FindCardNumbers("\"4111111111111111\", next").size(), 1u);
  EXPECT_EQ(FindCardNumbers("pay 4111111111111111, thanks").size(), 1u);
}

TEST(CardNumberScanner, MaskingKeepsFirstSixAndLastFour) {
  EXPECT_EQ(MaskCardNumber("4111111111111111"), "411111******1111");
  EXPECT_EQ(MaskCardNumber("378282246310005"), "378282*****0005");
  EXPECT_EQ(MaskCardNumber("123456789012"), "****");
}

}  // namespace
}  // namespace futureim::systems::compliance
