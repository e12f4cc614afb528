#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spacestore::domain {

// Value types of permissions: roles, members, grants and departments. Plain data;
// thread-compatible. The rules (who may grant what, what each role may do) are in access.h and
// permission_service.h; docs/permissions.md is the written matrix.

// The roles of the DingTalk reference, weakest first: a stronger role can do all a weaker one
// can. kNone is "no role", never stored.
enum class Role { kNone = 0, kReader = 1, kDownloader = 2, kEditor = 3, kManager = 4, kOwner = 5 };

// "READER", "DOWNLOADER", "EDITOR", "MANAGER", "OWNER"; "" for kNone.
const char* RoleName(Role role);
// The role named `name` (exactly as RoleName spells it); nullopt otherwise, kNone included.
std::optional<Role> ParseRole(std::string_view name);

// Whom a grant is for. The reference's TAG, CONVERSATION and GG have no counterpart in
// spacestore and are refused where a member is read.
enum class MemberType { kUser = 0, kDept = 1, kOrg = 2, kAllUsers = 3 };

// "USER", "DEPT", "ORG", "ALL_USERS".
const char* MemberTypeName(MemberType type);
std::optional<MemberType> ParseMemberType(std::string_view name);

// A grant of `role` on one dentry (kRootDentryId: the whole space) to one member. A member has
// at most one grant per dentry: (space_id, dentry_id, member_type, member_id) is its key.
struct Grant {
  std::string space_id;
  std::string dentry_id;
  MemberType member_type = MemberType::kUser;
  std::string member_id;  // unionId (USER), department id (DEPT), corpId (ORG), "" (ALL_USERS).
  std::string member_corp_id;  // The member's org as the grantor named it (DEPT requires it).
  Role role = Role::kReader;
  std::optional<int64_t> expire_time;  // Epoch milliseconds; absent: permanent.
  std::string operator_id;             // Who made or last changed it.
  int64_t create_time = 0;             // Epoch milliseconds.
  int64_t modified_time = 0;
};

// A department of an org: the unit DEPT grants name. Departments are flat (no sub-departments).
struct Department {
  std::string corp_id;
  std::string dept_id;
  std::string name;
  int64_t create_time = 0;
};

}  // namespace spacestore::domain
