#pragma once

#include <string>
#include <vector>

#include "domain/recycle_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The deletion aggregate in memory: recycle items and the subtree writes over MemoryState's
// dentry and version tables, each write recorded in the transaction's undo log.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryRecycleRecords final : public domain::RecycleRecords {
 public:
  MemoryRecycleRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

  // RecycleRecords
  Result<void> Insert(const domain::RecycleItem& item) override;
  Result<domain::RecycleItem> Get(std::string_view corp_id, std::string_view item_id) override;
  Result<std::vector<domain::RecycleItem>> List(const domain::RecycleFilter& filter,
                                                const std::optional<domain::RecycleCursor>& after,
                                                int limit) override;
  Result<void> Delete(std::string_view item_id) override;
  Result<int64_t> RecycleSubtree(std::string_view space_id, std::string_view root_id,
                                 std::string_view item_id) override;
  Result<int64_t> RestoreRows(std::string_view space_id, std::string_view item_id) override;
  Result<int64_t> PurgeSubtree(std::string_view space_id, std::string_view root_id) override;
  Result<int64_t> PurgeRows(std::string_view space_id, std::string_view item_id) override;

 private:
  // The ids of the subtree of `root_id`, root first; empty when the root is not NORMAL.
  std::vector<std::string> Subtree(std::string_view space_id, std::string_view root_id) const;
  // The ids of the rows item `item_id` owns in the space.
  std::vector<std::string> Owned(std::string_view space_id, std::string_view item_id) const;
  // Deletes the rows `ids` with their versions; returns the version bytes removed.
  int64_t Purge(const std::vector<std::string>& ids);

  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
