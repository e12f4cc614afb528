#pragma once

#include <chrono>

#include <boost/asio/steady_timer.hpp>

#include "server/net.h"

namespace spacestore::server {

class ConnectionRegistry;

// DeadlineSweeper is the one timer that enforces every connection's deadline. Each tick it
// asks the registry to cancel the connections past their deadline (ConnectionRegistry::
// CancelExpired), so a timeout fires between `read_timeout` and `read_timeout` plus one tick.
//
// Ownership: borrows the registry, which must outlive it. The timer runs on the strand given
// at construction (the server's control strand, shared with accepting and shutdown).
// Thread-safety: Start may be called from any thread; Stop must run on that strand.
class DeadlineSweeper {
 public:
  DeadlineSweeper(const Strand& strand, ConnectionRegistry& connections,
                  std::chrono::milliseconds read_timeout);
  DeadlineSweeper(const DeadlineSweeper&) = delete;
  DeadlineSweeper& operator=(const DeadlineSweeper&) = delete;

  // Starts ticking (the first tick is scheduled on the strand).
  void Start();
  // Stops for good: no check is posted after it returns.
  void Stop();

  // The tick for `read_timeout`: a quarter of it, clamped to 10..250 ms.
  static std::chrono::milliseconds TickFor(std::chrono::milliseconds read_timeout);

 private:
  void Schedule();

  ConnectionRegistry& connections_;
  const std::chrono::milliseconds tick_;
  asio::steady_timer timer_;
  bool stopped_ = false;  // Only touched on the strand.
};

}  // namespace spacestore::server
