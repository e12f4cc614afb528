// HttpServer: the composition of the Beast front end, as a Beast example's main() is.
//
// The units, each in its own file:
//   - Listener (listener.h): accept loop, one session per connection on an I/O context, and the
//     connection side of graceful shutdown;
//   - RunSession (session.h): the per-connection coroutine, read -> route -> write, limits,
//     streamed downloads;
//   - UploadStream (upload_stream.h): streamed uploads;
//   - ConnectionRegistry and DeadlineSweeper: the live connections, and the one timer that
//     cancels those past their deadline (no timer per request);
//   - WorkerPool (worker_pool.h): handler calls off the I/O threads, resumed on the strand.
//   - IoContextPool (io_context_pool.h): the I/O threads, an io_context each.
// This file owns them, runs the I/O threads and starts shutdown.
#include "server/http_server.h"

#include <csignal>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "server/connection_registry.h"
#include "server/deadline_sweeper.h"
#include "server/io_context_pool.h"
#include "server/listener.h"
#include "server/net.h"
#include "server/session.h"
#include "server/worker_pool.h"

namespace spacestore::server {

class HttpServer::Impl {
 public:
  explicit Impl(HttpServerOptions options)
      : options_(std::move(options)),
        workers_(options_.worker_threads),
        finishers_(options_.upload_finish_threads),
        io_(options_.io_threads),
        control_(io_.control().get_executor()),
        signals_(io_.control()),
        connections_(options_.max_connections),
        sessions_{options_, workers_, finishers_, connections_},
        sweeper_(control_, connections_, options_.read_timeout),
        listener_(io_, control_, sessions_) {}

  // Signals are caught from here on, not only once Run starts: the caller announces the port
  // after Listen, and a SIGTERM sent on that announcement must stop the server cleanly, not
  // kill it (Asio queues the signal until Run).
  Result<void> Listen() {
    if (auto bound = listener_.Listen(); !bound) return bound;
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](boost::system::error_code ec, int) {
        if (!ec) Stop();
      });
    }
    return {};
  }
  uint16_t port() const { return listener_.port(); }

  void Run(HttpHandler& handler) {
    sessions_.handler = &handler;
    // Accepting, sweeping and stopping share the control strand, so the acceptor and the two
    // timers are never touched from two threads at once.
    listener_.Start();
    sweeper_.Start();
    io_.Run();
    workers_.Join();
    finishers_.Join();
  }

  void Stop() {
    asio::post(control_, [this] {
      if (sessions_.stopping.exchange(true)) return;
      boost::system::error_code ignored;
      signals_.cancel(ignored);
      sweeper_.Stop();  // No timeouts fire from here on; the grace timer bounds what is left.
      listener_.Shutdown();
    });
  }

 private:
  const HttpServerOptions options_;
  // Before the contexts, so they outlive them: connections cut at the end of the grace period
  // leave their coroutine frames to the contexts' destructor, and an upload's frame holds a
  // strand of the worker pool (UploadStream), whose destruction needs the pool.
  WorkerPool workers_;
  WorkerPool finishers_;  // BodySink::Finish of streamed uploads.
  IoContextPool io_;
  const Strand control_;  // Accepting, the sweeper, shutdown.
  asio::signal_set signals_;
  ConnectionRegistry connections_;
  SessionContext sessions_;
  DeadlineSweeper sweeper_;
  Listener listener_;
};

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpServer::~HttpServer() = default;
Result<void> HttpServer::Listen() { return impl_->Listen(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Run(HttpHandler& handler) { impl_->Run(handler); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace spacestore::server
