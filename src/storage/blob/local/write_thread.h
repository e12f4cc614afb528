#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string_view>
#include <thread>

#include "base/mutex.h"
#include "base/thread_annotations.h"

namespace spacestore::storage {

// WriteThread writes byte ranges to files on a thread of its own, so that the thread handing
// it a range can do something else with the same bytes meanwhile (hash them): a large upload's
// chunk then costs the longer of the two instead of their sum.
//
// Ownership: owns its thread, which ends with the object; borrows the descriptors and bytes of
// each call for the length of that call. Thread-safety: thread-safe; calls from several threads
// are written one after another.
class WriteThread {
 public:
  WriteThread();
  ~WriteThread();
  WriteThread(const WriteThread&) = delete;
  WriteThread& operator=(const WriteThread&) = delete;

  // Writes all of `data` to `fd` at `offset` (pwrite, retried after EINTR and short writes) on
  // the write thread while this thread runs `meanwhile`; returns once both are done. 0, or the
  // errno of the write that failed (how much reached the file is then unknown).
  int WriteWhile(int fd, std::string_view data, int64_t offset,
                 const std::function<void()>& meanwhile);

 private:
  struct Job;
  void Loop();

  Mutex mu_;
  CondVar queued_;  // A job was queued, or stopping_ set.
  std::deque<Job*> jobs_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;  // Last: starts once the rest is constructed.
};

// Writes all of `data` to `fd` at `offset` on the calling thread; 0 or the errno.
int WriteFully(int fd, std::string_view data, int64_t offset);

}  // namespace spacestore::storage
