#pragma once

#include "domain/task_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The task aggregate in memory: MemoryState's tasks, each write recorded in the transaction's
// undo log.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryTaskRecords final : public domain::TaskRecords {
 public:
  MemoryTaskRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

  // TaskRecords
  Result<void> Insert(const domain::Task& task) override;
  Result<domain::Task> Get(std::string_view task_id) override;
  Result<void> Update(const domain::Task& task) override;
  Result<std::vector<domain::Task>> ListUnfinished(int limit) override;

 private:
  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
