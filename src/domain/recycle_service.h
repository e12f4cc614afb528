#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/recycle_item.h"
#include "domain/space_service.h"
#include "domain/task_service.h"

namespace spacestore::domain {

// The most ids DeleteDentries and DeleteRecycleItems take.
inline constexpr size_t kMaxDeleteIds = 50;
// The most ids RestoreRecycleItems takes.
inline constexpr size_t kMaxRestoreIds = 30;
// The largest page ListRecycleItems returns.
inline constexpr int kMaxRecyclePageSize = 50;

// How a deletion or restore ran: inline (async false), or as the durable task `task_id`.
struct OperationOutcome {
  bool async = false;
  std::string task_id;
  std::string space_id;   // Restore: the restored root (or the existing dentry kept).
  std::string dentry_id;  // Restore: as above.
};

// One item of a batch: its id and how it went.
struct BatchOutcome {
  std::string id;
  Result<OperationOutcome> outcome;
};

// A page of recycle items; `next_token` is empty on the last page.
struct RecycleItemPage {
  std::vector<RecycleItem> items;
  std::string next_token;
};

// RecycleService deletes dentries (permanently, or to the recycle bin) and runs the recycle
// bins: listing, restoring and purging items. Each deletion, restore or purge of one item is
// one metadata transaction: the rows, their versions, the item and the space's usedQuota change
// together or not at all.
//
// Quota: a permanent deletion or a purge releases every stored version of the files it removes;
// recycled content keeps counting until purged. Access: deleting, restoring and purging need
// write access to the dentry's space (SpaceService::GetWritableSpace); a bin belongs to one org,
// an APP bin to one app, a SPACE bin to whoever may read that space. A bin id or item id of
// another org is reported exactly like a missing one (kNotFound "recycleBin" / "recycleItem").
//
// Big trees: a deletion, restore or purge touching more than kAsyncThreshold dentries is
// submitted as a task (kinds "delete", "restore", "purge") in the request's transaction and
// answered async; the task's handler does the same work in the runner's one transaction.
// Access is checked when the request is made, not again when the task runs.
//
// Thread-safety: safe for concurrent use. Borrows the store, clock, space service and task
// service; registers its task handlers with the latter on construction (before its Start).
class RecycleService {
 public:
  RecycleService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
                 TaskService& tasks);

  // Deletes a NORMAL dentry with its subtree. kInvalidArgument ("dentryId") for the root;
  // kNotFound ("space", "dentry"); kPermissionDenied.
  Result<OperationOutcome> DeleteDentry(const Actor& actor, std::string_view space_id,
                                        std::string_view dentry_id, bool to_recycle_bin);
  // Up to kMaxDeleteIds deletions, each answered on its own (DeleteDentry's errors per item).
  // kInvalidArgument ("dentryIds") for an empty or too long list; kNotFound ("space") and
  // kPermissionDenied fail the whole call.
  Result<std::vector<BatchOutcome>> DeleteDentries(const Actor& actor, std::string_view space_id,
                                                   const std::vector<std::string>& ids,
                                                   bool to_recycle_bin);

