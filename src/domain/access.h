#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/permission.h"
#include "domain/space.h"

namespace spacestore::domain {

// What a request does to a dentry, each allowed from one minimum role: the capability matrix
// of docs/permissions.md, kept in one table (MinimumRole in access.cc) and nowhere else.
enum class Capability {
  kReadMetadata,       // GetSpace, GetDentry(ies), versions listed, thumbnails, own roles
  kList,               // ListDentries, ListAllDentries
  kDownload,           // GetFileDownloadInfo (any version)
  kUpload,             // GetFileUploadInfo, multipart, CommitFile (new file or new version)
  kAddFolder,          // AddFolder
  kRename,             // RenameDentry
  kMove,               // MoveDentry(ies): on the dentry moved
  kCopyOut,            // CopyDentry(ies): on the dentry copied
  kCopyIn,             // Move or copy: on the target folder
  kDelete,             // DeleteDentry(ies), to the recycle bin or for good
  kRestore,            // Restore or purge a recycle item: on its original parent folder
  kManageVersions,     // RevertDentryVersion
  kSetAppProperties,   // Update / DeleteDentryAppProperties
  kListPermissions,    // ListPermissions
  kManagePermissions,  // Add / Update / DeletePermission
  kManageSpace,        // KooDrive ModifySpace / DeleteSpace
  kOpenPreview,        // GetDentryOpenInfo PREVIEW, and opening a checkLogin=true link
  kOpenEdit,           // GetDentryOpenInfo EDIT; saving from the WebOffice page
  kRegisterOpenInfo,   // RegisterOpenInfo
  kOpenOffice,         // GetWebOfficeUrl, RefreshWebOfficeToken
};

// The weakest role that may do `capability`.
Role MinimumRole(Capability capability);
// "read metadata", "list", "download", ... for error messages.
const char* CapabilityName(Capability capability);
// Every capability, in declaration order (for the matrix's tests and docs).
std::span<const Capability> AllCapabilities();

// The role a space gives an actor before any grant: OWNER to the app acting without a user, to
// a USER space's owner and to a space's creator; none to everyone else.
Role ImplicitRole(const Actor& actor, const Space& space);

class Access;
struct UserGrants;

// One actor's access to one space, as resolved when a request read the space. Cheap to copy
// (it shares the cached grants). A role is the strongest of the implicit role and every live
// grant matching the actor (USER: its unionId; DEPT: a department it is in; ORG: its org;
// ALL_USERS) on the dentry or any ancestor up to the root; expiry is judged on every check.
// Thread-safety: thread-compatible; the Access it came from must outlive it.
class SpaceAccess {
 public:
  const Space& space() const { return *space_; }
  const std::shared_ptr<const Space>& shared_space() const { return space_; }
  Role implicit_role() const { return implicit_; }
  // Whether the actor may see the space at all: an implicit role or any live grant in it.
  bool CanSeeSpace() const;

  // The actor's role on `dentry` (a dentry of this space; its parent chain is read through
  // Access's ancestry cache when a grant could matter).
  Result<Role> RoleOn(const Dentry& dentry) const;
  // The role on dentry `id`, kRootDentryId for the space itself. Reads the dentry when needed:
  // kNotFound (subject "dentry") when a grant could matter and it is not a dentry of the space.
  Result<Role> RoleOnId(std::string_view id) const;

  // kPermissionDenied unless the role on `dentry` (or dentry `id`) reaches MinimumRole(c).
  Result<void> Require(const Dentry& dentry, Capability c) const;
  Result<void> RequireOn(std::string_view id, Capability c) const;
  // kPermissionDenied unless the actor reaches MinimumRole(c) on some dentry of the space
  // (GetFileUploadInfo without a parent to check).
  Result<void> RequireSomewhere(Capability c) const;

