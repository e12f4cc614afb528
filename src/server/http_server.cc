// HttpServer: the Beast front end.
//
// Each connection is one C++20 coroutine on its own strand (house style: Beast's
// advanced_server_flex_awaitable). A request is read with a parser that enforces the header
// and body limits. Each connection carries a deadline, and one sweeper timer for the whole
// server cancels the socket of any connection past it: unlike beast::tcp_stream's expiry (which
// closes the socket) that still lets us answer 408, and unlike a timer per request it costs no
// system call per request.
// The complete request is then posted to the worker pool (OnWorker), and the coroutine
// resumes on its strand to write the answer. Shutdown closes the acceptor, cancels connections
// that are waiting for a request and lets the others finish theirs.
#include "server/http_server.h"

#include <array>
#include <atomic>
#include <csignal>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
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

// How long, and how much, a closing connection drains what the client still sends.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr size_t kLingerBytes = size_t{8} * 1024 * 1024;

// What the shutdown path may do to a connection: cancel it while it waits for a request, or
// let it finish the one it is handling.
struct Connection {
  uint64_t id = 0;
  tcp::socket* socket = nullptr;
  asio::strand<asio::io_context::executor_type> strand;
  bool reading = true;     // Touched only on `strand`.
  bool timed_out = false;  // Touched only on `strand`.
  // When the current read or write must have finished (steady clock, ns); max when idle-free.
  std::atomic<int64_t> deadline{std::numeric_limits<int64_t>::max()};
};

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <class Body>
void FillHeaders(const http::request<Body>& in, HttpRequest& out) {
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
  explicit Impl(HttpServerOptions options)
      : options_(std::move(options)),
        ioc_(std::max(1, options_.io_threads)),
        acceptor_(ioc_),
        signals_(ioc_),
        workers_(static_cast<size_t>(std::max(1, options_.worker_threads))),
        control_(asio::make_strand(ioc_)),
        grace_timer_(control_),
        sweep_timer_(control_) {}

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

  void Run(HttpHandler& handler) {
    handler_ = &handler;
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](boost::system::error_code ec, int) {
        if (!ec) Stop();
      });
    }
    // Accepting, sweeping and stopping share one strand, so the acceptor and the two timers are
    // never touched from two threads at once.
    asio::co_spawn(control_, Accept(), asio::detached);
    asio::post(control_, [this] { Sweep(); });
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    workers_.join();
  }

  void Stop() {
    asio::post(control_, [this] {
      if (stopping_.exchange(true)) return;
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      signals_.cancel(ignored);
      sweep_timer_.cancel();
      std::lock_guard lock(mu_);
      for (const auto& [id, c] : connections_) {
        OnConnection(*c, [](Connection& conn) {
          boost::system::error_code ec;
          if (conn.reading) conn.socket->cancel(ec);
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
  // Runs `f` on connection `c`'s strand if the connection still exists by then. Looking it up
  // by id on the strand makes that safe: the session ends (and unregisters) on the same strand.
  // REQUIRES: mu_ held by the caller.
  template <class F>
  void OnConnection(const Connection& c, F f) {
    asio::post(c.strand, [this, id = c.id, f] {
      std::lock_guard lock(mu_);
      const auto it = connections_.find(id);
      if (it != connections_.end()) f(*it->second);
    });
  }

  // The sweeper: a few times per read_timeout, cancels connections past their deadline.
  void Sweep() {
    const auto tick = std::clamp<std::chrono::milliseconds>(
        options_.read_timeout / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
    sweep_timer_.expires_after(tick);
    sweep_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping_) return;
      const int64_t now = SteadyNanos();
      {
        std::lock_guard lock(mu_);
        for (const auto& [id, c] : connections_) {
          if (c->deadline.load(std::memory_order_relaxed) >= now) continue;
          OnConnection(*c, [now](Connection& conn) {
            if (conn.deadline.load(std::memory_order_relaxed) >= now) return;  // Re-armed.
            conn.timed_out = true;
            boost::system::error_code ignored;
            conn.socket->cancel(ignored);
          });
        }
      }
      Sweep();
    });
  }

  // Gives the connection read_timeout for its next operation.
  void Arm(Connection& conn) {
    conn.timed_out = false;
    conn.deadline.store(
        SteadyNanos() +
            std::chrono::duration_cast<std::chrono::nanoseconds>(options_.read_timeout).count(),
        std::memory_order_relaxed);
  }

  static void Disarm(Connection& conn) {
    conn.deadline.store(std::numeric_limits<int64_t>::max(), std::memory_order_relaxed);
  }

  awaitable<void> Accept() {
    for (;;) {
      auto strand = asio::make_strand(ioc_);
      auto [ec, socket] = co_await acceptor_.async_accept(strand, kTuple);
      if (ec) {
        if (stopping_) co_return;
        // Out of descriptors and the like fail at once: back off instead of spinning.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(control_, std::chrono::milliseconds(100));
        co_await pause.async_wait(kTuple);
        continue;
      }
      asio::co_spawn(strand, Session(std::move(socket), strand), asio::detached);
    }
  }

  void Register(Connection* c) {
    std::lock_guard lock(mu_);
    c->id = ++next_connection_id_;
    connections_.emplace(c->id, c);
  }

  void Unregister(Connection* c) {
    std::lock_guard lock(mu_);
    connections_.erase(c->id);
    if (stopping_ && connections_.empty()) {
      asio::post(control_, [this] { grace_timer_.cancel(); });
    }
  }

  // Runs the handler on the worker pool; never throws.
  HttpResponse SafeHandle(HttpRequest& request) noexcept {
    try {
      return handler_->Handle(request);
    } catch (const std::exception& e) {
      spdlog::error("request_id={} unhandled exception: {}", request.request_id, e.what());
    } catch (...) {
      spdlog::error("request_id={} unhandled non-standard exception", request.request_id);
    }
    return handler_->Reject(500, request);
  }

  awaitable<void> Session(tcp::socket socket,
                          asio::strand<asio::io_context::executor_type> strand) {
    Connection conn{0, &socket, strand};
    Register(&conn);
    try {
      co_await Serve(socket, conn);
    } catch (const std::exception& e) {
      spdlog::error("connection error: {}", e.what());
    }
    // Lingering close: after our FIN, read and drop what the client still sends (a refused
    // upload's body) for a short while, so that closing with unread data does not make the
    // kernel send a reset that destroys the answer before the client reads it.
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    if (!stopping_) {
      const auto linger = std::min<std::chrono::milliseconds>(options_.read_timeout, kLingerTime);
      conn.deadline.store(
          SteadyNanos() + std::chrono::duration_cast<std::chrono::nanoseconds>(linger).count(),
          std::memory_order_relaxed);
      std::vector<char> drain(size_t{64} * 1024);
      for (size_t drained = 0; drained < kLingerBytes;) {
        auto [ec, n] = co_await socket.async_read_some(asio::buffer(drain), kTuple);
        if (ec) break;
        drained += n;
      }
    }
    socket.close(ignored);
    Unregister(&conn);
  }

  // Runs `f` on the worker pool and resumes on the caller's strand with its result.
  // A plain post there and back: co_spawn would also start a coroutine on the pool, which
  // costs an allocation and a scheduler round trip per request.
  template <class F>
  awaitable<std::invoke_result_t<F&>> OnWorker(F f) {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<R>) {
      co_await OnWorker([&f] {
        f();
        return true;
      });
    } else {
      co_return co_await asio::async_initiate<decltype(use_awaitable), void(std::exception_ptr, R)>(
          [this, &f](auto handler) {
            // The handler resumes the coroutine through its own executor (the strand); the
            // tracked executor keeps that io_context's work count up until it has.
            auto home = asio::prefer(asio::get_associated_executor(handler),
                                     asio::execution::outstanding_work.tracked);
            asio::post(
                workers_, [&f, home = std::move(home), handler = std::move(handler)]() mutable {
                  std::exception_ptr error;
                  std::optional<R> result;
                  try {
                    result.emplace(f());
                  } catch (...) {
                    error = std::current_exception();  // Rethrown in the coroutine.
                  }
                  asio::dispatch(
                      home, [handler = std::move(handler), error, r = std::move(result)]() mutable {
                        std::move(handler)(error, r ? std::move(*r) : R{});
                      });
                });
          },
          use_awaitable);
    }
  }

  // The status for a failed read, or 0 when there is nobody to answer (closed, reset, idle).
  template <class Parser>
  static int ReadErrorStatus(boost::system::error_code ec, bool timed_out, const Parser& parser) {
    if (ec == http::error::body_limit) return 413;
    if (ec == http::error::header_limit) return 431;
    if (timed_out) return parser.got_some() ? 408 : 0;
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return 400;
    }
    return 0;
  }

  // Answers "Expect: 100-continue" once the body is wanted; false if the socket failed.
  template <class Parser>
  awaitable<bool> ContinueIfExpected(tcp::socket& socket, const Parser& parser) {
    if (!beast::iequals(parser.get()[http::field::expect], "100-continue")) co_return true;
    http::response<http::empty_body> go_on{http::status::continue_, 11};
    auto [ec, n] = co_await http::async_write(socket, go_on, kTuple);
    co_return !ec;
  }

  awaitable<void> Serve(tcp::socket& socket, Connection& conn) {
    beast::flat_buffer buffer;
    std::string remote;
    {
      boost::system::error_code ec;
      const auto peer = socket.remote_endpoint(ec);
      if (!ec) remote = peer.address().to_string();
    }
    for (;;) {
      // Headers first, with a parser that does not buffer the body: whether the body is
      // buffered (JSON) or streamed (uploads) is decided once the path is known.
      http::request_parser<http::buffer_body> head;
      head.header_limit(static_cast<std::uint32_t>(options_.header_limit));
      head.body_limit(std::max<uint64_t>(options_.stream_body_limit, options_.body_limit));

      conn.reading = true;
      if (stopping_) co_return;
      Arm(conn);
      auto [ec, bytes] = co_await http::async_read_header(socket, buffer, head, kTuple);
      const auto started = std::chrono::steady_clock::now();

      HttpRequest request;
      request.request_id = NewRequestId();
      request.remote = remote;
      if (ec) {
        Disarm(conn);
        conn.reading = false;
        const int status = ReadErrorStatus(ec, conn.timed_out, head);
        if (status == 0) co_return;
        if (head.is_header_done()) FillHeaders(head.get(), request);
        (void)ParseTarget(request.target, request.path, request.query);
        co_await Write(socket, conn, request, handler_->Reject(status, request), false, started);
        co_return;
      }
      // From here the request is in flight: shutdown lets it finish (within the grace period).
      conn.reading = false;
      FillHeaders(head.get(), request);
      const bool keep_alive = head.get().keep_alive();
      const bool target_ok = ParseTarget(request.target, request.path, request.query);
      if (!target_ok) {
        Disarm(conn);
        co_await Write(socket, conn, request, handler_->Reject(400, request), false, started);
        co_return;
      }

      HttpResponse response;
      bool reusable = true;  // False when the body was not read to its end.
      if (handler_->StreamsBody(request)) {
        Disarm(conn);
        reusable = co_await StreamBody(socket, conn, buffer, head, request, response);
      } else {
        http::request_parser<http::string_body> parser(std::move(head));
        parser.body_limit(options_.body_limit);
        const auto length = parser.content_length();
        if (length && *length > options_.body_limit) {
          Disarm(conn);
          co_await Write(socket, conn, request, handler_->Reject(413, request), false, started);
          co_return;
        }
        if (!co_await ContinueIfExpected(socket, parser)) co_return;
        // A request without a body (GET) is complete already; reading would only cost a
        // round trip through the scheduler.
        boost::system::error_code bec;
        if (!parser.is_done()) {
          std::tie(bec, std::ignore) = co_await http::async_read(socket, buffer, parser, kTuple);
        }
        Disarm(conn);
        if (bec) {
          const int status = ReadErrorStatus(bec, conn.timed_out, parser);
          if (status == 0) co_return;
          co_await Write(socket, conn, request, handler_->Reject(status, request), false, started);
          co_return;
        }
        request.body = std::move(parser.get().body());
        response = co_await OnWorker([&] { return SafeHandle(request); });
      }
      const bool again = keep_alive && reusable && !stopping_;
      if (!co_await Write(socket, conn, request, std::move(response), again, started)) co_return;
      if (!again) co_return;
    }
  }

  // Streams the body of `head` into the handler's sink chunk by chunk, each chunk written on
  // the worker pool. Fills `response`; returns whether the whole body was consumed (so the
  // connection can be reused).
  awaitable<bool> StreamBody(tcp::socket& socket, Connection& conn, beast::flat_buffer& buffer,
                             http::request_parser<http::buffer_body>& head, HttpRequest& request,
                             HttpResponse& response) {
    BodyStart start = co_await OnWorker([&] {
      try {
        return handler_->OpenBody(request);
      } catch (const std::exception& e) {
        spdlog::error("request_id={} unhandled exception: {}", request.request_id, e.what());
        return BodyStart{nullptr, handler_->Reject(500, request)};
      }
    });
    if (!start.sink) {
      response = std::move(start.refusal);
      co_return head.is_done();
    }
    // Only now, with the upload accepted, is a client that asked for it told to send the body.
    if (!co_await ContinueIfExpected(socket, head)) {
      co_await OnWorker([&] { start.sink.reset(); });
      response.status = 0;
      co_return false;
    }
    // The body goes to the sink in 1 MiB chunks: a socket read returns whatever has arrived
    // (often a few KiB), and one worker hop per read would cost more than the write. Two
    // chunks alternate, so the socket is read into one while a worker hashes and writes the
    // other. With a Content-Length the bytes are read straight from the socket (after what the
    // header read already buffered); chunked bodies go through the parser, which decodes the
    // framing.
    constexpr size_t kChunk = size_t{1024} * 1024;
    std::array<std::vector<char>, 2> chunks{std::vector<char>(kChunk), std::vector<char>(kChunk)};
    const bool framed = head.chunked() || !head.content_length();
    uint64_t remaining = framed ? 0 : *head.content_length();
    struct Fill {
      boost::system::error_code ec;
      size_t filled = 0;
      bool timed_out = false;
    };
    // Reads the next chunk of the body into `chunk`; runs on the connection's strand.
    auto fill = [&](std::vector<char>& chunk) -> awaitable<Fill> {
      Fill out;
      Arm(conn);  // Each chunk must arrive within read_timeout.
      if (framed) {
        while (out.filled < chunk.size() && !head.is_done()) {
          head.get().body().data = chunk.data() + out.filled;
          head.get().body().size = chunk.size() - out.filled;
          auto [ec, n] = co_await http::async_read_some(socket, buffer, head, kTuple);
          if (ec == http::error::need_buffer) ec = {};
          out.filled = chunk.size() - head.get().body().size;
          if (ec) {
            out.ec = ec;
            break;
          }
        }
      } else {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(remaining, chunk.size()));
        const size_t buffered = std::min(want, buffer.size());
        asio::buffer_copy(asio::buffer(chunk.data(), buffered), buffer.data());
        buffer.consume(buffered);
        out.filled = buffered;
        if (out.filled < want) {
          auto [ec, n] = co_await asio::async_read(
              socket, asio::buffer(chunk.data() + out.filled, want - out.filled), kTuple);
          out.filled += n;
          // A body cut short is a partial message; a timeout is answered 408.
          if (ec) out.ec = conn.timed_out ? ec : http::error::partial_message;
        }
        remaining -= out.filled;
      }
      Disarm(conn);
      out.timed_out = conn.timed_out;
      co_return out;
    };
    auto body_done = [&] { return framed ? head.is_done() : remaining == 0; };
    auto write = [this, &start, &request](const std::vector<char>& chunk,
                                          size_t n) -> awaitable<std::optional<HttpResponse>> {
      if (n == 0) co_return std::nullopt;
      try {
        co_return start.sink->Write(std::string_view(chunk.data(), n));
      } catch (const std::exception& e) {
        spdlog::error("request_id={} upload sink threw: {}", request.request_id, e.what());
        co_return handler_->Reject(500, request);
      }
    };
    auto fail = [&](const Fill& f) -> awaitable<void> {
      const int status = ReadErrorStatus(f.ec, f.timed_out, head);
      response = status == 0 ? HttpResponse{} : handler_->Reject(status, request);
      if (status == 0) response.status = 0;  // Nobody to answer.
      co_await OnWorker([&] { start.sink.reset(); });
    };

    Fill current = co_await fill(chunks[0]);
    size_t index = 0;
    for (;;) {
      if (current.ec) {
        co_await fail(current);
        co_return false;
      }
      std::optional<HttpResponse> refusal;
      const bool last = body_done();
      Fill next;
      if (last) {
        refusal =
            co_await asio::co_spawn(workers_, write(chunks[index], current.filled), use_awaitable);
      } else {
        auto [order, write_error, written, read_error, read] =
            co_await asio::experimental::make_parallel_group(
                asio::co_spawn(workers_, write(chunks[index], current.filled), asio::deferred),
                asio::co_spawn(socket.get_executor(), fill(chunks[1 - index]), asio::deferred))
                .async_wait(asio::experimental::wait_for_all(), use_awaitable);
        if (write_error) std::rethrow_exception(write_error);
        if (read_error) std::rethrow_exception(read_error);
        refusal = std::move(written);
        next = read;
      }
      if (refusal) {
        response = std::move(*refusal);
        co_await OnWorker([&] { start.sink.reset(); });
        co_return false;
      }
      if (last) break;
      current = next;
      index = 1 - index;
    }
    response = co_await OnWorker([&] {
      HttpResponse r;
      try {
        r = start.sink->Finish();
      } catch (const std::exception& e) {
        spdlog::error("request_id={} upload sink threw: {}", request.request_id, e.what());
        r = handler_->Reject(500, request);
      }
      start.sink.reset();
      return r;
    });
    co_return true;
  }

  // Writes one response (buffered or streamed); returns false if the connection is unusable
  // afterwards. A response with status 0 means "close without answering".
  awaitable<bool> Write(tcp::socket& socket, Connection& conn, const HttpRequest& request,
                        HttpResponse response, bool keep_alive,
                        std::chrono::steady_clock::time_point started) {
    if (response.status == 0) co_return false;
    boost::system::error_code ec;
    uint64_t size = 0;
    // The head is formatted directly (ResponseHead): Beast's serializer cost about a sixth of
    // a small request. A buffered body goes out with it in one gather write.
    const uint64_t length = response.source ? response.source_length : response.body.size();
    const std::string head = ResponseHead(response, request.request_id, keep_alive, length);
    const std::array<asio::const_buffer, 2> first{asio::buffer(head), asio::buffer(response.body)};
    Arm(conn);
    std::tie(ec, std::ignore) = co_await asio::async_write(socket, first, kTuple);
    if (response.source) {
      // The announced length, read from the source on the worker pool a chunk at a time.
      constexpr size_t kChunk = size_t{256} * 1024;
      std::vector<char> chunk(kChunk);
      uint64_t remaining = length;
      while (!ec && remaining > 0) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(remaining, chunk.size()));
        auto got = co_await OnWorker([&] { return response.source->Read(chunk.data(), want); });
        if (!got || *got == 0) {
          ec = asio::error::broken_pipe;  // Short source: the announced length cannot be met.
          break;
        }
        remaining -= *got;
        size += *got;
        Arm(conn);
        std::tie(ec, std::ignore) =
            co_await asio::async_write(socket, asio::buffer(chunk.data(), *got), kTuple);
      }
      co_await OnWorker([&] { response.source.reset(); });
    } else {
      size = length;
    }
    Disarm(conn);
    if (options_.access_log != nullptr) {
      const auto elapsed = std::chrono::steady_clock::now() - started;
      options_.access_log->Record(AccessRecord{
          request.request_id, request.remote, request.method, request.target, response.status, size,
          std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()});
    }
    co_return !ec;
  }

  const HttpServerOptions options_;
  HttpHandler* handler_ = nullptr;  // Set by Run.
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::thread_pool workers_;
  asio::strand<asio::io_context::executor_type> control_;  // Acceptor, timers, Stop.
  asio::steady_timer grace_timer_;
  asio::steady_timer sweep_timer_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  uint64_t next_connection_id_ = 0;              // Guarded by mu_.
  std::map<uint64_t, Connection*> connections_;  // Guarded by mu_.
};

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpServer::~HttpServer() = default;
Result<void> HttpServer::Listen() { return impl_->Listen(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Run(HttpHandler& handler) { impl_->Run(handler); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace spacestore::server
