// Listener: the accept loop and the connection side of graceful shutdown.
//
// Every accepted socket gets a strand of its own, and its session runs there, so per-connection
// state needs no lock. The loop itself runs on the control strand with the grace timer (and
// the deadline sweeper), so Shutdown can close the acceptor without a lock.
// Shutdown is cooperative. Closing the acceptor ends the loop, and ConnectionRegistry::Drain
// cancels only the connections that wait for a request. Requests in flight finish with
// Connection: close, and when the last connection unregisters the grace timer is cancelled,
// which lets the I/O threads run out of work. Cancelling every socket at once was rejected: it
// would cut uploads and downloads that could finish within the grace period.
//
// The connection limit pauses the loop instead of accepting and closing at once (or answering
// 503): a paused server costs nothing per waiting client, the kernel's backlog queues them in
// order, and a client waits a little instead of failing. Accepting to refuse would cost a
// descriptor, a read and a write per attempt, exactly when the server is busiest.
#include "server/listener.h"

#include <chrono>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "server/connection_registry.h"
#include "server/io_context_pool.h"
#include "server/session.h"

namespace spacestore::server {

Listener::Listener(IoContextPool& io, const Strand& control, SessionContext& sessions)
    : io_(io),
      control_(control),
      sessions_(sessions),
      acceptor_(io.control()),
      grace_timer_(control),
      room_timer_(control) {}

Result<void> Listener::Listen() {
  const HttpServerOptions& options = sessions_.options;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    return MakeError(Errc::kInvalidArgument, "listen",
                     "invalid listen address '" + options.host + "'");
  }
  const tcp::endpoint endpoint(address, options.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(Errc::kUnavailable, "listen",
                     "cannot listen on " + options.host + ":" + std::to_string(options.port) +
                         ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  return {};
}

void Listener::Start() { asio::co_spawn(control_, Accept(), asio::detached); }

void Listener::Shutdown() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  room_timer_.cancel();  // A loop paused at the connection limit ends too.
  // Connections still busy after the grace period are cut.
  grace_timer_.expires_after(sessions_.options.shutdown_grace);
  grace_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) io_.Stop();
  });
  sessions_.connections.Drain([this] { asio::post(control_, [this] { grace_timer_.cancel(); }); });
}

awaitable<bool> Listener::WaitForSlot() {
  ConnectionRegistry& connections = sessions_.connections;
  // The waiter posts to the control strand, where this coroutine runs: it cannot cancel the
  // timer before the wait below has begun.
  const auto wake = [this] { asio::post(control_, [this] { room_timer_.cancel(); }); };
  if (connections.Admit(wake)) co_return true;
  spdlog::warn("connection limit reached ({} connections): not accepting until one closes",
               connections.max_connections());
  const auto paused = std::chrono::steady_clock::now();
  do {
    room_timer_.expires_at(asio::steady_timer::time_point::max());
    co_await room_timer_.async_wait(kTuple);
    if (sessions_.stopping) co_return false;
  } while (!connections.Admit(wake));
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - paused);
  spdlog::info("accepting connections again after {} ms at the limit", waited.count());
  co_return true;
}

awaitable<void> Listener::Accept() {
  for (;;) {
    if (!co_await WaitForSlot()) co_return;
    auto strand = io_.Next().get_executor();
    auto [ec, socket] = co_await acceptor_.async_accept(strand, kTuple);
    if (ec) {
      sessions_.connections.Release();  // No connection came of this slot.
      if (sessions_.stopping) co_return;
      // Out of descriptors and the like fail at once: back off instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(control_, std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    asio::co_spawn(strand, RunSession(sessions_, std::move(socket), strand), asio::detached);
  }
}

}  // namespace spacestore::server
