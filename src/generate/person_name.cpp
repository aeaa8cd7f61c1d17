#include "generate/person_name.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace futureim::generate {
namespace {

constexpr const char* kFirstNames[] = {
    "James",  "Maria",   "Wei",   "Aisha",  "Lucas", "Sofia",  "Hiroshi", "Priya",
    "Liam",   "Emma",    "Noah",  "Olivia", "Mateo", "Chloe",  "Arjun",   "Yuki",
    "Thabo",  "Amara",   "Jack",  "Isla",   "Felix", "Lea",    "Gabriel", "Camille",
    "Rafael", "Beatriz", "Ethan", "Ava",    "Kenji", "Mei",    "Oliver",  "Charlotte",
    "Daniel", "Zanele",  "Rohan", "Ananya", "Leon",  "Hannah", "Diego",   "Valentina"};
constexpr const char* kLastNames[] = {
    "Smith",   "Garcia", "Chen",    "Khan",   "Silva",   "Muller",  "Tanaka", "Patel",
    "Brown",   "Martin", "Johnson", "Lopez",  "Nguyen",  "Dubois",  "Kumar",  "Sato",
    "Nkosi",   "Okafor", "Wilson",  "Taylor", "Schmidt", "Bernard", "Santos", "Oliveira",
    "Walker",  "Lee",    "Suzuki",  "Wang",   "Clarke",  "Fischer", "Moreau", "Reddy",
    "Dlamini", "Hughes", "Kelly",   "Rossi",  "Novak",   "Costa",   "Ito",    "Singh"};
constexpr const char* kEmailDomains[] = {"example.com", "example.net", "example.org"};

}  // namespace

PersonName SamplePersonName(Random& random, int64_t serial) {
  PersonName person;
  person.first_name = kFirstNames[random.UniformInt(0, std::size(kFirstNames) - 1)];
  person.last_name = kLastNames[random.UniformInt(0, std::size(kLastNames) - 1)];
  std::string local = person.first_name + "." + person.last_name + std::to_string(serial);
  std::transform(local.begin(), local.end(), local.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  person.email = local + "@" + kEmailDomains[random.UniformInt(0, std::size(kEmailDomains) - 1)];
  return person;
}

}  // namespace futureim::generate
