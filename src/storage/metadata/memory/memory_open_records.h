#pragma once

#include <string>

#include "domain/open_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The open-link aggregate in memory: MemoryState's open_infos and open_tokens, each write
// recorded in the transaction's undo log.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryOpenRecords final : public domain::OpenRecords {
 public:
  MemoryOpenRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

  // Removes every row of space `space_id` (the space is being deleted).
  void EraseSpace(const std::string& space_id);

  // OpenRecords
  Result<void> PutOpenInfo(const domain::OpenInfo& info) override;
  Result<std::vector<domain::OpenInfo>> ListOpenInfos(std::string_view space_id,
                                                      std::string_view dentry_id) override;
  Result<void> InsertToken(const domain::OpenToken& token) override;
  Result<domain::OpenToken> GetToken(std::string_view token_hash) override;
  Result<bool> ConsumeToken(std::string_view token_hash, int64_t now,
                            int64_t new_expire_time) override;
  Result<bool> RemoveToken(std::string_view token_hash) override;
  Result<int64_t> RemoveExpiredTokens(int64_t now) override;

 private:
  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
