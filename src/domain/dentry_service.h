#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/dentry.h"
#include "domain/dentry_cache.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/space_service.h"

namespace spacestore::domain {

// The most ids one GetDentries call takes (seed 004).
inline constexpr size_t kMaxBatchIds = 30;
// The most app ids appIdsForAppProperties takes.
inline constexpr size_t kMaxAppIdsFilter = 20;
// The largest page ListDentries and ListAllDentries return.
inline constexpr int kMaxPageSize = 50;
// Memory a DentryService's cache of dentries may use (GetDentry, GetDentries).
inline constexpr size_t kDefaultDentryCacheBytes = size_t{16} << 20;
// Longest file or folder name, in code points.
inline constexpr size_t kMaxDentryNameChars = 255;

// One GetDentries answer: the dentry, or why this id failed.
struct BatchResult {
  std::string dentry_id;
  Result<std::shared_ptr<const Dentry>> dentry;  // Never null when it holds a value.
};

// DentryService reads and creates folders and files' metadata in a space: AddFolder,
// GetDentry, GetDentries and the listings. Access to the space follows SpaceService's rules;
// a dentry id of another space or org is reported exactly like a missing one. GetDentry and
// GetDentries answer from a DentryCache when the space's dentry generation allows it.
// Thread-safety: safe for concurrent use. Borrows the store, clock and space service; owns
// its cache.
class DentryService {
 public:
  DentryService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
                size_t cache_bytes = kDefaultDentryCacheBytes);

  // Creates a folder. kInvalidArgument (subject "name" or "parentId"), kNotFound ("space",
  // "parent"), kAlreadyExists ("dentry") under kFail, kPermissionDenied.
  Result<Dentry> AddFolder(const Actor& actor, std::string_view space_id,
                           const std::string& parent_id, std::string_view name,
                           ConflictStrategy strategy, std::vector<AppProperty> properties);

  // One NORMAL dentry. kNotFound ("space", "dentry").
  Result<Dentry> GetDentry(const Actor& actor, std::string_view space_id,
                           std::string_view dentry_id);

  // Up to kMaxBatchIds dentries, each answered on its own (a missing id is a per-item
  // kNotFound "dentry"). kInvalidArgument (subject "dentryIds") for an empty or too long list;
  // kNotFound ("space") fails the whole call.
  Result<std::vector<BatchResult>> GetDentries(const Actor& actor, std::string_view space_id,
                                               const std::vector<std::string>& ids);

  // A page of a folder's children. kNotFound ("parent") when the folder does not exist;
  // kInvalidArgument ("parentId") when it is a file, ("maxResults") out of 1..50,
  // ("nextToken") for a token not made for this order.
  Result<DentryPage> ListDentries(const Actor& actor, std::string_view space_id,
                                  const std::string& parent_id, const ListQuery& query);

  // A page of every dentry in the space, by modified time.
  Result<DentryPage> ListAllDentries(const Actor& actor, std::string_view space_id,
                                     const ListQuery& query);

 private:
  // The store's GetDentries, as shareable cache entries.
  Result<std::vector<DentryCache::Entry>> ReadShared(const std::string& space_id,
                                                     const std::vector<std::string>& ids);
  // Caches `read` (dentries read after `space`) if the space's generation has not moved
  // since; false when it has.
  bool Remember(const Space& space, std::span<const DentryCache::Entry> read);

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
  DentryCache cache_;
};

// The most app properties one app may keep on a dentry, and their name and value sizes.
inline constexpr size_t kMaxPropertiesPerApp = 3;
inline constexpr size_t kMaxPropertyNameBytes = 128;
inline constexpr size_t kMaxPropertyValueBytes = 4096;

// Checks appProperties: at most kMaxPropertiesPerApp per app, names not blank and unique per
// app, values not empty, names and values within their sizes.
// kInvalidArgument (subject "appProperties").
Result<void> CheckAppProperties(const std::vector<AppProperty>& properties);

// The properties of `dentry` that app `viewer_app_id` may see: every PUBLIC one and its own
// PRIVATE ones; restricted to `only_apps` when that is not empty.
std::vector<AppProperty> VisibleProperties(const Dentry& dentry, std::string_view viewer_app_id,
                                           const std::vector<std::string>& only_apps);

}  // namespace spacestore::domain
