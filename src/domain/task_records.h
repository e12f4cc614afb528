#pragma once

#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/task.h"

namespace spacestore::domain {

// TaskRecords is the task aggregate of the metadata port: the durable background operations
// (table tasks), as seen inside one metadata transaction. Reads see the transaction's own
// writes. Tasks are written in the same transaction as what they concern (the request that
// submits one, the run that finishes one), so a task's row and the tree agree after any crash.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class TaskRecords {
 public:
  virtual ~TaskRecords() = default;

  // Inserts a task. kAlreadyExists (subject "task") if the id is taken.
  virtual Result<void> Insert(const Task& task) = 0;
  // A task by id, whoever submitted it. kNotFound (subject "task").
  virtual Result<Task> Get(std::string_view task_id) = 0;
  // Rewrites what changes over a task's life: status, counts, failure, begin and end time.
  // kNotFound (subject "task").
  virtual Result<void> Update(const Task& task) = 0;
  // Up to `limit` tasks not yet finished (kInit or kInProgress), oldest submitted first.
  virtual Result<std::vector<Task>> ListUnfinished(int limit) = 0;
};

}  // namespace spacestore::domain
