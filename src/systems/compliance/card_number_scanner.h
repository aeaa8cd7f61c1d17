#pragma once

// Finds primary account numbers (card numbers) in free text: standalone
// tokens of 13–19 digits (optionally in groups of four or more joined by one
// kind of separator, a space or a dash) that carry a known card brand prefix
// and pass the Luhn checksum. A digit run glued to a longer token is never a
// PAN: the hex tail of an id or HMAC token ("txn_", "tok_"), the fraction of a
// decimal number ("0.4111..." in a JSON document), a phone number ("+44 ..."),
// a tracking code ("1Z..."). About one random 16-digit run in 60 carries a
// brand prefix and passes Luhn, so only the token rule keeps such digits out.

#include <string>
#include <string_view>
#include <vector>

namespace futureim::systems::compliance {

// The Luhn (mod 10) checksum over a string of digits only.
bool PassesLuhn(std::string_view digits);

// The card brand of a digit string by its prefix and length (visa, mastercard,
// amex, discover, jcb, diners), or "" when none matches.
std::string_view CardBrand(std::string_view digits);

struct CardNumberMatch {
  size_t offset = 0;       // in the text
  std::string digits;      // the number without separators
  std::string_view brand;  // from CardBrand
};

std::vector<CardNumberMatch> FindCardNumbers(std::string_view text);

// The first six and last four digits kept, the rest replaced by '*' (PCI DSS
// 3.3's most that may be shown); "****" for fewer than 13 digits.
std::string MaskCardNumber(std::string_view digits);

}  // namespace futureim::systems::compliance
