#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/space.h"

namespace spacestore::domain {

// Which spaces a listing returns; unset fields do not filter.
struct SpaceFilter {
  std::optional<std::string> owner_id;
  std::optional<SpaceKind> kind;
  std::optional<std::string> app_id;
};

// Bytes used and held back (reserved for authorized uploads) across an org or an app.
struct UsageTotals {
  int64_t org_capacity = 0;
  int64_t org_used = 0;
  int64_t org_reserved = 0;
  std::optional<int64_t> app_quota;
  int64_t app_used = 0;
  int64_t app_reserved = 0;
};

// SpaceRecords is the space aggregate of the metadata port: spaces, their settings and their
// byte counters, as seen inside one metadata transaction. Reads see the transaction's own
// writes. A space is the root of its dentries and uploads, so removing one removes them too.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class SpaceRecords {
 public:
  virtual ~SpaceRecords() = default;

  // Inserts `space` with a dentry generation of 0. kAlreadyExists (subject "id") if its id or
  // its (corpId, appId, scene, sceneId) is taken; kNotFound (subject "org") if the org does
  // not exist.
  virtual Result<void> Insert(const Space& space) = 0;
  // The space created in org `corp_id` by app `app_id` for (`scene`, `scene_id`), if any: the
  // idempotency key of AddSpace.
  virtual Result<std::optional<Space>> FindByScene(std::string_view corp_id,
                                                   std::string_view app_id, std::string_view scene,
                                                   std::string_view scene_id) = 0;
  // The space `space_id` of org `corp_id`. kNotFound (subject "space"), also when the space
  // exists in another org.
  virtual Result<Space> Get(std::string_view corp_id, std::string_view space_id) = 0;
  // The spaces of one org matching `filter`, oldest first.
  virtual Result<std::vector<Space>> List(std::string_view corp_id, const SpaceFilter& filter) = 0;
  // Rewrites the settings of space `space.id` of org `space.corp_id`: name, quota, disabled,
  // capabilities, modifier and modified time. The byte counters and the dentry generation keep
  // their stored values. kNotFound (subject "space").
  virtual Result<void> UpdateSettings(const Space& space) = 0;
  // Removes a space with every dentry, version, upload and part it holds (their blobs become
  // unreferenced). kNotFound (subject "space").
  virtual Result<void> Delete(std::string_view corp_id, std::string_view space_id) = 0;

  // Adds the deltas to a space's used and reserved bytes. kNotFound (subject "space");
  // kInternal if either would go negative.
  virtual Result<void> AdjustBytes(std::string_view space_id, int64_t used_delta,
                                   int64_t reserved_delta) = 0;
  // Capacity, use and reservations of an org and of one of its apps. kNotFound (subject "org").
  virtual Result<UsageTotals> Totals(std::string_view corp_id, std::string_view app_id) = 0;
  // Bytes used by the spaces of an org, or only by those created by `app_id` if not empty.
  virtual Result<int64_t> SumUsedBytes(std::string_view corp_id, std::string_view app_id) = 0;
};

}  // namespace spacestore::domain
