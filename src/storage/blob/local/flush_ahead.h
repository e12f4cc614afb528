#pragma once

#include <deque>
#include <functional>
#include <thread>

#include "base/mutex.h"
#include "base/thread_annotations.h"

namespace spacestore::storage {

// FlushAhead flushes files that are still being written (fdatasync, say) on a thread of its
// own, so that the sync that makes a large file durable at its end finds little left to do:
// the device's cache is flushed piece by piece while the rest of the file arrives, instead of
// all at once after its last byte.
//
// Each file has a Flushes record, owned by its writer: at most one flush of it is queued or
// running at a time, and the first error any of them reports is kept in it, because a flush
// that reports a writeback error consumes it (a later sync of the same descriptor would not
// report it again), so the file must not be committed.
//
// Ownership: owns its thread, which ends with the object; borrows each Flushes record and its
// descriptor from Start until Finish returns. Thread-safety: thread-safe; the flush function
// runs on the thread alone, one call at a time.
class FlushAhead {
 public:
  // Flushes one file's descriptor; 0 or an errno.
  using FlushFn = std::function<int(int fd)>;

  // One file's flushes.
  class Flushes {
   public:
    Flushes() = default;
    Flushes(const Flushes&) = delete;
    Flushes& operator=(const Flushes&) = delete;

   private:
    friend class FlushAhead;
    // All guarded by the FlushAhead's mutex (not annotated: the analysis cannot name another
    // object's member).
    int fd_ = -1;
    bool queued_ = false;   // In the queue, not begun.
    bool running_ = false;  // Being flushed.
    int error_ = 0;         // The first errno a flush reported.
    CondVar ended_;         // Signalled when a flush of this file ends.
  };

  explicit FlushAhead(FlushFn flush);
  ~FlushAhead();
  FlushAhead(const FlushAhead&) = delete;
  FlushAhead& operator=(const FlushAhead&) = delete;

  // Queues a flush of `fd` for `flushes`, unless one is queued or running already, or one has
  // failed (or there is no flush function). Returns whether it was queued.
  bool Start(Flushes& flushes, int fd);

  // Ends `flushes`: a queued flush is dropped (the caller's own sync covers its data), a
  // running one is waited for. Returns the first errno its flushes reported, or 0. The
  // descriptor may be closed, and the record destroyed, once it returns.
  int Finish(Flushes& flushes);

 private:
  void Loop();

  const FlushFn flush_;
  Mutex mu_;
  CondVar queued_;  // A flush was queued, or stopping_ set.
  std::deque<Flushes*> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;  // Last: starts once the rest is constructed.
};

}  // namespace spacestore::storage
