#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "base/clock.h"
#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"
#include "domain/identity.h"
#include "domain/lease.h"
#include "domain/metadata_store.h"
#include "domain/task.h"

namespace spacestore::domain {

// An operation bigger than this many dentries (the subtree's root included) runs as a task
// and answers async; smaller ones run inline in the request's transaction.
inline constexpr int64_t kAsyncThreshold = 1000;

// What runs a task of one kind: the whole operation, inside the transaction `tx` that also
// marks the task SUCCESS, so the operation and the task's outcome commit together or not at
// all. Returns the counts to report; an error rolls the operation back and the task is marked
// FAIL with that error (in a transaction of its own). Called on the runner's thread (or the
// caller of RunPending); it must only use `tx` for metadata, never the store itself.
using TaskHandler = std::function<Result<TaskCounts>(MetadataTransaction& tx, const Task& task)>;

struct TaskServiceOptions {
  // How long the runner sleeps when not woken before it looks for unfinished tasks again, in
  // milliseconds. It catches tasks whose run hit a failure it could not even record, and tasks
  // submitted by another process on the same store. Default: 5000.
  int64_t poll_interval_ms = 5000;
  // Called on the runner's thread with each task as it finished (SUCCESS or FAIL), e.g. to log
  // it. Must not block long. Default: none.
  std::function<void(const Task&)> on_finished;
  // Among nodes sharing the store, the lease the runner works under (kTaskLease), borrowed:
  // a pass runs only while this process holds it, renewed while a task runs and checked in
  // the transactions that claim and finish tasks, and released after the pass so the node
  // that next gets a task submitted runs it. Default: null (the only process on the store).
  Lease* lease = nullptr;
};

// TaskService runs durable background operations ("tasks"): an endpoint submits a task inside
// its own metadata transaction (so the task exists exactly when the request committed), and a
// runner executes each task's handler in ONE metadata transaction that also writes the task's
// SUCCESS, counts and end time. If that transaction fails, a separate one marks the task FAIL
// with the error. A crash (SIGKILL) at any instant leaves the tree as before or after the
// operation, never half: the task row then still reads INIT or IN_PROGRESS, and the runner
// resumes every such task when it starts (docs/api/dingtalk-v1.md, "Tasks").
//
// Life: register every kind's handler, then Start() the runner (one background thread), which
// first resumes every unfinished task of the store; Submit() wakes it. Stop() (or the
// destructor) lets the running task finish and joins the thread. Without Start(), RunPending()
// runs the tasks on the caller's thread (tests, tools).
//
// Visibility: a task is seen only by the org and app that submitted it; any other caller gets
// kNotFound (subject "task") exactly as for an id that never existed.
//
// Across nodes: with a lease, one runner at a time works through the store's unfinished tasks;
// a task left IN_PROGRESS by a node that died is resumed by the next holder (after the dead
// holder's lease expires), and the SUCCESS or FAIL of each task is written exactly once (the
// finishing transaction re-reads the task and checks the lease).
//
// Thread-safety: thread-safe after the handlers are registered: Submit, GetTask, Wake and
// RunPending may be called from any thread, also while the runner runs (a task is claimed in a
// write transaction, so two runners never both finish one). Borrows the store and the clock;
// owns the runner thread.
class TaskService {
 public:
  TaskService(MetadataStore& store, const Clock& clock, TaskServiceOptions options = {});
  ~TaskService();
  TaskService(const TaskService&) = delete;
  TaskService& operator=(const TaskService&) = delete;

  // Sets the handler for tasks of `kind`, replacing any earlier one. REQUIRES: before Start()
  // and before any task of that kind is run; a task whose kind has no handler FAILs
  // (kInternal).
  void Register(std::string kind, TaskHandler handler);

  // Inserts a new INIT task of `kind` for `actor` inside the caller's transaction `tx`, with
  // `params` (TaskParams encoded) and `total_count` items, and wakes the runner; it starts once
  // `tx` commits (and never if it rolls back). Returns the task as inserted (its id is the
  // taskId to answer). Errors of the store.
  Result<Task> Submit(MetadataTransaction& tx, const Actor& actor, std::string kind,
                      std::string params, int64_t total_count);

  // A task the actor's org and app submitted. kNotFound (subject "task") for any other id;
  // kPermissionDenied (subject "user") when the acting unionId is not a member of the org.
  Result<Task> GetTask(const Actor& actor, std::string_view task_id);

  // Starts the runner thread, which resumes every unfinished task first. Once only.
  void Start();
  // Stops the runner: the task being run finishes (or fails) first; the others stay unfinished
  // in the store and resume at the next Start. Idempotent.
  void Stop();
  // Makes the runner look for unfinished tasks now (Submit does it).
  void Wake();

  // Runs every unfinished task on the calling thread, oldest first, until none is left;
  // returns how many it ran. A task whose outcome could not be recorded (its FAIL write failed)
  // ends the pass with that error.
  Result<int> RunPending();

 private:
  // Claims the oldest unfinished task (INIT -> IN_PROGRESS with its begin time) in a write
  // transaction; nullopt when there is none.
  Result<std::optional<Task>> ClaimNext();
  // Runs a claimed task and records its outcome (SUCCESS, or FAIL). An error only when even
  // the FAIL could not be written; the task then stays IN_PROGRESS for a later pass.
  Result<void> Execute(const Task& task);
  // Writes FAIL with `error` in its own transaction; the task as written, or nullopt when it
  // was no longer IN_PROGRESS.
  Result<std::optional<Task>> MarkFailed(const std::string& task_id, const Error& error);
  TaskHandler HandlerOf(const std::string& kind);
  void RunLoop();
  // One pass of the runner over the unfinished tasks, under the lease if there is one. false
  // when the lease is held elsewhere (or could not be taken): the caller tries again soon.
  bool RunPass();
  // Whether any task is unfinished (a read, so idle nodes poll without writing).
  bool AnyUnfinished();

  MetadataStore& store_;
  const Clock& clock_;
  const TaskServiceOptions options_;

  Mutex mu_;
  CondVar wake_cv_;
  std::map<std::string, TaskHandler, std::less<>> handlers_ GUARDED_BY(mu_);
  bool woken_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread runner_;  // Touched only by Start and Stop (the owner's thread).
};

}  // namespace spacestore::domain
