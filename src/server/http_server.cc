// HttpServer: the Beast front end.
//
// Each connection is one C++20 coroutine on its own strand (house style: Beast's
// advanced_server_flex_awaitable). A request is read with a parser that enforces the header
// and body limits; a timer cancels the socket when the read takes longer than read_timeout,
// which (unlike beast::tcp_stream's expiry, which closes the socket) still lets us answer 408.
// The complete request is then handed to the worker pool with co_spawn, and the coroutine
// resumes on its strand to write the answer. Shutdown closes the acceptor, cancels connections
// that are waiting for a request and lets the others finish theirs.
#include "server/http_server.h"

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "base/ids.h"
#include "server/access_log.h"

namespace spacestore::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

namespace {

// What the shutdown path may do to a connection: cancel it while it waits for a request, or
// let it finish the one it is handling.
struct Connection {
  tcp::socket* socket = nullptr;
  asio::strand<asio::io_context::executor_type> strand;
  bool reading = true;  // Touched only on `strand`.
};

void FillHeaders(const http::request<http::string_body>& in, HttpRequest& out) {
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  out.headers.reserve(std::distance(in.begin(), in.end()));
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler& handler)
      : options_(std::move(options)),
        handler_(handler),
        ioc_(std::max(1, options_.io_threads)),
        acceptor_(ioc_),
        signals_(ioc_),
        workers_(static_cast<size_t>(std::max(1, options_.worker_threads))),
        grace_timer_(ioc_) {}

  Result<void> Listen() {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options_.host, ec);
    if (ec) {
      return MakeError(Errc::kInvalidArgument, "listen",
                       "invalid listen address '" + options_.host + "'");
    }
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return MakeError(Errc::kUnavailable, "listen",
                       "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                           ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    return {};
  }

  uint16_t port() const { return port_; }

