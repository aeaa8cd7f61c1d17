#include "generate/geography.h"

#include <stdexcept>

namespace futureim::generate {

GeographyCatalogue::GeographyCatalogue() {
  // Shares are rough: the store is US-centred with a real international tail,
  // so regional analytics have both a big market and small ones to compare.
  countries_ = {
      {"US",
       "United States",
       "North America",
       "USD",
       0.0725,
       -5,
       "+1",
       "#####",
       38,
       {{"CA", {"Los Angeles", "San Francisco", "San Diego"}},
        {"NY", {"New York", "Buffalo", "Rochester"}},
        {"TX", {"Houston", "Austin", "Dallas"}},
        {"WA", {"Seattle", "Spokane"}},
        {"IL", {"Chicago", "Springfield"}}},
       {{"Independence Day", 7, 3, 3, 1.5}},
       {"Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Park Blvd"}},
      {"CA",
       "Canada",
       "North America",
       "CAD",
       0.13,
       -5,
       "+1",
       "A#A #A#",
       6,
       {{"ON", {"Toronto", "Ottawa"}},
        {"QC", {"Montreal", "Quebec City"}},
        {"BC", {"Vancouver", "Victoria"}}},
       {{"Boxing Day", 12, 26, 2, 2.0}},
       {"King St", "Yonge St", "Rue Sainte-Catherine", "Granville St"}},
      {"MX",
       "Mexico",
       "North America",
       "MXN",
       0.16,
       -6,
       "+52",
       "#####",
       4,
       {{"CDMX", {"Ciudad de Mexico"}}, {"JAL", {"Guadalajara", "Zapopan"}}, {"NL", {"Monterrey"}}},
       {{"El Buen Fin", 11, 15, 4, 1.9}},
       {"Av. Reforma", "Calle Hidalgo", "Av. Juarez", "Calle Morelos"}},
      {"BR",
       "Brazil",
       "South America",
       "BRL",
       0.17,
       -3,
       "+55",
       "#####-###",
       6,
       {{"SP", {"Sao Paulo", "Campinas"}},
        {"RJ", {"Rio de Janeiro", "Niteroi"}},
        {"MG", {"Belo Horizonte"}}},
       {{"Dia dos Namorados", 6, 10, 3, 1.7}},
       {"Rua Augusta", "Av. Paulista", "Rua das Flores", "Av. Atlantica"}},
      {"GB",
       "United Kingdom",
       "Europe",
       "GBP",
       0.20,
       0,
       "+44",
       "AA# #AA",
       10,
       {{"ENG", {"London", "Manchester", "Birmingham"}},
        {"SCT", {"Edinburgh", "Glasgow"}},
        {"WLS", {"Cardiff"}}},
       {{"Boxing Day", 12, 26, 2, 2.2}},
       {"High Street", "Station Road", "Church Lane", "Victoria Road"}},
      {"DE",
       "Germany",
       "Europe",
       "EUR",
       0.19,
       1,
       "+49",
       "#####",
       8,
       {{"BE", {"Berlin"}},
        {"BY", {"Munich", "Nuremberg"}},
        {"HH", {"Hamburg"}},
        {"NW", {"Cologne", "Dusseldorf"}}},
       {{"Nikolaustag", 12, 5, 2, 1.6}},
       {"Hauptstrasse", "Bahnhofstrasse", "Gartenweg", "Schulstrasse"}},
      {"FR",
       "France",
       "Europe",
       "EUR",
       0.20,
       1,
       "+33",
       "#####",
       7,
       {{"IDF", {"Paris", "Versailles"}},
        {"ARA", {"Lyon", "Grenoble"}},
        {"PAC", {"Marseille", "Nice"}}},
       {{"Soldes d'hiver", 1, 10, 5, 1.6}},
       {"Rue de la Paix", "Avenue Victor Hugo", "Rue Pasteur", "Boulevard Voltaire"}},
      {"IN",
       "India",
       "Asia",
       "INR",
       0.18,
       5,
       "+91",
       "######",
       7,
       {{"MH", {"Mumbai", "Pune"}}, {"KA", {"Bengaluru", "Mysuru"}}, {"DL", {"New Delhi"}}},
       {{"Diwali", 10, 30, 5, 2.0}},
       {"MG Road", "Brigade Road", "Linking Road", "Park Street"}},
      {"JP",
       "Japan",
       "Asia",
       "JPY",
       0.10,
       9,
       "+81",
       "###-####",
       5,
       {{"Tokyo", {"Shinjuku", "Shibuya"}},
        {"Osaka", {"Osaka", "Sakai"}},
        {"Hokkaido", {"Sapporo"}}},
       {{"Hatsuuri", 1, 2, 3, 1.8}},
       {"Chuo-dori", "Omotesando", "Meiji-dori", "Midosuji"}},
      {"AU",
       "Australia",
       "Oceania",
       "AUD",
       0.10,
       10,
       "+61",
       "####",
       5,
       {{"NSW", {"Sydney", "Newcastle"}},
        {"VIC", {"Melbourne", "Geelong"}},
        {"QLD", {"Brisbane", "Gold Coast"}}},
       {{"Boxing Day", 12, 26, 2, 2.0}},
       {"George St", "Collins St", "Queen St", "Beach Rd"}},
      {"ZA",
       "South Africa",
       "Africa",
       "ZAR",
       0.15,
       2,
       "+27",
       "####",
       3,
       {{"GP", {"Johannesburg", "Pretoria"}},
        {"WC", {"Cape Town", "Stellenbosch"}},
        {"KZN", {"Durban"}}},
       {{"Heritage Day", 9, 24, 2, 1.5}},
       {"Long Street", "Main Road", "Jan Smuts Ave", "Florida Road"}},
      {"SG",
       "Singapore",
       "Asia",
       "SGD",
       0.09,
       8,
       "+65",
       "######",
       3,
       {{"Central", {"Singapore"}}, {"East", {"Tampines", "Bedok"}}},
       {{"Singles' Day", 11, 11, 1, 2.5}},
       {"Orchard Road", "Marina Boulevard", "Tampines Ave", "Bedok North St"}},
  };
  std::vector<double> shares;
  for (const auto& country : countries_) shares.push_back(country.customer_share);
  by_share_ = AliasTable(shares);
}

size_t GeographyCatalogue::IndexOf(std::string_view code) const {
  for (size_t i = 0; i < countries_.size(); ++i) {
    if (countries_[i].code == code) return i;
  }
  throw std::out_of_range("unknown country code");
}

size_t GeographyCatalogue::SampleCountry(Random& random) const { return by_share_.Sample(random); }

std::string FillPattern(std::string_view pattern, Random& random) {
  std::string out(pattern);
  for (char& c : out) {
    if (c == '#') c = static_cast<char>('0' + random.UniformInt(0, 9));
    if (c == 'A') c = static_cast<char>('A' + random.UniformInt(0, 25));
  }
  return out;
}

Address GeographyCatalogue::SampleAddress(size_t country_index, Random& random) const {
  const Country& country = countries_[country_index];
  const StateCities& region = random.Pick(country.regions);
  Address address;
  address.line1 =
      std::to_string(random.UniformInt(1, 2400)) + " " + std::string(random.Pick(country.streets));
  if (random.Bernoulli(0.2)) address.line2 = "Apt " + std::to_string(random.UniformInt(1, 250));
  address.city = std::string(random.Pick(region.cities));
  address.state = std::string(region.state);
  address.postal_code = FillPattern(country.postal_format, random);
  address.country = std::string(country.code);
  return address;
}

std::string GeographyCatalogue::SamplePhone(size_t country_index, Random& random) const {
  return std::string(countries_[country_index].phone_prefix) + " " +
         FillPattern("### ### ####", random);
}

}  // namespace futureim::generate
