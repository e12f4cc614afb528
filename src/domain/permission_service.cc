// PermissionService: the grant rules of docs/permissions.md. Every check that can be made
// before writing is made first, so a call either applies all its members or none.
#include "domain/permission_service.h"

#include <algorithm>
#include <array>

#include "base/crypto.h"
#include "domain/event_emitter.h"

namespace spacestore::domain {
namespace {

Error Invalid(std::string_view field, std::string message) {
  return MakeError(Errc::kInvalidArgument, std::string(field), std::move(message));
}

Result<Role> CheckRole(std::string_view role_id, bool grantable) {
  const auto role = ParseRole(role_id);
  if (!role) {
    return Invalid("roleId",
                   "roleId must be one of READER, DOWNLOADER, EDITOR, MANAGER, OWNER, "
                   "not \"" +
                       std::string(role_id) + "\"");
  }
  if (grantable && *role == Role::kOwner) {
    return Invalid("roleId", "OWNER is never granted: a space's owner is its owner or creator");
  }
  return *role;
}

// A member's shape, before anything is looked up.
struct ParsedMember {
  MemberType type = MemberType::kUser;
  std::string id;
  std::string corp_id;
};

Result<std::vector<ParsedMember>> ParseMembers(const Actor& actor,
                                               const std::vector<MemberSpec>& members) {
  if (members.empty()) return Invalid("members", "members must name at least one member");
  if (members.size() > kMaxGrantMembers) {
    return Invalid("members",
                   "members takes at most 30 members, not " + std::to_string(members.size()));
  }
  std::vector<ParsedMember> out;
  for (const MemberSpec& m : members) {
    const auto type = ParseMemberType(m.type);
    if (!type) {
      constexpr std::array<std::string_view, 3> kGroups = {"TAG", "CONVERSATION", "GG"};
      if (std::find(kGroups.begin(), kGroups.end(), m.type) != kGroups.end()) {
        return Invalid("members", "member type " + m.type +
                                      " is not supported: use USER, DEPT, ORG or ALL_USERS");
      }
      return Invalid("members",
                     "member type must be USER, DEPT, ORG or ALL_USERS, not \"" + m.type + "\"");
    }
    ParsedMember p{*type, m.id, m.corp_id};
    switch (*type) {
      case MemberType::kUser:
        if (p.id.empty()) return Invalid("members", "a USER member needs an id");
        if (!p.corp_id.empty() && p.corp_id != actor.corp_id) {
          return Invalid("members",
                         "user " + p.id + " of org " + p.corp_id + " is not in this org");
        }
        break;
      case MemberType::kDept:
        if (p.id.empty()) return Invalid("members", "a DEPT member needs an id");
        if (p.corp_id.empty()) return Invalid("members", "a DEPT member needs a corpId");
        if (p.corp_id != actor.corp_id) {
          return Invalid("members",
                         "department " + p.id + " of org " + p.corp_id + " is not in this org");
        }
        break;
      case MemberType::kOrg:
        if (p.id != actor.corp_id) {
          return Invalid("members", "an ORG member must be this org, " + actor.corp_id);
        }
        break;
      case MemberType::kAllUsers:
        p.id.clear();  // Every user of the org: no id to keep.
        break;
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Whether the members a grant names exist in the org (read in the write transaction).
Result<void> CheckMembersExist(MetadataTransaction& tx, const Actor& actor,
                               const std::vector<ParsedMember>& members) {
  for (const ParsedMember& m : members) {
    if (m.type == MemberType::kUser) {
      if (auto u = tx.identity().GetUser(actor.corp_id, m.id); !u) {
        if (u.error().code != Errc::kNotFound) return u.error();
        return Invalid("members", "user " + m.id + " is not a member of org " + actor.corp_id);
      }
    } else if (m.type == MemberType::kDept) {
      if (auto d = tx.permissions().GetDepartment(actor.corp_id, m.id); !d) {
        if (d.error().code != Errc::kNotFound) return d.error();
        return Invalid("members", "org " + actor.corp_id + " has no department " + m.id);
      }
    }
  }
  return {};
}

// The opaque page token of ListPermissions: the last member's key, hex-encoded so that its
// order is the members' order.
std::string MemberKey(MemberType type, std::string_view id) {
  std::string key(1, static_cast<char>('0' + static_cast<int>(type)));
  key.append(id);
  return HexEncode(key);
}

bool IsToken(std::string_view token) {
  if (token.size() < 2 || token.size() % 2 != 0) return false;
  return std::all_of(token.begin(), token.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The member's grant on the dentry that is still live at `now`, if any.
const Grant* FindGrant(const std::vector<Grant>& grants, std::string_view dentry_id,
                       const ParsedMember& m, int64_t now) {
  for (const Grant& g : grants) {
    if (g.dentry_id == dentry_id && g.member_type == m.type && g.member_id == m.id) {
      return g.expire_time && *g.expire_time <= now ? nullptr : &g;
    }
  }
  return nullptr;
}

// The duration rules: temporary grants (1 to 3600 s) in APP spaces, permanent ones in USER
// spaces.
Result<void> CheckDuration(const Space& space, const std::optional<int64_t>& duration) {
  if (space.owner_type == OwnerType::kApp) {
    if (!duration) {
      return Invalid("duration", "space " + space.id +
                                     " is an APP space: grants there are temporary, "
                                     "set option.duration (1 to 3600 seconds)");
    }
    if (*duration < 1 || *duration > kMaxGrantDurationSeconds) {
      return Invalid("duration",
                     "option.duration must be 1 to 3600 seconds, not " + std::to_string(*duration));
    }
    return {};
  }
  if (duration) {
    return Invalid("duration", "space " + space.id +
                                   " is a USER space: grants there are permanent, "
                                   "leave option.duration out");
  }
  return {};
}

// The app that owns an APP space manages its grants whoever acts through it (reference 4.1:
// "the grantor needs no management permission").
bool AppManages(const Actor& actor, const Space& space) {
  return space.owner_type == OwnerType::kApp && space.app_id == actor.app_id;
}

}  // namespace

Result<std::vector<Grant>> GrantsUnder(MetadataTransaction& tx, std::string_view space_id,
                                       std::string_view root_id) {
  auto grants = tx.permissions().ListSpaceGrants(space_id);
  if (!grants) return grants.error();
  std::vector<Grant> under;
  for (Grant& g : *grants) {
    if (g.dentry_id == kRootDentryId) continue;
    bool inside = g.dentry_id == root_id;
    if (!inside) {
      auto chain = tx.dentries().Ancestry(space_id, g.dentry_id);
      if (!chain) return chain.error();
      inside = std::any_of(chain->begin(), chain->end(),
                           [&](const AncestorLink& l) { return l.id == root_id; });
    }
    if (inside) under.push_back(std::move(g));
  }
  return under;
}

Result<void> DropGrantsUnder(MetadataTransaction& tx, std::string_view space_id,
                             std::string_view root_id) {
  auto grants = GrantsUnder(tx, space_id, root_id);
  if (!grants) return grants.error();
  for (const Grant& g : *grants) {
    auto removed =
        tx.permissions().RemoveGrant(g.space_id, g.dentry_id, g.member_type, g.member_id);
    if (!removed) return removed.error();
  }
  return {};
}

PermissionService::PermissionService(MetadataStore& store, const Clock& clock, SpaceService& spaces)
    : store_(store), clock_(clock), spaces_(spaces) {}

Result<SpaceAccess> PermissionService::OpenDentry(const Actor& actor, std::string_view space_id,
                                                  std::string_view dentry_id, bool write) {
  auto access = spaces_.OpenAny(actor, space_id);
  if (!access) return access.error();
  const Space& space = access->space();
  if (!AppManages(actor, space) && !access->CanSeeSpace()) {
    return MakeError(Errc::kPermissionDenied, "space",
                     "user " + actor.union_id + " has no permission on space " + space.id);
  }
  if (write && space.disabled) {
    return MakeError(Errc::kPermissionDenied, "disabled", "space " + space.id + " is disabled");
  }
  if (dentry_id != kRootDentryId) {
    auto dentry = store_.GetDentry(space_id, dentry_id);
    if (!dentry || dentry->status != DentryStatus::kNormal) {
      if (dentry || dentry.error().code == Errc::kNotFound) {
        // Whoever may not see it learns nothing of whether it exists.
        if (!AppManages(actor, space)) {
          if (auto ok = access->RequireOn(dentry_id, Capability::kReadMetadata); !ok) {
            return ok.error();
          }
        }
        return MakeError(Errc::kNotFound, "dentry",
                         "dentry " + std::string(dentry_id) + " not found");
      }
      return dentry.error();
    }
  }
  return access;
}

Result<Role> PermissionService::CheckGrantor(const Actor& actor, const SpaceAccess& access,
                                             std::string_view dentry_id, Role role) {
  const Space& space = access.space();
  if (space.owner_type == OwnerType::kApp) {
    // The grantor needs no role of its own, but must act through the app that owns the space.
    if (!AppManages(actor, space)) {
      return MakeError(
          Errc::kPermissionDenied, "space",
          "space " + space.id + " belongs to app " + space.app_id + "; only that app grants on it");
    }
    return Role::kOwner;
  }
  auto own = access.RoleOnId(dentry_id);
  if (!own) return own.error();
  if (*own < MinimumRole(Capability::kManagePermissions)) {
    return access.RequireOn(dentry_id, Capability::kManagePermissions).error();
  }
  if (role > *own) {
    return MakeError(
        Errc::kPermissionDenied, "role",
        std::string("a ") + RoleName(*own) + " may not grant or change " + RoleName(role));
  }
  return own;
}

Result<void> PermissionService::Write(const Actor& actor, std::string_view space_id,
                                      std::string_view dentry_id, const GrantRequest& request,
                                      bool update) {
  auto role = CheckRole(request.role_id, true);
  if (!role) return role.error();
  auto members = ParseMembers(actor, request.members);
  if (!members) return members.error();
  auto access = OpenDentry(actor, space_id, dentry_id, true);
  if (!access) return access.error();
  if (auto ok = CheckDuration(access->space(), request.duration_seconds); !ok) return ok;
  auto ceiling = CheckGrantor(actor, *access, dentry_id, *role);
  if (!ceiling) return ceiling.error();
  const int64_t now = clock_.NowMillis();
  return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    if (auto ok = CheckMembersExist(tx, actor, *members); !ok) return ok;
    auto existing = tx.permissions().ListSpaceGrants(space_id);
    if (!existing) return existing.error();
    for (const ParsedMember& m : *members) {
      const Grant* old = FindGrant(*existing, dentry_id, m, now);
      if (update && old == nullptr) {
        return MakeError(Errc::kNotFound, "permission",
                         std::string(MemberTypeName(m.type)) + " member " + m.id +
                             " has no permission on dentry " + std::string(dentry_id));
      }
      if (old != nullptr && old->role > *ceiling) {
        return MakeError(Errc::kPermissionDenied, "role",
                         std::string("a ") + RoleName(*ceiling) + " may not change a " +
                             RoleName(old->role) + " grant");
      }
      Grant g;
      g.space_id = std::string(space_id);
      g.dentry_id = std::string(dentry_id);
      g.member_type = m.type;
      g.member_id = m.id;
      g.member_corp_id = m.corp_id;
      g.role = *role;
      if (request.duration_seconds) g.expire_time = now + *request.duration_seconds * 1000;
      g.operator_id = actor.acting_id();
      g.create_time = now;
      g.modified_time = now;
      if (auto r = tx.permissions().PutGrant(g); !r) return r;
      // A grant replacing a live one is an update, whichever call made it.
      if (auto r = EmitEvent(tx, actor, now,
                             old == nullptr ? kEventPermissionAdded : kEventPermissionUpdated,
                             space_id, dentry_id, GrantEventBody(g));
          !r) {
        return r;
      }
    }
    return {};
  });
}

Result<void> PermissionService::AddPermission(const Actor& actor, std::string_view space_id,
                                              std::string_view dentry_id,
                                              const GrantRequest& request) {
  return Write(actor, space_id, dentry_id, request, false);
}

Result<void> PermissionService::UpdatePermission(const Actor& actor, std::string_view space_id,
                                                 std::string_view dentry_id,
                                                 const GrantRequest& request) {
  return Write(actor, space_id, dentry_id, request, true);
}

Result<void> PermissionService::DeletePermission(const Actor& actor, std::string_view space_id,
                                                 std::string_view dentry_id,
                                                 std::string_view role_id,
                                                 const std::vector<MemberSpec>& members) {
  auto role = CheckRole(role_id, false);
  if (!role) return role.error();
  auto parsed = ParseMembers(actor, members);
  if (!parsed) return parsed.error();
  auto access = OpenDentry(actor, space_id, dentry_id, true);
  if (!access) return access.error();
  // Revoking follows granting's rules, duration aside: the owning app in an APP space, a
  // MANAGER at least (and at least the revoked role) in a USER space.
  auto ceiling = CheckGrantor(actor, *access, dentry_id, Role::kNone);
  if (!ceiling) return ceiling.error();
  if (*role > *ceiling) {
    return MakeError(Errc::kPermissionDenied, "role",
                     std::string("a ") + RoleName(*ceiling) + " may not revoke " + RoleName(*role));
  }
  const int64_t now = clock_.NowMillis();
  return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto existing = tx.permissions().ListSpaceGrants(space_id);
    if (!existing) return existing.error();
    for (const ParsedMember& m : *parsed) {
      const Grant* old = FindGrant(*existing, dentry_id, m, now);
      if (old == nullptr || old->role != *role) continue;  // Revoking twice succeeds.
      auto removed = tx.permissions().RemoveGrant(space_id, dentry_id, m.type, m.id);
      if (!removed) return removed.error();
      if (!*removed) continue;
      if (auto r = EmitEvent(tx, actor, now, kEventPermissionDeleted, space_id, dentry_id,
                             GrantEventBody(*old));
          !r) {
        return r;
      }
    }
    return {};
  });
}

Result<PermissionPage> PermissionService::ListPermissions(
    const Actor& actor, std::string_view space_id, std::string_view dentry_id,
    const std::vector<std::string>& filter_role_ids, std::optional<int> max_results,
    std::string_view next_token) {
  if (filter_role_ids.size() > kMaxRoleFilter) {
    return Invalid("filterRoleIds", "filterRoleIds takes at most 30 roles");
  }
  std::vector<Role> only;
  for (const std::string& id : filter_role_ids) {
    const auto role = ParseRole(id);
    if (!role) return Invalid("filterRoleIds", "unknown role \"" + id + "\"");
    only.push_back(*role);
  }
  const int limit = max_results.value_or(kDefaultPermissionPage);
  if (limit < 1 || limit > kMaxPermissionPage) {
    return Invalid("maxResults", "maxResults must be 1 to 500, not " + std::to_string(limit));
  }
  if (!next_token.empty() && !IsToken(next_token)) {
    return Invalid("nextToken", "nextToken is not one this server made");
  }
  auto access = OpenDentry(actor, space_id, dentry_id, false);
  if (!access) return access.error();
  if (!AppManages(actor, access->space())) {
    if (auto ok = access->RequireOn(dentry_id, Capability::kListPermissions); !ok) {
      return ok.error();
    }
  }
  auto grants = store_.Read(
      [&](MetadataTransaction& tx) { return tx.permissions().ListSpaceGrants(space_id); });
  if (!grants) return grants.error();
  const int64_t now = clock_.NowMillis();
  PermissionPage page;
  for (Grant& g : *grants) {
    if (g.dentry_id != dentry_id) continue;
    if (g.expire_time && *g.expire_time <= now) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), g.role) == only.end()) continue;
    const std::string key = MemberKey(g.member_type, g.member_id);
    if (!next_token.empty() && key <= next_token) continue;
    if (static_cast<int>(page.permissions.size()) == limit) {
      page.next_token =
          MemberKey(page.permissions.back().member_type, page.permissions.back().member_id);
      break;
    }
    page.permissions.push_back(std::move(g));
  }
  return page;
}

