#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::auth {

// The three roles, ordered by what they may do: an admin may do everything an
// analyst may, an analyst everything a viewer may.
enum class Role { kViewer = 0, kAnalyst = 1, kAdmin = 2 };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Whether a user holding `roles` may use something that needs `required`.
bool Satisfies(const std::vector<Role>& roles, Role required);

// "admin,viewer" <-> {kAdmin, kViewer}; the stored form (users.roles).
std::string JoinRoles(const std::vector<Role>& roles);
std::vector<Role> SplitRoles(std::string_view text);

}  // namespace futureim::auth
