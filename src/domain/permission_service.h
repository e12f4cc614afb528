#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/access.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/permission.h"
#include "domain/space_service.h"

namespace spacestore::domain {

// The most members one AddPermission, UpdatePermission or DeletePermission call takes.
inline constexpr size_t kMaxGrantMembers = 30;
// The longest temporary grant, in seconds (APP spaces).
inline constexpr int64_t kMaxGrantDurationSeconds = 3600;
// ListPermissions' page size: default and most.
inline constexpr int kDefaultPermissionPage = 50;
inline constexpr int kMaxPermissionPage = 500;
// The most role ids ListPermissions' filterRoleIds takes, and dentry ids BatchQueryRoles takes.
inline constexpr size_t kMaxRoleFilter = 30;
inline constexpr size_t kMaxRoleQueryIds = 30;

// A member as a request names it, not yet checked: type is the wire name ("USER", "DEPT",
// "ORG", "ALL_USERS"; "TAG", "CONVERSATION" and "GG" are refused), corp_id required for DEPT.
struct MemberSpec {
  std::string type;
  std::string id;
  std::string corp_id;
};

// AddPermission and UpdatePermission: `role_id` for each of `members`, permanent unless
// `duration_seconds` is set.
struct GrantRequest {
  std::string role_id;
  std::vector<MemberSpec> members;
  std::optional<int64_t> duration_seconds;
};

struct PermissionPage {
  std::vector<Grant> permissions;
  std::string next_token;  // Empty on the last page.
};

// One BatchQueryRoles answer: the roles the acting user holds on one dentry (empty: none).
struct DentryRoles {
  std::string dentry_id;
  std::vector<Role> roles;
};

// The grants on dentry `root_id` of the space and on everything below it, whatever the
// dentries' status (a recycled subtree's too), read inside `tx`.
Result<std::vector<Grant>> GrantsUnder(MetadataTransaction& tx, std::string_view space_id,
                                       std::string_view root_id);
// Removes GrantsUnder(...): for a subtree purged for good.
Result<void> DropGrantsUnder(MetadataTransaction& tx, std::string_view space_id,
                             std::string_view root_id);

// What a move does with the grants on the moved dentry and below it (docs/permissions.md,
// Grant rules): within a space they stay unless `drop` (asked, and the mover may revoke);
// into another space, those up to `carry_ceiling` whose kind fits the target (temporary for an
// APP space, permanent for a USER one) go with them, the rest are removed.
struct GrantCarry {
  bool drop = false;
  Role carry_ceiling = Role::kNone;
  bool carry_temporary = false;
};

// PermissionService grants, changes, revokes and lists roles on dentries (DingTalk 4.9).
//
// Grant rules (docs/permissions.md): USER spaces take permanent grants only, and only from a
// user holding MANAGER or OWNER on the dentry; APP spaces take temporary grants only
// (duration 1..3600 s), from any user of the app that owns the space. Nobody grants, changes or
// revokes a role stronger than the one they hold, and OWNER is never granted. Members: USER
// (a user of the org), DEPT (a department of the org named by corpId), ORG (the actor's org)
// and ALL_USERS; at most kMaxGrantMembers per call.
//
// Errors common to every method: those of SpaceService::GetSpace; kNotFound ("dentry") for a
// dentry id that is not a NORMAL dentry of the space (kRootDentryId is the space itself);
// kPermissionDenied when the actor may not do it (Access).
// Thread-safety: safe for concurrent use. Borrows the store, clock and spaces (whose Access it
// uses).
class PermissionService {
 public:
  PermissionService(MetadataStore& store, const Clock& clock, SpaceService& spaces);

  // Grants `request.role_id` to each member, replacing a member's existing grant on the dentry.
  // kInvalidArgument: "roleId" (unknown or OWNER), "members" (empty, more than 30, a type not
  // served, an empty id, DEPT without corpId, an unknown user or department, another org),
  // "duration" (out of 1..3600, temporary on a USER space, permanent on an APP space).
  Result<void> AddPermission(const Actor& actor, std::string_view space_id,
                             std::string_view dentry_id, const GrantRequest& request);
  // Changes the role (and duration) of members who hold a grant on the dentry: the same checks
  // as AddPermission, and kNotFound ("permission") when a member has no grant there.
  Result<void> UpdatePermission(const Actor& actor, std::string_view space_id,
                                std::string_view dentry_id, const GrantRequest& request);
  // Revokes the members' grants of role `role_id` on the dentry; a member without one is
  // skipped (revoking twice succeeds). kInvalidArgument: "roleId", "members".
  Result<void> DeletePermission(const Actor& actor, std::string_view space_id,
                                std::string_view dentry_id, std::string_view role_id,
                                const std::vector<MemberSpec>& members);
  // A page of the grants on the dentry itself (not inherited ones), ordered by member type and
  // id, expired ones left out. kInvalidArgument: "filterRoleIds" (unknown role, more than 30),
  // "maxResults" (out of 1..500), "nextToken".
  Result<PermissionPage> ListPermissions(const Actor& actor, std::string_view space_id,
                                         std::string_view dentry_id,
                                         const std::vector<std::string>& filter_role_ids,
                                         std::optional<int> max_results,
                                         std::string_view next_token);
  // The acting user's effective role on each dentry (the strongest of the space's implicit
  // role and every live grant on the dentry or an ancestor), in the order asked; an empty list
  // for a dentry where it has none or that does not exist. kInvalidArgument ("dentryIdList")
  // for an empty or too long list.
  Result<std::vector<DentryRoles>> BatchQueryRoles(const Actor& actor, std::string_view space_id,
                                                   const std::vector<std::string>& dentry_ids);

 private:
  // The space (writable for changes) with the actor's access, and the dentry checked NORMAL.
  Result<SpaceAccess> OpenDentry(const Actor& actor, std::string_view space_id,
                                 std::string_view dentry_id, bool write);
  // Whether the actor may grant, change or revoke `role` on the dentry (docs/permissions.md,
  // Grant rules), and the strongest role it may touch there: its own in a USER space, any
  // through the app owning an APP space.
  Result<Role> CheckGrantor(const Actor& actor, const SpaceAccess& access,
                            std::string_view dentry_id, Role role);
  // AddPermission (update false) and UpdatePermission (true).
  Result<void> Write(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                     const GrantRequest& request, bool update);

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
};

}  // namespace spacestore::domain
