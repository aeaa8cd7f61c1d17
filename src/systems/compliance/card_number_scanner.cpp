#include "systems/compliance/card_number_scanner.h"

#include <algorithm>
#include <cctype>

namespace futureim::systems::compliance {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool StartsWithin(std::string_view digits, int low, int high, size_t width) {
  if (digits.size() < width) return false;
  int prefix = 0;
  for (size_t i = 0; i < width; ++i) prefix = prefix * 10 + (digits[i] - '0');
  return prefix >= low && prefix <= high;
}

// Characters that join a digit run to a longer token: an identifier
// ("txn_", "tok_", "1Z"), a decimal or grouped number ("0.4111...", "1,234"),
// a phone number ("+44"), a path or e-mail.
bool JoinsToken(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool JoinsNumber(char c) { return c == '.' || c == ',' || c == '+' || c == '/' || c == '@'; }

// A PAN is a standalone token: the run starts the text or follows a character
// that is neither part of a word nor glued to a number (a fraction's digits
// after "0." are not a card number however Luhn comes out).
bool StartsToken(std::string_view text, size_t at) {
  if (at == 0) return true;
  const char before = text[at - 1];
  if (JoinsToken(before) || JoinsNumber(before)) return false;
  // "12-4111..." or "ab-4111...": the tail of a dashed identifier.
  return !(before == '-' && at >= 2 && JoinsToken(text[at - 2]));
}

// ...and ends the text or is followed by a character that does not continue
// it ("4111...1111." ends a sentence; "4111...1111.5" or "...1111e3" do not).
bool EndsToken(std::string_view text, size_t at) {
  if (at >= text.size()) return true;
  const char after = text[at];
  if (JoinsToken(after)) return false;
  if ((JoinsNumber(after) || after == '-') && at + 1 < text.size() && JoinsToken(text[at + 1])) {
    return false;
  }
  return true;
}

}  // namespace

bool PassesLuhn(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    if (!IsDigit(digits[i])) return false;
    int d = digits[i] - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

std::string_view CardBrand(std::string_view digits) {
  const size_t n = digits.size();
  if (digits.starts_with('4') && (n == 13 || n == 16 || n == 19)) return "visa";
  if (n == 16 && (StartsWithin(digits, 51, 55, 2) || StartsWithin(digits, 2221, 2720, 4)))
    return "mastercard";
  if (n == 15 && (digits.starts_with("34") || digits.starts_with("37"))) return "amex";
  if ((n == 16 || n == 19) && (digits.starts_with("6011") || digits.starts_with("65") ||
                               StartsWithin(digits, 644, 649, 3))) {
    return "discover";
  }
  if ((n >= 16 && n <= 19) && StartsWithin(digits, 3528, 3589, 4)) return "jcb";
  if (n == 14 &&
      (StartsWithin(digits, 300, 305, 3) || digits.starts_with("36") || digits.starts_with("38"))) {
    return "diners";
  }
  return "";
}

std::vector<CardNumberMatch> FindCardNumbers(std::string_view text) {
  std::vector<CardNumberMatch> matches;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i]) || !StartsToken(text, i)) {
      ++i;
      continue;
    }
    // Digit groups joined by one separator, the same one throughout.
    std::string digits;
    size_t end = i;
    size_t group = 0;
    size_t shortest_inner_group = std::string_view::npos;
    char separator = 0;
    bool consistent = true;
    while (end < text.size()) {
      if (IsDigit(text[end])) {
        digits.push_back(text[end]);
        ++group;
        ++end;
      } else if ((text[end] == ' ' || text[end] == '-') && end + 1 < text.size() &&
                 IsDigit(text[end + 1]) && !digits.empty()) {
        if (separator != 0 && text[end] != separator) consistent = false;
        separator = text[end];
        shortest_inner_group = std::min(shortest_inner_group, group);
        group = 0;
        ++end;
      } else {
        break;
      }
    }
    // Printed PANs group as 4-4-4-4(-3), 4-6-5 or 4-6-4: no group but the
    // last is shorter than four digits (space-separated small numbers are not a card).
    const bool grouped = consistent && (separator == 0 || shortest_inner_group >= 4);
    if (grouped && EndsToken(text, end) && digits.size() >= 13 && digits.size() <= 19 &&
        PassesLuhn(digits)) {
      const std::string_view brand = CardBrand(digits);
      if (!brand.empty()) matches.push_back({i, digits, brand});
    }
    i = end;
  }
  return matches;
}

std::string MaskCardNumber(std::string_view digits) {
  if (digits.size() < 13) return "****";
  std::string masked(digits.substr(0, 6));
  masked.append(digits.size() - 10, '*');
  masked.append(digits.substr(digits.size() - 4));
  return masked;
}

}  // namespace futureim::systems::compliance
