// GroupSync: runs are numbered; a caller needs the run after the newest one begun when it came,
// and whoever finds no run in progress while such a run is still needed starts it. Rejected: a
// dedicated sync thread fed by a queue. It costs a thread hand-off per group and a thread that
// idles, and the first waiter is a thread that would otherwise only sleep.
#include "storage/blob/local/group_sync.h"

#include <exception>

namespace spacestore::storage {

Result<void> GroupSync::Sync() {
  mu_.Lock();
  ++callers_;
  const uint64_t needed = started_ + 1;
  // Runs from this one on may have written back (and lost) the caller's pages.
  const uint64_t watched_from = running_ ? started_ : needed;
  while (finished_ < needed) {
    if (running_) {
      ended_.Wait(mu_);
      continue;
    }
    running_ = true;
    const uint64_t run = ++started_;
    mu_.Unlock();  // Others queue up for the next run meanwhile.
    Result<void> r;
    try {
      r = sync_();
    } catch (const std::exception& e) {
      // The waiters must learn the outcome, or they would wait for this run forever.
      r = MakeError(Errc::kInternal, "blob", e.what());
    } catch (...) {
      r = MakeError(Errc::kInternal, "blob", "the sync threw");
    }
    mu_.Lock();
    running_ = false;
    finished_ = run;
    if (!r) {
      last_failed_ = run;
      failure_ = r.error();
    }
    ended_.SignalAll();
  }
  --callers_;
  const bool failed = last_failed_ != 0 && last_failed_ >= watched_from;
  Error error = failed ? failure_ : Error{};
  mu_.Unlock();
  if (failed) return error;
  return {};
}

int GroupSync::CallersForTest() {
  MutexLock lock(mu_);
  return callers_;
}

}  // namespace spacestore::storage
