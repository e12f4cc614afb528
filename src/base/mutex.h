#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "base/thread_annotations.h"

namespace spacestore {

// Mutex is std::mutex as a clang thread-safety capability, so that members marked
// GUARDED_BY(mu_) are checked by -Wthread-safety (libstdc++'s std::mutex carries no
// annotations). Lock it with MutexLock; wait on it with CondVar. The shape is leveldb's
// port::Mutex and Abseil's Mutex.
// Thread-safety: thread-safe, as std::mutex. Not recursive.
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// MutexLock holds a Mutex for its scope (std::lock_guard, annotated).
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

// CondVar is a std::condition_variable for Mutex. Wait in a loop over the guarded condition,
// which the analysis checks, rather than with a predicate lambda, which it cannot:
//   MutexLock lock(mu_);
//   while (queue_.empty()) cv_.Wait(mu_);
// Thread-safety: thread-safe.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu`, blocks until signalled (or spuriously woken), then holds `mu` again.
  void Wait(Mutex& mu) EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // Still held: ownership stays with the caller's MutexLock.
  }
  // Wait, returning after `timeout` at the latest (a timed-out wait also holds `mu` again).
  void WaitFor(Mutex& mu, std::chrono::milliseconds timeout) EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait_for(lock, timeout);
    lock.release();
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace spacestore
