#pragma once

#include <cstdint>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/result.h"
#include "server/net.h"

namespace spacestore::server {

class IoContextPool;
struct SessionContext;

// Listener owns the listening socket (Beast's `listener`): it binds, accepts connections and
// starts a session for each (RunSession) on the pool's next context, whose executor is its strand,
// and carries out the connection side of graceful shutdown. It keeps to the connection limit
// (max_connections): at the limit it stops accepting until a connection ends, so further clients
// wait in the kernel's listen backlog, and it logs once when it pauses and once when it resumes.
//
// Ownership: owns the acceptor, the shutdown grace timer and the timer it pauses on; borrows the
// I/O contexts and the session context, which must outlive it. Thread-safety: Listen and Start from
// one thread, before the I/O threads run; Shutdown on the control strand. The accept loop runs on
// the control strand, so the acceptor and the timer are only ever touched there.
class Listener {
 public:
  Listener(IoContextPool& io, const Strand& control, SessionContext& sessions);
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds and listens on the options' host and port. kInvalidArgument for a host that is not
  // an IP address, kUnavailable if the address cannot be bound.
  Result<void> Listen();
  // The bound port (after Listen).
  uint16_t port() const { return port_; }

  // Starts the accept loop on the control strand. A failed accept (out of descriptors, say)
  // is logged and retried after 100 ms; after Shutdown the loop ends. At the connection limit
  // the loop waits, without accepting, until a connection ends (or Shutdown).
  void Start();

  // Stops accepting and drains the registry: connections waiting for a request are cancelled,
  // requests in flight may finish. If some are still busy after `shutdown_grace`, the
  // I/O contexts are stopped, which cuts them. Call once, on the control strand, after
  // `stopping` is set.
  void Shutdown();

 private:
  awaitable<void> Accept();
  // Waits on the control strand until a slot of the connection limit is taken for the next
  // accept. Returns false if shutdown began meanwhile.
  awaitable<bool> WaitForSlot();

  IoContextPool& io_;
  const Strand control_;
  SessionContext& sessions_;
  tcp::acceptor acceptor_;
  asio::steady_timer grace_timer_;
  // Never expires: at the limit the loop waits on it, and a freed slot cancels it.
  asio::steady_timer room_timer_;
  uint16_t port_ = 0;
};

}  // namespace spacestore::server
