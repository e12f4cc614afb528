#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>

#include "server/net.h"

namespace spacestore::server {

// IoContextPool is the server's I/O threads: one io_context per thread, each run by exactly
// one thread (Asio's io_context-per-CPU design). Connections are dealt out round-robin and stay
// on their context for life, so two I/O threads never share a scheduler lock, an epoll set or a
// wake-up: a request is read, answered and written on one thread. One shared io_context run by
// every I/O thread cost GetSpace about a tenth of its CPU in lock hand-offs and futex wake-ups.
// Context 0 is the control context (accepting, the deadline sweeper, signals, shutdown).
//
// Ownership: owns the contexts; everything bound to one of them must be destroyed before the
// pool. Thread-safety: Next and control from any thread; Run from one thread; Stop from any.
class IoContextPool {
 public:
  // `threads` below 1 counts as 1.
  explicit IoContextPool(int threads);
  IoContextPool(const IoContextPool&) = delete;
  IoContextPool& operator=(const IoContextPool&) = delete;

  // The control context: the one that Run's caller runs.
  asio::io_context& control() { return *contexts_.front(); }
  // The context for the next connection, round-robin.
  asio::io_context& Next();
  size_t size() const { return contexts_.size(); }

  // Runs every context, each on a thread of its own (context 0 on the caller's), until the
  // control context runs out of work; then lets the others run out of theirs, and returns once
  // every thread has. If Stop was called meanwhile, the others are stopped instead.
  void Run();
  // Stops every context at once: handlers not yet run are abandoned (the end of the shutdown
  // grace period).
  void Stop();

 private:
  using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;

  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  // Keep contexts 1..n-1 running while they have no connection; released by Run.
  std::vector<WorkGuard> idle_guards_;
  std::atomic<size_t> next_{0};
};

}  // namespace spacestore::server
