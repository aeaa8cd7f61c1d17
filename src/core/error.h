#pragma once

#include <stdexcept>
#include <string>

namespace futureim::core {

// The one exception type for conditions a user or operator can act on (bad
// configuration, unreachable source, invalid input). Its message is shown to
// the user as is, so it must say what is wrong and how to fix it, and must
// never contain a secret. Programming errors use std::logic_error instead.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace futureim::core
