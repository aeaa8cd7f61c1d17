#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace futureim::core {

// A snapshot of environment variables. Code reads the environment through
// this value, never through getenv, so tests can pass any environment and
// the process environment is read exactly once, at startup.
class Environment {
 public:
  Environment() = default;
  explicit Environment(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  Environment(std::initializer_list<std::pair<const std::string, std::string>> vars)
      : vars_(vars) {}

  static Environment FromProcess();

  std::optional<std::string> Get(std::string_view name) const;
  const std::map<std::string, std::string, std::less<>>& vars() const { return vars_; }

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace futureim::core
