#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "server/connection.h"

namespace spacestore::server {

// ConnectionRegistry lists the server's live connections for the two things that act on a
// connection from outside its strand: the deadline sweeper (CancelExpired) and graceful
// shutdown (Drain). It also counts the slots of the connection limit (Admit, Release): the
// accept loop takes a slot before each accept and the session gives it back as it ends, so
// the limit also counts connections accepted whose session has not registered yet. Neither touches
// a connection directly. Each posts a check to the connection's strand, where the connection is
// looked up again by id, because it may have ended in the meantime. Only then is its socket
// cancelled. Sessions unregister on that same strand, so a connection found there stays alive until
// the check returns.
//
// Ownership: the registry never owns a connection. A session registers the Connection in its
// coroutine frame when it starts and unregisters it, on its strand, as it ends.
// Thread-safety: thread-safe. The map, the id counter and the slots are guarded by `mu_`, which
// is never held while a socket is cancelled or a waiter for a slot is called.
class ConnectionRegistry {
 public:
  static constexpr size_t kUnlimited = std::numeric_limits<size_t>::max();

  // `max_connections` slots for Admit; at least 1.
  explicit ConnectionRegistry(size_t max_connections = kUnlimited);
  ConnectionRegistry(const ConnectionRegistry&) = delete;
  ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

  // Adds `conn` and assigns its id. `conn` must stay alive until Unregister.
  void Register(Connection& conn) LOCKS_EXCLUDED(mu_);

  // Removes `conn`. Called on `conn.strand`. After Drain, the call that leaves the registry
  // empty calls Drain's `on_empty`.
  void Unregister(const Connection& conn) LOCKS_EXCLUDED(mu_);

  // For the sweeper: posts a check to each connection whose deadline had passed at `now`
  // (steady-clock ns). On the connection's strand, a connection that is still registered and
  // still past that deadline (not re-armed since) is marked `timed_out` and its socket is
  // cancelled, so its pending read or write completes with operation_aborted.
  void CancelExpired(int64_t now) LOCKS_EXCLUDED(mu_);

  // For graceful shutdown: posts a check to each connection that cancels its socket if it is
  // still `reading` (waiting for a request head) when the check runs. `on_empty` is called
  // once no connection is left: at once if there is none, otherwise by the Unregister that
  // removes the last one (and again whenever a connection accepted late leaves the registry
  // empty). It runs with the registry's lock held, so it must not call back into the
  // registry: a post elsewhere is what it is for. Call at most once.
  void Drain(std::function<void()> on_empty) LOCKS_EXCLUDED(mu_);

  // For the accept loop, before each accept: takes a slot and returns true if fewer than
  // `max_connections` are taken. Otherwise returns false and keeps `on_room`, which the
  // Release that frees a slot calls once (on that thread, without the lock: a post elsewhere
  // is what it is for). A later refused Admit replaces a waiter not yet called.
  [[nodiscard]] bool Admit(std::function<void()> on_room) LOCKS_EXCLUDED(mu_);
  // Gives back a slot taken by Admit: when the connection it was for has ended, or when the
  // accept it was taken for failed.
  void Release() LOCKS_EXCLUDED(mu_);
  // Slots taken: connections accepted (or about to be) and not yet ended.
  size_t admitted() const LOCKS_EXCLUDED(mu_);
  size_t max_connections() const { return max_connections_; }

 private:
  // Runs `check` on `conn`'s strand if `conn` is still registered by then.
  template <class F>
  void PostCheck(const Connection& conn, F check) EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The registered connection with this id, or null.
  Connection* Find(uint64_t id) LOCKS_EXCLUDED(mu_);

  const size_t max_connections_;
  mutable Mutex mu_;
  uint64_t next_id_ GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Connection*> connections_ GUARDED_BY(mu_);
  std::function<void()> on_empty_ GUARDED_BY(mu_);  // Set by Drain.
  size_t admitted_ GUARDED_BY(mu_) = 0;
  std::function<void()> on_room_ GUARDED_BY(mu_);  // Set by a refused Admit.
};

}  // namespace spacestore::server