  // Whether a listing of a folder on which the actor has `parent_role` shows `child`: always
  // when parent_role is a role; otherwise when the actor has a role on the child or the child
  // leads to a dentry the actor was granted (so it can be browsed to).
  Result<bool> ShowsChild(const Dentry& child, Role parent_role) const;
  // Whether a folder the actor has no role on may be listed (filtered by ShowsChild): the root,
  // or a folder on the way to a granted dentry.
  Result<bool> CanTraverse(std::string_view folder_id) const;

 private:
  friend class Access;
  struct Entry;

  // The strongest live grant for the actor on dentry `id` itself; kNone if none.
  Role GrantOn(std::string_view id, int64_t now) const;
  // Whether a role can depend on where a dentry is: the actor holds a grant below the root.
  bool NeedsAncestry() const;
  // The strongest live grant on `id` (a dentry, or kRootDentryId) and its ancestors.
  Result<Role> InheritedFrom(std::string_view id, int64_t now) const;
  // Whether a live grant of the actor lies strictly below folder `folder_id`.
  Result<bool> Leads(std::string_view folder_id) const;
  Error Denied(std::string_view id, Role role, Capability c) const;

  Access* access_ = nullptr;
  std::shared_ptr<const Space> space_;
  std::shared_ptr<const Entry> entry_;      // The space's grants at its generation.
  std::shared_ptr<const UserGrants> mine_;  // Those matching the actor; null: the app.
  std::string union_id_;
  Role implicit_ = Role::kNone;
  // InheritedFrom's answers within this request: a batch's dentries mostly share a parent.
  mutable std::vector<std::pair<std::string, Role>> inherited_;
};

// Access resolves who may do what in a space, from the space's grants, the actor's org and
// department memberships and the dentries' ancestry, without reading the store on every call.
//
// Why it is never stale: what it caches per space is tagged with the generation the space row
// carried when the request read it *before* reading the cached data: grants and memberships
// with Space::permission_generation, folder parents with Space::dentry_generation. Every write
// that can change an answer moves the matching generation in its own transaction
// (PermissionRecords, DentryRecords), so a request only ever uses data at least as new as the
// space row it read. Nodes sharing a database stay exact the same way.
//
// Memory is bounded: at most `max_spaces` spaces are held; past that, everything is dropped.
// Thread-safety: thread-safe. Borrows the store and clock.
class Access {
 public:
  Access(MetadataStore& store, const Clock& clock, size_t max_spaces = 4096);

  // The actor's access to `space`, which the caller has just read from the store.
  // kPermissionDenied (subject "user") when a user acts who is not a member of the space's org.
  Result<SpaceAccess> Open(const Actor& actor, std::shared_ptr<const Space> space);

  // Whether user `union_id` is a member of org `corp_id` now (read, not cached): for calls
  // that name no space. kPermissionDenied (subject "user") if not.
  Result<void> CheckMember(const Actor& actor);

 private:
  friend class SpaceAccess;
  struct SpaceState;

  static Error NotAMember(const Actor& actor);
  // The cache slot of `space` (a fresh one for a new space with a reused id).
  std::shared_ptr<SpaceState> State(const Space& space);
  // The space's grants at the generation `space` carries, cached or read.
  Result<std::shared_ptr<const SpaceAccess::Entry>> Grants(const Space& space);
  // The actor's membership checked and its matching grants picked, once per entry.
  Result<std::shared_ptr<const UserGrants>> Resolve(const Actor& actor,
                                                    const SpaceAccess::Entry& entry);
  // Dentry `id` and its ancestors' ids, nearest first (empty when `id` is not a dentry of the
  // space), from the cache at the space's dentry generation or read in one snapshot with the
  // generation they belong to.
  Result<std::vector<std::string>> Chain(const Space& space, std::string_view id);

  MetadataStore& store_;
  const Clock& clock_;
  const size_t max_spaces_;
  Mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<SpaceState>> spaces_ GUARDED_BY(mu_);
};

}  // namespace spacestore::domain
