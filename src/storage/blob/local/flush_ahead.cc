// FlushAhead: one thread and a queue of records. A record is queued at most once, so a file
// whose flushes take longer than its data takes to arrive gets one flush at a time, each
// covering everything written before it began, rather than a backlog. Rejected: a flush on the
// writer's own thread, which would stall the upload's pipeline for the flush's length, and a
// syncfs, which would also write back every other upload's staged bytes.
#include "storage/blob/local/flush_ahead.h"

#include <algorithm>
#include <utility>

namespace spacestore::storage {

FlushAhead::FlushAhead(FlushFn flush) : flush_(std::move(flush)), thread_([this] { Loop(); }) {}

FlushAhead::~FlushAhead() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  queued_.SignalAll();
  thread_.join();
}

bool FlushAhead::Start(Flushes& flushes, int fd) {
  {
    MutexLock lock(mu_);
    // After a failure the commit fails anyway: no point in flushing more.
    if (!flush_ || flushes.queued_ || flushes.running_ || flushes.error_ != 0 || stopping_) {
      return false;
    }
    queue_.push_back(&flushes);  // First: if it throws, the record is not marked queued.
    flushes.fd_ = fd;
    flushes.queued_ = true;
  }
  queued_.Signal();
  return true;
}

int FlushAhead::Finish(Flushes& flushes) {
  MutexLock lock(mu_);
  if (flushes.queued_) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), &flushes));
    flushes.queued_ = false;
  }
  while (flushes.running_) flushes.ended_.Wait(mu_);
  return flushes.error_;
}

void FlushAhead::Loop() {
  for (;;) {
    Flushes* flushes = nullptr;
    int fd = -1;
    {
      MutexLock lock(mu_);
      while (queue_.empty() && !stopping_) queued_.Wait(mu_);
      if (queue_.empty()) return;  // Stopping, and nothing is queued.
      flushes = queue_.front();
      queue_.pop_front();
      flushes->queued_ = false;
      flushes->running_ = true;
      fd = flushes->fd_;
    }
    const int error = flush_(fd);
    MutexLock lock(mu_);
    flushes->running_ = false;
    if (flushes->error_ == 0) flushes->error_ = error;
    // Under the mutex: once it is released, Finish may return and the record be destroyed.
    flushes->ended_.SignalAll();
  }
}

}  // namespace spacestore::storage