  void Run() {
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](boost::system::error_code ec, int) {
        if (!ec) Stop();
      });
    }
    asio::co_spawn(ioc_, Accept(), asio::detached);
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    workers_.join();
  }

  void Stop() {
    asio::post(ioc_, [this] {
      if (stopping_.exchange(true)) return;
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      signals_.cancel(ignored);
      std::lock_guard lock(mu_);
      for (Connection* c : connections_) {
        asio::post(c->strand, [c] {
          boost::system::error_code ec;
          if (c->reading) c->socket->cancel(ec);
        });
      }
      // Connections still busy after the grace period are cut.
      grace_timer_.expires_after(options_.shutdown_grace);
      grace_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) ioc_.stop();
      });
      if (connections_.empty()) grace_timer_.cancel();
    });
  }

 private:
  awaitable<void> Accept() {
    for (;;) {
      auto strand = asio::make_strand(ioc_);
      auto [ec, socket] = co_await acceptor_.async_accept(strand, kTuple);
      if (ec) {
        if (stopping_) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      asio::co_spawn(strand, Session(std::move(socket), strand), asio::detached);
    }
  }

  void Register(Connection* c) {
    std::lock_guard lock(mu_);
    connections_.insert(c);
  }

  void Unregister(Connection* c) {
    std::lock_guard lock(mu_);
    connections_.erase(c);
    if (stopping_ && connections_.empty()) {
      asio::post(ioc_, [this] { grace_timer_.cancel(); });
    }
  }

  // Runs the handler on the worker pool; never throws.
  HttpResponse SafeHandle(HttpRequest& request) noexcept {
    try {
      return handler_.Handle(request);
    } catch (const std::exception& e) {
      spdlog::error("request_id={} unhandled exception: {}", request.request_id, e.what());
    } catch (...) {
      spdlog::error("request_id={} unhandled non-standard exception", request.request_id);
    }
    return handler_.Reject(500, request);
  }

  awaitable<void> Session(tcp::socket socket,
                          asio::strand<asio::io_context::executor_type> strand) {
    Connection conn{&socket, strand, true};
    Register(&conn);
    try {
      co_await Serve(socket, conn);
    } catch (const std::exception& e) {
      spdlog::error("connection error: {}", e.what());
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
    Unregister(&conn);
  }

  awaitable<void> Serve(tcp::socket& socket, Connection& conn) {
    beast::flat_buffer buffer;
    asio::steady_timer timer(socket.get_executor());
    std::string remote;
    {
      boost::system::error_code ec;
      const auto peer = socket.remote_endpoint(ec);
      if (!ec) remote = peer.address().to_string();
    }
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
      parser.body_limit(options_.body_limit);

      conn.reading = true;
      if (stopping_) co_return;
      auto timed_out = std::make_shared<bool>(false);
      timer.expires_after(options_.read_timeout);
      timer.async_wait([&socket, timed_out](boost::system::error_code ec) {
        if (ec) return;
        *timed_out = true;
        boost::system::error_code ignored;
        socket.cancel(ignored);
      });
      auto [ec, bytes] = co_await http::async_read(socket, buffer, parser, kTuple);
      timer.cancel();
      conn.reading = false;
      const auto started = std::chrono::steady_clock::now();

      HttpRequest request;
      request.request_id = NewRequestId();
      request.remote = remote;
      if (ec) {
        int status = 0;
        if (ec == http::error::body_limit) {
          status = 413;
        } else if (ec == http::error::header_limit) {
          status = 431;
        } else if (*timed_out) {
          status = parser.got_some() ? 408 : 0;
        } else if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
                   ec != http::error::end_of_stream && ec != http::error::partial_message) {
          status = 400;
        }
        if (status == 0) co_return;  // Closed, reset, idle timeout or shutdown: nothing to say.
        if (parser.is_header_done()) {
          FillHeaders(parser.get(), request);
          (void)ParseTarget(request.target, request.path, request.query);
        }
        co_await Write(socket, request, handler_.Reject(status, request), false, started);
        co_return;
      }

      http::request<http::string_body> message = parser.release();
      FillHeaders(message, request);
      request.body = std::move(message.body());
      const bool keep_alive = message.keep_alive();
      HttpResponse response;
      if (!ParseTarget(request.target, request.path, request.query)) {
        response = handler_.Reject(400, request);
      } else {
        response = co_await asio::co_spawn(
            workers_,
            [this, &request]() -> awaitable<HttpResponse> { co_return SafeHandle(request); },
            use_awaitable);
      }
      if (!co_await Write(socket, request, std::move(response), keep_alive && !stopping_,
                          started)) {
        co_return;
      }
      if (!keep_alive || stopping_) co_return;
    }
  }

  // Writes one response; returns false if the connection is unusable afterwards.
  awaitable<bool> Write(tcp::socket& socket, const HttpRequest& request, HttpResponse response,
                        bool keep_alive, std::chrono::steady_clock::time_point started) {
    http::response<http::string_body> res{static_cast<http::status>(response.status), 11};
    res.set(http::field::server, "spacestore");
    res.set(http::field::content_type, response.content_type);
    res.set("x-acs-request-id", request.request_id);
    for (auto& [name, value] : response.headers) res.set(name, value);
    res.body() = std::move(response.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    const uint64_t size = res.body().size();

    asio::steady_timer timer(socket.get_executor());
    timer.expires_after(options_.read_timeout);
    timer.async_wait([&socket](boost::system::error_code ec) {
      if (ec) return;
      boost::system::error_code ignored;
      socket.cancel(ignored);
    });
    auto [ec, written] = co_await http::async_write(socket, res, kTuple);
    timer.cancel();
    if (options_.access_log != nullptr) {
      const auto elapsed = std::chrono::steady_clock::now() - started;
      options_.access_log->Record(AccessRecord{
          request.request_id, request.remote, request.method, request.target, response.status, size,
          std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()});
    }
    co_return !ec;
  }

  const HttpServerOptions options_;
  HttpHandler& handler_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::thread_pool workers_;
  asio::steady_timer grace_timer_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::set<Connection*> connections_;  // Guarded by mu_.
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}
HttpServer::~HttpServer() = default;
Result<void> HttpServer::Listen() { return impl_->Listen(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Run() { impl_->Run(); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace spacestore::server
