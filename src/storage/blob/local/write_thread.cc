// WriteThread: one thread and a queue. The caller's job lives on the caller's stack, with its own
// condition variable: the thread marks it done under the mutex and wakes that caller alone (a
// wake-up of every waiter per write woke each of many concurrent uploads once per other write).
// Rejected: writing on a second worker of the server's pool, which would make the blob store
// depend on the server's threads, and a thread per upload, which costs a thread start per body.
#include "storage/blob/local/write_thread.h"

#include <unistd.h>

#include <cerrno>

namespace spacestore::storage {

struct WriteThread::Job {
  Job(int fd_in, std::string_view data_in, int64_t offset_in)
      : fd(fd_in), data(data_in), offset(offset_in) {}
  int fd;
  std::string_view data;
  int64_t offset;
  int error = 0;
  bool done = false;
  CondVar finished;  // Signalled once done is set.
};

int WriteFully(int fd, std::string_view data, int64_t offset) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
  return 0;
}

WriteThread::WriteThread() : thread_([this] { Loop(); }) {}

WriteThread::~WriteThread() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  queued_.SignalAll();
  thread_.join();
}

int WriteThread::WriteWhile(int fd, std::string_view data, int64_t offset,
                            const std::function<void()>& meanwhile) {
  Job job(fd, data, offset);
  {
    MutexLock lock(mu_);
    jobs_.push_back(&job);
  }
  queued_.Signal();
  const auto wait = [&] {
    MutexLock lock(mu_);
    while (!job.done) job.finished.Wait(mu_);
  };
  try {
    meanwhile();
  } catch (...) {
    wait();  // The job lives on this stack: the write thread must be done with it first.
    throw;
  }
  wait();
  return job.error;
}

void WriteThread::Loop() {
  for (;;) {
    Job* job = nullptr;
    {
      MutexLock lock(mu_);
      while (jobs_.empty() && !stopping_) queued_.Wait(mu_);
      if (jobs_.empty()) return;  // Stopping, and nobody waits for a write.
      job = jobs_.front();
      jobs_.pop_front();
    }
    const int error = WriteFully(job->fd, job->data, job->offset);
    MutexLock lock(mu_);
    job->error = error;
    job->done = true;
    // Under the mutex: once it is released, the caller may return and destroy the job.
    job->finished.Signal();
  }
}

}  // namespace spacestore::storage
