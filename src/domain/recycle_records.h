#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/recycle_item.h"

namespace spacestore::domain {

// RecycleRecords is the deletion aggregate of the metadata port: recycle items, and the bulk
// writes that delete, recycle, restore and purge a dentry subtree in one statement each, as
// seen inside one metadata transaction. A subtree is a dentry and its NORMAL descendants,
// reached through NORMAL folders: rows another item already recycled belong to that item and
// are never touched. Every dentry write moves the space's dentry generation. None of these
// writes the byte counters: the domain adjusts usedQuota in the same transaction.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class RecycleRecords {
 public:
  virtual ~RecycleRecords() = default;

  // Records an item. kAlreadyExists (subject "recycleItem") if the id is taken; kNotFound
  // (subject "space").
  virtual Result<void> Insert(const RecycleItem& item) = 0;
  // An item of org `corp_id`. kNotFound (subject "recycleItem"), also for another org's.
  virtual Result<RecycleItem> Get(std::string_view corp_id, std::string_view item_id) = 0;
  // Up to `limit` items matching `filter`, newest first (operator time, then id, descending),
  // starting after `after`.
  virtual Result<std::vector<RecycleItem>> List(const RecycleFilter& filter,
                                                const std::optional<RecycleCursor>& after,
                                                int limit) = 0;
  // Removes the item's row only (its dentry rows are restored or purged first).
  // kNotFound (subject "recycleItem").
  virtual Result<void> Delete(std::string_view item_id) = 0;

  // Marks the subtree of `root_id` DELETED, owned by item `item_id`. Returns the rows marked.
  virtual Result<int64_t> RecycleSubtree(std::string_view space_id, std::string_view root_id,
                                         std::string_view item_id) = 0;
  // Makes every row owned by item `item_id` NORMAL again. Returns the rows restored.
  // kAlreadyExists (subject "dentry") if a restored row's name is taken by a NORMAL sibling
  // (the caller places the item's root first).
  virtual Result<int64_t> RestoreRows(std::string_view space_id, std::string_view item_id) = 0;
  // Deletes the subtree of `root_id` with every version of its files. Returns the version
  // bytes removed.
  virtual Result<int64_t> PurgeSubtree(std::string_view space_id, std::string_view root_id) = 0;
  // Deletes every row owned by item `item_id` with its versions. Returns the version bytes
  // removed.
  virtual Result<int64_t> PurgeRows(std::string_view space_id, std::string_view item_id) = 0;
};

}  // namespace spacestore::domain
