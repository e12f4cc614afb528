#pragma once

#include "domain/recycle_records.h"

namespace spacestore::storage::sql {

// The deletion aggregate on SQLite and PostgreSQL (over a backend's Connection; sql_rows.h): table
// recycle_items and the column dentries.recycle_item_id (migration 6). A subtree is one recursive
// CTE over the partial index dentries_by_name (NORMAL children by parent), so each bulk write is a
// few statements whatever the tree's size. Thread-safety: confined, like its connection, to the
// transaction's thread. Borrows `conn`.
template <class Connection>
class SqlRecycleRecords final : public domain::RecycleRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlRecycleRecords(Connection& conn) : conn_(conn) {}

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
  Connection& conn_;
};

}  // namespace spacestore::storage::sql
