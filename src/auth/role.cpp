#include "auth/role.h"

#include <algorithm>

namespace futureim::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kViewer, Role::kAnalyst, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

bool Satisfies(const std::vector<Role>& roles, Role required) {
  return std::any_of(roles.begin(), roles.end(), [required](Role role) {
    return static_cast<int>(role) >= static_cast<int>(required);
  });
}

std::string JoinRoles(const std::vector<Role>& roles) {
  std::string text;
  for (Role role : roles) {
    if (!text.empty()) text += ',';
    text += RoleName(role);
  }
  return text;
}

std::vector<Role> SplitRoles(std::string_view text) {
  std::vector<Role> roles;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    if (auto role = ParseRole(text.substr(start, comma - start))) {
      if (std::find(roles.begin(), roles.end(), *role) == roles.end()) roles.push_back(*role);
    }
    start = comma + 1;
  }
  return roles;
}

}  // namespace futureim::auth
