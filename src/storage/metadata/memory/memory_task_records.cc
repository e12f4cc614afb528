// The task aggregate in memory.
#include "storage/metadata/memory/memory_task_records.h"

#include <algorithm>

namespace spacestore::storage::memory {

// TaskRecords

Result<void> MemoryTaskRecords::Insert(const domain::Task& task) {
  if (state_.tasks.contains(task.id)) return Exists("task", task.id);
  undo_.Remember(state_.tasks, task.id);
  undo_.Remember(state_.task_seq, task.id);
  state_.tasks.emplace(task.id, task);
  state_.task_seq[task.id] = state_.next_seq++;
  return {};
}

Result<domain::Task> MemoryTaskRecords::Get(std::string_view task_id) {
  const auto it = state_.tasks.find(task_id);
  if (it == state_.tasks.end()) return NotFound("task", task_id);
  return it->second;
}

Result<void> MemoryTaskRecords::Update(const domain::Task& task) {
  const auto it = state_.tasks.find(task.id);
  if (it == state_.tasks.end()) return NotFound("task", task.id);
  undo_.Remember(state_.tasks, task.id);
  domain::Task& stored = it->second;
  stored.status = task.status;
  stored.counts = task.counts;
  stored.failure = task.failure;
  stored.begin_time = task.begin_time;
  stored.end_time = task.end_time;
  return {};
}

Result<std::vector<domain::Task>> MemoryTaskRecords::ListUnfinished(int limit) {
  std::vector<const domain::Task*> open;
  for (const auto& [id, t] : state_.tasks) {
    if (!t.finished()) open.push_back(&t);
  }
  auto seq = [&](const domain::Task* t) { return state_.task_seq.find(t->id)->second; };
  std::sort(open.begin(), open.end(), [&](const auto* a, const auto* b) {
    return std::pair(a->create_time, seq(a)) < std::pair(b->create_time, seq(b));
  });
  std::vector<domain::Task> out;
  for (const auto* t : open) {
    if (std::ssize(out) == limit) break;
    out.push_back(*t);
  }
  return out;
}

}  // namespace spacestore::storage::memory
