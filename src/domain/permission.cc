#include "domain/permission.h"

#include <array>
#include <utility>

namespace spacestore::domain {
namespace {

constexpr std::array<std::pair<Role, const char*>, 5> kRoles = {{
    {Role::kReader, "READER"},
    {Role::kDownloader, "DOWNLOADER"},
    {Role::kEditor, "EDITOR"},
    {Role::kManager, "MANAGER"},
    {Role::kOwner, "OWNER"},
}};

constexpr std::array<std::pair<MemberType, const char*>, 4> kMemberTypes = {{
    {MemberType::kUser, "USER"},
    {MemberType::kDept, "DEPT"},
    {MemberType::kOrg, "ORG"},
    {MemberType::kAllUsers, "ALL_USERS"},
}};

// The wire name of `value` in `table`, and back.
template <class T, size_t N>
const char* NameIn(const std::array<std::pair<T, const char*>, N>& table, T value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "";
}
template <class T, size_t N>
std::optional<T> ParseIn(const std::array<std::pair<T, const char*>, N>& table,
                         std::string_view name) {
  for (const auto& [v, n] : table) {
    if (name == n) return v;
  }
  return std::nullopt;
}

}  // namespace

const char* RoleName(Role role) { return NameIn(kRoles, role); }
std::optional<Role> ParseRole(std::string_view name) { return ParseIn(kRoles, name); }
const char* MemberTypeName(MemberType type) { return NameIn(kMemberTypes, type); }
std::optional<MemberType> ParseMemberType(std::string_view name) {
  return ParseIn(kMemberTypes, name);
}

}  // namespace spacestore::domain
