// Access: roles from implicit ownership and grants, inherited down the folder tree, resolved
// from caches tagged with the space row's generations (see access.h for why they are exact).
#include "domain/access.h"

#include <algorithm>
#include <array>
#include <utility>

namespace spacestore::domain {
namespace {

struct MatrixRow {
  Capability capability;
  Role minimum;
  const char* name;
};

// The capability matrix of docs/permissions.md: the only place a capability meets a role.
constexpr std::array kMatrix = {
    MatrixRow{Capability::kReadMetadata, Role::kReader, "read metadata"},
    MatrixRow{Capability::kList, Role::kReader, "list"},
    MatrixRow{Capability::kDownload, Role::kDownloader, "download"},
    MatrixRow{Capability::kUpload, Role::kEditor, "upload"},
    MatrixRow{Capability::kAddFolder, Role::kEditor, "add a folder"},
    MatrixRow{Capability::kRename, Role::kEditor, "rename"},
    MatrixRow{Capability::kMove, Role::kEditor, "move"},
    MatrixRow{Capability::kCopyOut, Role::kDownloader, "copy"},
    MatrixRow{Capability::kCopyIn, Role::kEditor, "move or copy into"},
    MatrixRow{Capability::kDelete, Role::kEditor, "delete"},
    MatrixRow{Capability::kRestore, Role::kEditor, "restore or purge"},
    MatrixRow{Capability::kManageVersions, Role::kEditor, "revert versions"},
    MatrixRow{Capability::kSetAppProperties, Role::kEditor, "set app properties"},
    MatrixRow{Capability::kListPermissions, Role::kReader, "list permissions"},
    MatrixRow{Capability::kManagePermissions, Role::kManager, "grant or revoke"},
    MatrixRow{Capability::kManageSpace, Role::kOwner, "change the space"},
    MatrixRow{Capability::kOpenPreview, Role::kReader, "preview"},
    MatrixRow{Capability::kOpenEdit, Role::kEditor, "edit online"},
    MatrixRow{Capability::kRegisterOpenInfo, Role::kEditor, "register open infos"},
    MatrixRow{Capability::kOpenOffice, Role::kReader, "open in WebOffice"},
};

constexpr std::array kCapabilities = [] {
  std::array<Capability, kMatrix.size()> out{};
  for (size_t i = 0; i < kMatrix.size(); ++i) out[i] = kMatrix[i].capability;
  return out;
}();

const MatrixRow& Row(Capability c) {
  // The table is in declaration order (checked by AccessTest.MatrixIsInDeclarationOrder).
  return kMatrix[static_cast<size_t>(c)];
}

// A grant as one user sees it: its role, and until when.
struct RoleUntil {
  Role role = Role::kNone;
  std::optional<int64_t> expire_time;
  bool LiveAt(int64_t now) const { return !expire_time || now < *expire_time; }
};

}  // namespace

Role MinimumRole(Capability capability) { return Row(capability).minimum; }
const char* CapabilityName(Capability capability) { return Row(capability).name; }
std::span<const Capability> AllCapabilities() { return kCapabilities; }

Role ImplicitRole(const Actor& actor, const Space& space) {
  if (actor.union_id.empty()) return Role::kOwner;  // The app itself, machine to machine.
  if (space.creator_id == actor.union_id) return Role::kOwner;
  if (space.owner_type == OwnerType::kUser && space.owner_id == actor.union_id) return Role::kOwner;
  return Role::kNone;
}

// One user's grants in one space at one permission generation: those whose member matches it.
struct UserGrants {
  std::unordered_map<std::string, std::vector<RoleUntil>> by_dentry;
  bool only_root = true;  // No grant below the root: no ancestry needed.
};

// A space's grants at one permission generation, and the users resolved against them.
struct SpaceAccess::Entry {
  int64_t generation = 0;
  std::vector<Grant> grants;
  bool has_dept_grants = false;
  mutable Mutex mu;
  mutable std::unordered_map<std::string, std::shared_ptr<const UserGrants>> users GUARDED_BY(mu);
};

struct Access::SpaceState {
  int64_t create_time = 0;
  std::shared_ptr<const SpaceAccess::Entry> entry;
  int64_t dentry_generation = -1;
  std::unordered_map<std::string, std::string> parents;  // Dentry id -> parent id.
};

namespace {

Role Strongest(const std::vector<RoleUntil>* grants, int64_t now) {
  Role best = Role::kNone;
  if (grants == nullptr) return best;
  for (const RoleUntil& g : *grants) {
    if (g.LiveAt(now)) best = std::max(best, g.role);
  }
  return best;
}

const std::vector<RoleUntil>* Find(const UserGrants& mine, std::string_view id) {
  const auto it = mine.by_dentry.find(std::string(id));
  return it == mine.by_dentry.end() ? nullptr : &it->second;
}

}  // namespace

// ---- SpaceAccess ----

bool SpaceAccess::CanSeeSpace() const {
  if (implicit_ != Role::kNone) return true;
  const int64_t now = access_->clock_.NowMillis();
  for (const auto& [id, grants] : mine_->by_dentry) {
    if (Strongest(&grants, now) != Role::kNone) return true;
  }
  return false;
}

Role SpaceAccess::GrantOn(std::string_view id, int64_t now) const {
  return mine_ ? Strongest(Find(*mine_, id), now) : Role::kNone;
}

bool SpaceAccess::NeedsAncestry() const {
  return implicit_ != Role::kOwner && mine_ && !mine_->only_root;
}

Result<Role> SpaceAccess::InheritedFrom(std::string_view parent_id, int64_t now) const {
  Role best = GrantOn(kRootDentryId, now);
  if (parent_id.empty() || parent_id == kRootDentryId || !NeedsAncestry()) return best;
  for (const auto& [id, role] : inherited_) {
    if (id == parent_id) return role;
  }
  auto chain = access_->Chain(*space_, parent_id);
  if (!chain) return chain.error();
  for (const std::string& id : *chain) best = std::max(best, GrantOn(id, now));
  inherited_.emplace_back(parent_id, best);
  return best;
}

Result<Role> SpaceAccess::RoleOn(const Dentry& dentry) const {
  if (implicit_ == Role::kOwner) return implicit_;
  const int64_t now = access_->clock_.NowMillis();
  auto inherited = InheritedFrom(dentry.parent_id, now);
  if (!inherited) return inherited.error();
  return std::max({implicit_, *inherited, GrantOn(dentry.id, now)});
}

Result<Role> SpaceAccess::RoleOnId(std::string_view id) const {
  if (implicit_ == Role::kOwner) return implicit_;
  const int64_t now = access_->clock_.NowMillis();
  if (id == kRootDentryId || !NeedsAncestry()) {
    return std::max(implicit_, GrantOn(kRootDentryId, now));
  }
  // The chain starts with the dentry itself.
  auto inherited = InheritedFrom(id, now);
  if (!inherited) return inherited.error();
  return std::max(implicit_, *inherited);
}

Error SpaceAccess::Denied(std::string_view id, Role role, Capability c) const {
  const std::string who = union_id_.empty() ? std::string("the app") : "user " + union_id_;
  const std::string has = role == Role::kNone ? "no role" : std::string("role ") + RoleName(role);
  return MakeError(Errc::kPermissionDenied, "dentry",
                   who + " has " + has + " on dentry " + std::string(id) + " of space " +
                       space_->id + "; to " + CapabilityName(c) + " needs " +
                       RoleName(MinimumRole(c)));
}

Result<void> SpaceAccess::Require(const Dentry& dentry, Capability c) const {
  auto role = RoleOn(dentry);
  if (!role) return role.error();
  if (*role < MinimumRole(c)) return Denied(dentry.id, *role, c);
  return {};
}

Result<void> SpaceAccess::RequireOn(std::string_view id, Capability c) const {
  auto role = RoleOnId(id);
  if (!role) return role.error();
  if (*role < MinimumRole(c)) return Denied(id, *role, c);
  return {};
}

Result<void> SpaceAccess::RequireSomewhere(Capability c) const {
  if (implicit_ >= MinimumRole(c)) return {};
  const int64_t now = access_->clock_.NowMillis();
  Role best = Role::kNone;
  if (mine_) {
    for (const auto& [id, grants] : mine_->by_dentry)
      best = std::max(best, Strongest(&grants, now));
  }
  if (best >= MinimumRole(c)) return {};
  return Denied(kRootDentryId, std::max(implicit_, best), c);
}

Result<bool> SpaceAccess::Leads(std::string_view folder_id) const {
  // Whether some live grant of the actor lies strictly below `folder_id`.
  if (!mine_) return false;
  const int64_t now = access_->clock_.NowMillis();
  for (const auto& [id, grants] : mine_->by_dentry) {
    if (id == kRootDentryId || id == folder_id || Strongest(&grants, now) == Role::kNone) continue;
    if (folder_id == kRootDentryId) return true;
    auto chain = access_->Chain(*space_, id);
    if (!chain) return chain.error();
    if (chain->empty()) continue;  // A grant on a dentry that is gone.
    if (std::find(chain->begin() + 1, chain->end(), folder_id) != chain->end()) return true;
  }
  return false;
}

Result<bool> SpaceAccess::ShowsChild(const Dentry& child, Role parent_role) const {
  if (parent_role != Role::kNone) return true;
  const int64_t now = access_->clock_.NowMillis();
  if (GrantOn(child.id, now) != Role::kNone) return true;
  if (child.type != DentryType::kFolder) return false;
  return Leads(child.id);
}

Result<bool> SpaceAccess::CanTraverse(std::string_view folder_id) const {
  if (folder_id == kRootDentryId) return CanSeeSpace();
  return Leads(folder_id);
}

// ---- Access ----

Access::Access(MetadataStore& store, const Clock& clock, size_t max_spaces)
    : store_(store), clock_(clock), max_spaces_(max_spaces) {}

Result<void> Access::CheckMember(const Actor& actor) {
  if (actor.union_id.empty()) return {};
  auto user = store_.GetUser(actor.corp_id, actor.union_id);
  if (user) return {};
  if (user.error().code != Errc::kNotFound) return user.error();
  return NotAMember(actor);
}

Error Access::NotAMember(const Actor& actor) {
  return MakeError(Errc::kPermissionDenied, "user",
                   "user " + actor.union_id + " is not a member of org " + actor.corp_id);
}

std::shared_ptr<Access::SpaceState> Access::State(const Space& space) {
  MutexLock lock(mu_);
  auto& state = spaces_[space.id];
  if (!state || state->create_time != space.create_time) {
    if (!state && spaces_.size() > max_spaces_) {
      spaces_.clear();  // A cache, not a store: start over rather than track use.
      auto& fresh = spaces_[space.id];
      fresh = std::make_shared<SpaceState>();
      fresh->create_time = space.create_time;
      return fresh;
    }
    state = std::make_shared<SpaceState>();
    state->create_time = space.create_time;
  }
  return state;
}

Result<std::shared_ptr<const SpaceAccess::Entry>> Access::Grants(const Space& space) {
  {
    // The common case, under one lock: the space's entry is at the row's generation.
    MutexLock lock(mu_);
    const auto it = spaces_.find(space.id);
    if (it != spaces_.end() && it->second->create_time == space.create_time && it->second->entry &&
        it->second->entry->generation == space.permission_generation) {
      return it->second->entry;
    }
  }
  const auto state = State(space);
  auto entry = std::make_shared<SpaceAccess::Entry>();
  entry->generation = space.permission_generation;
  // Generation 0: the space never had a grant, so there is nothing to read.
  if (space.permission_generation != 0) {
    auto grants = store_.Read(
        [&](MetadataTransaction& tx) { return tx.permissions().ListSpaceGrants(space.id); });
    if (!grants) return grants.error();
    entry->grants = std::move(*grants);
    entry->has_dept_grants =
        std::any_of(entry->grants.begin(), entry->grants.end(),
                    [](const Grant& g) { return g.member_type == MemberType::kDept; });
  }
  MutexLock lock(mu_);
  // A reader that saw an older row keeps its entry to itself; a newer one replaces ours.
  if (!state->entry || state->entry->generation < entry->generation) state->entry = entry;
  return std::shared_ptr<const SpaceAccess::Entry>(std::move(entry));
}

Result<std::shared_ptr<const UserGrants>> Access::Resolve(const Actor& actor,
                                                          const SpaceAccess::Entry& entry) {
  {
    MutexLock lock(entry.mu);
    if (const auto it = entry.users.find(actor.union_id); it != entry.users.end()) {
      return it->second;
    }
  }
  // Only members are remembered: a user added later needs no generation move to be seen.
  if (auto member = CheckMember(actor); !member) return member.error();
  std::vector<std::string> departments;
  if (entry.has_dept_grants) {
    auto read = store_.Read([&](MetadataTransaction& tx) {
      return tx.permissions().UserDepartments(actor.corp_id, actor.union_id);
    });
    if (!read) return read.error();
    departments = std::move(*read);
  }
  auto mine = std::make_shared<UserGrants>();
  for (const Grant& g : entry.grants) {
    bool matches = false;
    switch (g.member_type) {
      case MemberType::kUser:
        matches = g.member_id == actor.union_id;
        break;
      case MemberType::kOrg:
        matches = g.member_id == actor.corp_id;
        break;
      case MemberType::kAllUsers:
        matches = true;
        break;
      case MemberType::kDept:
        matches = g.member_corp_id == actor.corp_id &&
                  std::binary_search(departments.begin(), departments.end(), g.member_id);
        break;
    }
    if (!matches) continue;
    mine->by_dentry[g.dentry_id].push_back(RoleUntil{g.role, g.expire_time});
    if (g.dentry_id != kRootDentryId) mine->only_root = false;
  }
  MutexLock lock(entry.mu);
  entry.users.emplace(actor.union_id, mine);
  return std::shared_ptr<const UserGrants>(std::move(mine));
}

Result<SpaceAccess> Access::Open(const Actor& actor, std::shared_ptr<const Space> space) {
  SpaceAccess out;
  out.access_ = this;
  out.union_id_ = actor.union_id;
  out.implicit_ = ImplicitRole(actor, *space);
  out.space_ = std::move(space);
  if (actor.union_id.empty()) return out;
  auto entry = Grants(*out.space_);
  if (!entry) return entry.error();
  auto mine = Resolve(actor, **entry);
  if (!mine) return mine.error();
  out.entry_ = std::move(*entry);
  out.mine_ = std::move(*mine);
  return out;
}

Result<std::vector<std::string>> Access::Chain(const Space& space, std::string_view id) {
  const auto state = State(space);
  std::vector<std::string> chain;
  std::string next(id);
  {
    MutexLock lock(mu_);
    if (state->dentry_generation == space.dentry_generation) {
      while (chain.size() < static_cast<size_t>(kMaxFolderDepth)) {
        const auto it = state->parents.find(next);
        if (it == state->parents.end()) break;
        chain.push_back(next);
        next = it->second;
        if (next == kRootDentryId || next.empty()) return chain;
      }
    }
  }
  // Not (all) cached: read the whole chain (one query however deep), with the generation it
  // belongs to, in one snapshot, so what is cached under a generation is exactly that
  // generation's tree and no answer mixes two trees.
  struct Read {
    int64_t generation = 0;
    std::vector<AncestorLink> links;
  };
  auto read = store_.Snapshot([&](MetadataTransaction& tx) -> Result<Read> {
    auto now = tx.spaces().Get(space.corp_id, space.id);
    if (!now) return now.error();
    auto links = tx.dentries().Ancestry(space.id, id);
    if (!links) return links.error();
    return Read{now->dentry_generation, std::move(*links)};
  });
  if (!read) return read.error();
  chain.clear();
  for (const AncestorLink& link : read->links) chain.push_back(link.id);
  MutexLock lock(mu_);
  if (state->dentry_generation < read->generation) {
    state->parents.clear();
    state->dentry_generation = read->generation;
  }
  if (state->dentry_generation == read->generation) {
    for (const AncestorLink& link : read->links) {
      state->parents.insert_or_assign(link.id, link.parent_id);
    }
  }
  return chain;
}

}  // namespace spacestore::domain
