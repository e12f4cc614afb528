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
#include "server/listener.h"

#include <string>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "server/connection_registry.h"
#include "server/session.h"

namespace spacestore::server {

Listener::Listener(asio::io_context& ioc, const Strand& control, SessionContext& sessions)
    : ioc_(ioc), control_(control), sessions_(sessions), acceptor_(ioc), grace_timer_(control) {}

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
  // Connections still busy after the grace period are cut.
  grace_timer_.expires_after(sessions_.options.shutdown_grace);
  grace_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) ioc_.stop();
  });
  sessions_.connections.Drain([this] { asio::post(control_, [this] { grace_timer_.cancel(); }); });
}

awaitable<void> Listener::Accept() {
  for (;;) {
    auto strand = asio::make_strand(ioc_);
    auto [ec, socket] = co_await acceptor_.async_accept(strand, kTuple);
    if (ec) {
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
