#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <utility>

#include "server/net.h"

namespace spacestore::server {

// Steady-clock time in nanoseconds: the unit of connection deadlines.
inline int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Connection is one accepted connection as seen from outside its session: what the deadline
// sweeper and graceful shutdown may do to it (cancel its socket) and when (past its deadline;
// while it waits for a request). The session owns both the Connection and the socket, in its
// coroutine frame; ConnectionRegistry holds a pointer to it from Register to Unregister.
//
// Thread-safety: `socket` and `strand` are set at construction and `id` by
// ConnectionRegistry::Register; after that they are only read. `reading` and `timed_out` are
// touched only on `strand`. `deadline` is atomic: written on `strand`, read by the sweeper.
struct Connection {
  Connection(tcp::socket& s, Strand st) : socket(&s), strand(std::move(st)) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Gives the connection `timeout` for its next read or write.
  void Arm(std::chrono::nanoseconds timeout) {
    timed_out = false;
    deadline.store(SteadyNanos() + timeout.count(), std::memory_order_relaxed);
  }
  // The operation finished in time: no deadline until the next Arm.
  void Disarm() { deadline.store(kNoDeadline, std::memory_order_relaxed); }
  // Whether the deadline had passed at `now` (steady-clock nanoseconds).
  bool PastDeadline(int64_t now) const { return deadline.load(std::memory_order_relaxed) < now; }

  static constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();

  uint64_t id = 0;  // Unique for the server's lifetime; assigned by Register.
  tcp::socket* socket;
  Strand strand;
  // True while the connection waits for (or reads) a request head; shutdown cancels it then.
  // From the head on, the request is in flight and shutdown lets it finish.
  bool reading = true;
  bool timed_out = false;  // Set by the sweeper when it cancelled the current operation.
  // When the current read or write must have finished (steady clock, ns).
  std::atomic<int64_t> deadline{kNoDeadline};
};

}  // namespace spacestore::server
