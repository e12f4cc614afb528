// ConnectionRegistry: a map from id to Connection behind one mutex.
//
// Checks find their connection by id on its strand rather than carrying the pointer, because
// the pointer may dangle by the time the check runs: the session may have ended and its frame
// been freed. Ids are never reused, so a stale check finds nothing. The lock is held only to
// read or change the map. The socket is cancelled after the lock is released: the session
// unregisters on the strand the check is running on, so the connection cannot go away in
// between, and checks on many strands do not queue on one lock while cancelling sockets.
#include "server/connection_registry.h"

#include <utility>

#include <boost/asio/post.hpp>

namespace spacestore::server {

template <class F>
void ConnectionRegistry::PostCheck(const Connection& conn, F check) {
  asio::post(conn.strand, [this, id = conn.id, check] {
    if (Connection* c = Find(id)) check(*c);
  });
}

Connection* ConnectionRegistry::Find(uint64_t id) {
  MutexLock lock(mu_);
  const auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second;
}

void ConnectionRegistry::Register(Connection& conn) {
  MutexLock lock(mu_);
  conn.id = ++next_id_;
  connections_.emplace(conn.id, &conn);
}

void ConnectionRegistry::Unregister(const Connection& conn) {
  MutexLock lock(mu_);
  if (connections_.erase(conn.id) == 1 && on_empty_ && connections_.empty()) on_empty_();
}

void ConnectionRegistry::CancelExpired(int64_t now) {
  MutexLock lock(mu_);
  for (const auto& [id, conn] : connections_) {
    if (!conn->PastDeadline(now)) continue;
    PostCheck(*conn, [now](Connection& c) {
      if (!c.PastDeadline(now)) return;  // Re-armed for a later operation meanwhile.
      c.timed_out = true;
      boost::system::error_code ignored;
      c.socket->cancel(ignored);
    });
  }
}

void ConnectionRegistry::Drain(std::function<void()> on_empty) {
  MutexLock lock(mu_);
  on_empty_ = std::move(on_empty);
  for (const auto& [id, conn] : connections_) {
    PostCheck(*conn, [](Connection& c) {
      boost::system::error_code ignored;
      if (c.reading) c.socket->cancel(ignored);
    });
  }
  if (connections_.empty()) on_empty_();
}

}  // namespace spacestore::server