Result<std::vector<DentryRoles>> PermissionService::BatchQueryRoles(
    const Actor& actor, std::string_view space_id, const std::vector<std::string>& dentry_ids) {
  if (dentry_ids.empty() || dentry_ids.size() > kMaxRoleQueryIds) {
    return Invalid("dentryIdList", "dentryIdList must hold 1 to 30 dentry ids");
  }
  // Any member of the org may ask for its own roles, so a space it cannot see answers "none"
  // rather than 403: a client asks this to learn whether it still has access.
  auto access = spaces_.OpenAny(actor, space_id);
  if (!access) return access.error();
  std::vector<std::string> files;
  for (const std::string& id : dentry_ids) {
    if (id != kRootDentryId) files.push_back(id);
  }
  auto found = files.empty() ? Result<std::vector<Dentry>>(std::vector<Dentry>{})
                             : store_.GetDentries(space_id, files);
  if (!found) return found.error();
  std::vector<DentryRoles> out;
  for (const std::string& id : dentry_ids) {
    DentryRoles roles{id, {}};
    Result<Role> role = Role::kNone;
    if (id == kRootDentryId) {
      role = access->RoleOnId(id);
    } else {
      const auto it =
          std::find_if(found->begin(), found->end(), [&](const Dentry& d) { return d.id == id; });
      if (it != found->end()) role = access->RoleOn(*it);
    }
    if (!role) return role.error();
    if (*role != Role::kNone) roles.roles.push_back(*role);
    out.push_back(std::move(roles));
  }
  return out;
}

}  // namespace spacestore::domain
