#include "systems/compliance/card_number_scanner.h"

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
    // A candidate starts at a digit not preceded by a digit or letter (so the
    // tail of a longer code is not read as a number of its own).
    if (!IsDigit(text[i]) || (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      ++i;
      continue;
    }
    std::string digits;
    size_t end = i;
    while (end < text.size()) {
      if (IsDigit(text[end])) {
        digits.push_back(text[end]);
        ++end;
      } else if ((text[end] == ' ' || text[end] == '-') && end + 1 < text.size() &&
                 IsDigit(text[end + 1]) && !digits.empty()) {
        ++end;
      } else {
        break;
      }
    }
    const bool bounded = end >= text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
    if (bounded && digits.size() >= 13 && digits.size() <= 19 && PassesLuhn(digits)) {
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
