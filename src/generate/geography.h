#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "generate/random.h"

namespace futureim::generate {

// A shopping day particular to one country (e.g. Boxing Day in the UK,
// Singles' Day in Singapore): demand in that country is multiplied by `lift`
// for `days` days starting on month/day every year.
struct LocalShoppingDay {
  std::string_view name;
  int month;
  int day;
  int days;
  double lift;
};

struct StateCities {
  std::string_view state;
  std::vector<std::string_view> cities;
};

// One country the store sells to: where its customers live and how their
// addresses, phones, taxes and shopping days look.
struct Country {
  std::string_view code;  // ISO 3166-1 alpha-2, what the `country` columns hold
  std::string_view name;
  std::string_view continent;
  std::string_view currency;  // ISO 4217 (amounts are stored in the store's currency)
  double tax_rate;            // VAT / sales tax applied to item lines
  int utc_offset_hours;       // a representative offset, for "local night"
  std::string_view phone_prefix;
  // Postal code pattern: '#' a digit, 'A' an upper-case letter, anything else literal.
  std::string_view postal_format;
  double customer_share;  // relative weight of customers living here
  std::vector<StateCities> regions;
  std::vector<LocalShoppingDay> shopping_days;
  std::vector<std::string_view> streets;
};

// A postal address inside one country, consistent with it (a state and city of
// that country, a postal code in its format).
struct Address {
  std::string line1;
  std::string line2;  // may be empty (stored as NULL)
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;  // Country::code
};

// The countries the simulated store sells to: at least 10 on at least 4
// continents, each with its own states, cities, postal format and tax.
class GeographyCatalogue {
 public:
  GeographyCatalogue();

  std::span<const Country> countries() const { return countries_; }
  const Country& country(size_t index) const { return countries_[index]; }
  // Index of the country with `code`; throws std::out_of_range if unknown.
  size_t IndexOf(std::string_view code) const;
  // A country drawn by customer share.
  size_t SampleCountry(Random& random) const;
  Address SampleAddress(size_t country_index, Random& random) const;
  std::string SamplePhone(size_t country_index, Random& random) const;

 private:
  std::vector<Country> countries_;
  AliasTable by_share_;
};

// Replaces '#' with digits and 'A' with letters.
std::string FillPattern(std::string_view pattern, Random& random);

}  // namespace futureim::generate
