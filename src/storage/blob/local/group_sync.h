#pragma once

#include <cstdint>
#include <functional>
#include <utility>

#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"

namespace spacestore::storage {

// GroupSync shares one run of a sync function (syncfs of the data directory's filesystem, for
// instance) among every thread that needs it at the same time, the way a database groups the
// commits of concurrent transactions: the first caller that finds no run in progress runs it,
// on behalf of everyone waiting; callers that come while it runs wait for the next run, which
// one of them then starts for all of them.
//
// The guarantee: Sync returns success only after a run that *began after Sync was called* has
// ended with success, so whatever the caller made durable-pending before calling (a rename, a
// written file) is covered. A run that was already in progress when the caller came does not
// count, since it may have started before the caller's write.
//
// Errors are conservative: a caller fails if the covering run failed, and also if any run it
// overlapped failed (the one in progress when it came, or one between), because a failed
// writeback may have dropped the caller's pages, which a later run would not report again.
//
// Ownership: owns the function. Thread-safety: thread-safe; Sync blocks the calling thread.
class GroupSync {
 public:
  using SyncFn = std::function<Result<void>()>;

  // `sync` is called by one thread at a time, never while another call runs.
  explicit GroupSync(SyncFn sync) : sync_(std::move(sync)) {}
  GroupSync(const GroupSync&) = delete;
  GroupSync& operator=(const GroupSync&) = delete;

  // Blocks until a run of the sync function that began after this call has ended (possibly
  // running it on this thread). The error of that run, or of any run this call overlapped.
  Result<void> Sync();

  // Callers inside Sync, running or waiting: lets a test know they have all arrived.
  int CallersForTest();

 private:
  const SyncFn sync_;
  Mutex mu_;
  CondVar ended_;                             // Signalled after each run.
  uint64_t started_ GUARDED_BY(mu_) = 0;      // Runs begun; the newest is number started_.
  uint64_t finished_ GUARDED_BY(mu_) = 0;     // The newest run that has ended.
  bool running_ GUARDED_BY(mu_) = false;      // Run number started_ is in progress.
  uint64_t last_failed_ GUARDED_BY(mu_) = 0;  // The newest run that failed; 0: none.
  Error failure_ GUARDED_BY(mu_);             // Its error.
  int callers_ GUARDED_BY(mu_) = 0;
};

}  // namespace spacestore::storage