  // The bin of a scope. kInvalidArgument ("scopeId") when empty; kPermissionDenied ("org" or
  // "app") for another org's or app's bin; for SPACE, GetSpace's errors.
  Result<RecycleBin> GetRecycleBin(const Actor& actor, RecycleScope scope,
                                   std::string_view scope_id);
  // A page of a bin's items, newest first. kInvalidArgument ("maxResults" out of 1..50,
  // "nextToken"); kNotFound ("recycleBin").
  Result<RecycleItemPage> ListRecycleItems(const Actor& actor, std::string_view bin_id, int limit,
                                           std::string_view token);
  // One item of a bin. kNotFound ("recycleBin", "recycleItem").
  Result<RecycleItem> GetRecycleItem(const Actor& actor, std::string_view bin_id,
                                     std::string_view item_id);
  // Puts an item back: under its original parent when that is still a NORMAL folder, otherwise
  // under the original path's folders, re-created from the root where missing. When the name is
  // taken: AUTO_RENAME renames the restored root, RETURN_ERROR_IF_EXISTS fails (kAlreadyExists
  // "dentry"), RETURN_DENTRY_IF_EXISTS restores nothing and answers the existing dentry,
  // OVERWRITE moves the occupant to the recycle bin first. kNotFound ("recycleBin",
  // "recycleItem"); kPermissionDenied.
  Result<OperationOutcome> RestoreRecycleItem(const Actor& actor, std::string_view bin_id,
                                              std::string_view item_id, ConflictStrategy strategy);
  // Up to kMaxRestoreIds restores, each answered on its own. kInvalidArgument
  // ("recycleItemIds"); kNotFound ("recycleBin").
  Result<std::vector<BatchOutcome>> RestoreRecycleItems(const Actor& actor, std::string_view bin_id,
                                                        const std::vector<std::string>& ids,
                                                        ConflictStrategy strategy);
  // Purges an item: its rows and their versions go, usedQuota is released. kNotFound
  // ("recycleBin", "recycleItem"); kPermissionDenied.
  Result<void> DeleteRecycleItem(const Actor& actor, std::string_view bin_id,
                                 std::string_view item_id);
  // Purges up to kMaxDeleteIds items in one transaction: all or none. kInvalidArgument
  // ("recycleItemIds"); kNotFound for the first unknown item; kPermissionDenied.
  Result<void> DeleteRecycleItems(const Actor& actor, std::string_view bin_id,
                                  const std::vector<std::string>& ids);
  // Purges every item of the bin in the spaces the actor may write, a page of items per
  // transaction; items of spaces it may not write stay. kNotFound ("recycleBin").
  Result<void> ClearRecycleBin(const Actor& actor, std::string_view bin_id);

 private:
  // kPermissionDenied unless the actor has `capability` on the item where it was; the space's
  // errors (writable for anything but kReadMetadata).
  Result<void> CheckItem(const Actor& actor, const RecycleItem& item, Capability capability);
  // The bin `bin_id` as the actor may open it, with its org filled in. kNotFound
  // ("recycleBin") for an unknown or foreign bin; SPACE bins also GetSpace's kPermissionDenied.
  Result<RecycleBin> OpenBin(const Actor& actor, std::string_view bin_id);
  // An item of an open bin. kNotFound ("recycleItem") when missing or outside the bin.
  Result<RecycleItem> OpenItem(const RecycleBin& bin, std::string_view item_id);
  // Restores `item` inside `tx` (see RestoreRecycleItem).
  Result<OperationOutcome> RestoreIn(MetadataTransaction& tx, const Actor& actor,
                                     const RecycleItem& item, ConflictStrategy strategy);
  // Purges `item` inside `tx`: rows, versions, usedQuota, the item; its recycleItem.purged
  // event names the actor.
  Result<void> PurgeIn(MetadataTransaction& tx, const Actor& actor, const RecycleItem& item);
  // Purges the items `ids` of the actor's org still in the store, inside `tx`; how many.
  Result<int64_t> PurgeAllIn(MetadataTransaction& tx, const Actor& actor,
                             const std::vector<std::string>& ids);
  // Deletes the NORMAL dentry `dentry_id` of `space` with its subtree inside `tx`.
  Result<void> DeleteIn(MetadataTransaction& tx, const Actor& actor, const Space& space,
                        std::string_view dentry_id, bool to_recycle_bin);
  // Purges `items` inline or, above the threshold together, as one task.
  Result<void> Purge(const Actor& actor, const std::vector<RecycleItem>& items);
  // The task handlers.
  Result<TaskCounts> RunDeleteTask(MetadataTransaction& tx, const Task& task);
  Result<TaskCounts> RunRestoreTask(MetadataTransaction& tx, const Task& task);
  Result<TaskCounts> RunPurgeTask(MetadataTransaction& tx, const Task& task);
  // Moves the NORMAL dentry `d` and its subtree to the recycle bin inside `tx`.
  Result<void> RecycleIn(MetadataTransaction& tx, const Actor& actor, const Space& space,
                         const Dentry& d);

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
  TaskService& tasks_;
};

// The filter of the items a bin holds.
RecycleFilter FilterOf(const RecycleBin& bin);

}  // namespace spacestore::domain
