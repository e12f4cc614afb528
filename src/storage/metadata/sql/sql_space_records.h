#pragma once

#include "domain/space_records.h"

namespace spacestore::storage::sql {

// The space aggregate on SQLite and PostgreSQL (one text for both, over a backend's Connection;
// sql_rows.h): table spaces, whose UNIQUE (corp_id, app_id, scene, scene_id) is AddSpace's
// idempotency key. Delete cascades by hand to dentries, versions, uploads and parts in the caller's
// transaction. Thread-safety: confined, like its connection, to the transaction's thread. Borrows
// `conn`.
template <class Connection>
class SqlSpaceRecords final : public domain::SpaceRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlSpaceRecords(Connection& conn) : conn_(conn) {}

  // SpaceRecords
  Result<void> Insert(const domain::Space& space) override;
  Result<std::optional<domain::Space>> FindByScene(std::string_view corp_id,
                                                   std::string_view app_id, std::string_view scene,
                                                   std::string_view scene_id) override;
  Result<domain::Space> Get(std::string_view corp_id, std::string_view space_id) override;
  Result<std::vector<domain::Space>> List(std::string_view corp_id,
                                          const domain::SpaceFilter& filter) override;
  Result<void> UpdateSettings(const domain::Space& space) override;
  Result<void> Delete(std::string_view corp_id, std::string_view space_id) override;
  Result<void> AdjustBytes(std::string_view space_id, int64_t used_delta,
                           int64_t reserved_delta) override;
  Result<domain::UsageTotals> Totals(std::string_view corp_id, std::string_view app_id) override;
  Result<int64_t> SumUsedBytes(std::string_view corp_id, std::string_view app_id) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::sql
