#pragma once

#include "domain/space_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The space aggregate in memory: the tables of MemoryState it owns, each write recorded in the
// transaction's undo log.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemorySpaceRecords final : public domain::SpaceRecords {
 public:
  MemorySpaceRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

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
  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
