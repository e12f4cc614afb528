#pragma once

#include "domain/upload_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The upload aggregate in memory: the tables of MemoryState it owns, each write recorded in the
// transaction's undo log.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryUploadRecords final : public domain::UploadRecords {
 public:
  MemoryUploadRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

  // UploadRecords
  Result<domain::UploadSession> Get(std::string_view key) override;
  Result<void> Put(const domain::UploadSession& upload) override;
  Result<void> Delete(std::string_view key) override;
  Result<void> PutPart(const domain::UploadPart& part) override;
  Result<std::vector<domain::UploadPart>> ListParts(std::string_view key) override;
  Result<std::vector<std::string>> ListExpired(int64_t now_millis, int limit) override;
  Result<int64_t> CountOpen(int64_t now_millis) override;
  Result<bool> IsBlobReferenced(std::string_view blob_id) override;
  Result<std::vector<domain::UploadSession>> ListAfter(std::string_view after_key,
                                                       int limit) override;

 private:
  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
