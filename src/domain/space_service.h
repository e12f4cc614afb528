#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/access.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/space.h"

namespace spacestore::domain {

// AddSpace's options; unset fields take the documented defaults.
struct AddSpaceParams {
  std::optional<std::string> name;      // Default: no name.
  std::optional<int64_t> quota_bytes;   // Default: no cap (bounded by the org's capacity).
  Capabilities capabilities;            // Default: all false.
  std::optional<std::string> scene;     // Default: "default".
  std::optional<std::string> scene_id;  // Default: "0".
  OwnerType owner_type = OwnerType::kUser;
};

// A KooDrive-style space addressed by its owner and kind.
struct OwnedSpaceParams {
  std::string owner_id;
  SpaceKind kind = SpaceKind::kIndividual;
  std::optional<int64_t> quota_bytes;
};

// Org-wide totals for GetOrg and the KooDrive usage calls.
struct OrgUsage {
  Org org;
  int64_t used_bytes = 0;
};

// An app and the bytes its spaces use, for GetCurrentApp.
struct AppUsage {
  App app;
  int64_t used_bytes = 0;
};

// SpaceService creates, reads and manages spaces for both dialects, and applies who-may-see-what:
// a caller only ever sees spaces of its own org (others are kNotFound, subject "space"), and
// of those the ones where it has a role (docs/permissions.md: the implicit OWNER of the app
// acting alone, a USER space's owner and a space's creator, or any live grant in the space).
// It owns the Access that resolves roles, for every service that checks one.
//
// Errors shared by all methods: kPermissionDenied (subject "user") when the acting unionId is
// not a member of the token's org; those of the store.
//
// Thread-safety: safe for concurrent use. Borrows the store and clock; owns its Access.
class SpaceService {
 public:
  SpaceService(MetadataStore& store, const Clock& clock);

  // DingTalk AddSpace: idempotent on (scene, sceneId) within the calling app, including under
  // concurrency. kInvalidArgument with subject "name", "scene", "sceneId" or "quota".
  Result<Space> AddSpace(const Actor& actor, const AddSpaceParams& params);

  // A space by id. kNotFound (subject "space"); kPermissionDenied (subject "space").
  Result<Space> GetSpace(const Actor& actor, std::string_view space_id);

  // A space by id with the actor's access to it, for the dentry-level checks: GetSpace's
  // errors, and OpenWritable also GetWritableSpace's.
  Result<SpaceAccess> Open(const Actor& actor, std::string_view space_id);
  Result<SpaceAccess> OpenWritable(const Actor& actor, std::string_view space_id);
  // Open without requiring any role in the space (still kNotFound for another org's): for the
  // owning app's grants in an APP space, which need none.
  Result<SpaceAccess> OpenAny(const Actor& actor, std::string_view space_id);

  Access& access() { return access_; }

  // GetSpace for an operation that writes: also kPermissionDenied (subject "disabled") when the
  // space is disabled (KooDrive status 1).
  Result<Space> GetWritableSpace(const Actor& actor, std::string_view space_id);

  // Capacity and use of the actor's org. kPermissionDenied (subject "org") for another org.
  Result<OrgUsage> GetOrgUsage(const Actor& actor, std::string_view corp_id);

  // The actor's app and the bytes its spaces use.
  Result<AppUsage> GetAppUsage(const Actor& actor);

  // KooDrive: creates a new space for an owner. For individual spaces the owner must be a user
  // of the org (kInvalidArgument, subject "ownerId") and, when a user acts, that user
  // (kPermissionDenied, subject "space").
  Result<Space> CreateOwnedSpace(const Actor& actor, const OwnedSpaceParams& params);

  // KooDrive: the owner's space of `kind` (the one with `container_id` if given, else the
  // oldest of the actor's app, else the oldest). kNotFound (subject "space").
  Result<Space> FindOwnedSpace(const Actor& actor, std::string_view owner_id, SpaceKind kind,
                               std::optional<std::string_view> container_id);

  // The spaces of the actor's org matching `filter`, oldest first.
  Result<std::vector<Space>> ListSpaces(const Actor& actor, const SpaceFilter& filter);

  // Changes quota or status of a space the actor is OWNER of. kNotFound, kPermissionDenied
  // (also for a space an app owns, unless the actor's app is that app).
  Result<Space> UpdateSpace(const Actor& actor, std::string_view space_id, SpaceUpdate update);

  // Removes a visible space; the same rights as UpdateSpace. kNotFound, kPermissionDenied.
  Result<void> DeleteSpace(const Actor& actor, std::string_view space_id);

 private:
  // Creates `space` with a fresh id and its space.created event.
  Result<Space> Insert(const Actor& actor, Space space);
  // Whether the actor may change or delete the space: OWNER on it, through its app.
  Result<void> CheckChange(const Actor& actor, std::string_view space_id);
  // The space read and the actor's access resolved; kPermissionDenied unless it may see it.
  Result<SpaceAccess> OpenShared(const Actor& actor, std::shared_ptr<const Space> space);

  MetadataStore& store_;
  const Clock& clock_;
  Access access_;
};

}  // namespace spacestore::domain
