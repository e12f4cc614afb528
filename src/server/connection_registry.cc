// ConnectionRegistry: a map from id to Connection behind one mutex.
//
// Checks find their connection by id on its strand rather than carrying the pointer, because
// the pointer may dangle by the time the check runs: the session may have ended and its frame
// been freed. Ids are never reused, so a stale check finds nothing. The lock is held only to
// read or change the map. The socket is cancelled after the lock is released: the session
// unregisters on the strand the check is running on, so the connection cannot go away in
// between, and checks on many strands do not queue on one lock while cancelling sockets.
#include "server/connection_registry.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include <boost/asio/post.hpp>

namespace spacestore::server {

template <class F>
void ConnectionRegistry::PostCheck(const Connection& conn, F check) {
  asio::post(conn.strand, [this, id = conn.id, check] {
    if (Connection* c = Find(id)) check(*c);
  });
}

ConnectionRegistry::ConnectionRegistry(size_t max_connections)
    : max_connections_(std::max<size_t>(1, max_connections)) {}

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

bool ConnectionRegistry::Admit(std::function<void()> on_room) {
  MutexLock lock(mu_);
  if (admitted_ < max_connections_) {
    ++admitted_;
    return true;
  }
  on_room_ = std::move(on_room);
  return false;
}

void ConnectionRegistry::Release() {
  std::function<void()> waiter;
  {
    MutexLock lock(mu_);
    assert(admitted_ > 0);  // Every Release gives back a slot an Admit took.
    --admitted_;
    waiter = std::move(on_room_);
    on_room_ = nullptr;
  }
  // Outside the lock: the waiter may post, or (in tests) call Admit again.
  if (waiter) waiter();
}

size_t ConnectionRegistry::admitted() const {
  MutexLock lock(mu_);
  return admitted_;
}

}  // namespace spacestore::server
