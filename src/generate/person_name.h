#pragma once

#include <cstdint>
#include <string>

#include "generate/random.h"

namespace futureim::generate {

// A customer's name and the e-mail address made from it, as the store shows
// them: the same lists serve the initial fill and live sign-ups.
struct PersonName {
  std::string first_name;
  std::string last_name;
  std::string email;  // first.last<serial>@example.{com,net,org}, lower case
};

// Draws a first and last name and a mail domain. `serial` makes the address
// unique: give each customer of a store a different one (the fill numbers
// its customers 1…N; live sign-ups continue after the store's count).
PersonName SamplePersonName(Random& random, int64_t serial);

}  // namespace futureim::generate
