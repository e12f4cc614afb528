// Session: one C++20 coroutine per connection on its I/O context's strand, as in Beast's
// advanced_server_flex_awaitable.
//
// A request is read in two steps. The head comes first, with a parser that does not buffer the
// body. Once the path is known the handler decides: a JSON body is buffered within body_limit
// and the request handed to the worker pool; an upload streams (UploadStream). Per-connection
// state never leaves the strand, so nothing here locks. The one exception is the deadline,
// an atomic that the server-wide sweeper reads (DeadlineSweeper). Timeouts cancel the socket
// instead of closing it, so a request that has begun to arrive can still be answered 408.
//
// Each nested coroutine costs a frame, and Asio's per-thread frame cache only reuses a block
// as large as the frame. So a buffered request makes only the coroutine calls it needs (the
// body read, the worker hop, the write), helpers that do not wait are plain functions, and a
// response is written by one coroutine of its kind: a small one for a buffered response, a
// larger one with the chunk loop for a download. Moving the loop into a coroutine of its own
// (one frame more per download), or into the common write (a larger frame for every
// response), measurably added allocations (callgrind).
#include "server/session.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "base/ids.h"
#include "server/access_log.h"
#include "server/connection.h"
#include "server/connection_registry.h"
#include "server/http_metrics.h"
#include "server/read_status.h"
#include "server/upload_stream.h"
#include "server/worker_pool.h"

namespace spacestore::server {
namespace {

// How long, and how much, a closing connection drains what the client still sends.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr size_t kLingerBytes = size_t{8} * 1024 * 1024;
// The least it drains at a time, when the connection never grew its read buffer beyond this.
constexpr size_t kMinDrain = 512;
// A streamed response body (a download) is read and written this much at a time.
constexpr size_t kDownloadChunk = size_t{256} * 1024;
// A connection waiting for its next request keeps a read buffer up to this size (a typical
// request head fits); a larger one, grown by a large head or body, is freed while it waits.
constexpr size_t kIdleBufferKeep = size_t{4} * 1024;

using Clock = std::chrono::steady_clock;

void FillHeaders(const http::request_header<>& in, HttpRequest& out) {
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  out.headers.reserve(std::distance(in.begin(), in.end()));
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
}

// Runs `call` (Handle or Admit, on a worker). An exception is logged with the request id and
// answered 500 (docs/error-handling.md); the connection keeps serving.
template <class Call>
auto Safely(HttpHandler& handler, const HttpRequest& request, Call call) noexcept
    -> decltype(call()) {
  try {
    return call();
  } catch (const std::exception& e) {
    spdlog::error("request_id={} unhandled exception: {}", request.request_id, e.what());
  } catch (...) {
    spdlog::error("request_id={} unhandled non-standard exception", request.request_id);
  }
  return handler.Reject(500, request);
}

// The state of one connection. It lives in Run's coroutine frame, on the connection's strand.
class Session {
 public:
  static awaitable<void> Run(SessionContext& context, tcp::socket socket, Strand strand);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

 private:
  using HeadParser = http::request_parser<http::buffer_body>;

  Session(SessionContext& context, tcp::socket socket, Strand strand);

  awaitable<void> Serve();
  std::optional<int> CheckHead(boost::system::error_code ec, const HeadParser& head,
                               HttpRequest& request);
  awaitable<std::optional<int>> ReadBufferedBody(HeadParser& head, HttpRequest& request);
  // Writes one response and logs it; returns false if the connection is unusable afterwards.
  // A response with status 0 means "close without answering".
  awaitable<bool> Write(const HttpRequest& request, HttpResponse&& response, bool keep_alive,
                        Clock::time_point started);
  awaitable<bool> WriteBuffered(const HttpRequest& request, HttpResponse response, bool keep_alive,
                                Clock::time_point started);
  awaitable<bool> WriteStreamed(const HttpRequest& request, HttpResponse response, bool keep_alive,
                                Clock::time_point started);
  void Log(const HttpRequest& request, const HttpResponse& response, uint64_t bytes,
           Clock::time_point started);
  HttpHandler& handler() { return *context_.handler; }

  SessionContext& context_;
  tcp::socket socket_;
  Connection conn_;  // Points at socket_.
  beast::flat_buffer buffer_;
  std::string remote_;  // The peer's address, for every request's log line.
};

Session::Session(SessionContext& context, tcp::socket socket, Strand strand)
    : context_(context), socket_(std::move(socket)), conn_(socket_, std::move(strand)) {
  boost::system::error_code ec;
  const auto peer = socket_.remote_endpoint(ec);
  if (!ec) remote_ = peer.address().to_string();
}

awaitable<void> Session::Run(SessionContext& context, tcp::socket socket, Strand strand) {
  Session session(context, std::move(socket), std::move(strand));
  const HttpMetrics::ConnectionScope counted(context.options.metrics);
  context.connections.Register(session.conn_);
  try {
    co_await session.Serve();
  } catch (const std::exception& e) {
    spdlog::error("connection error: {}", e.what());
  }
  // Lingering close: after our FIN, read and drop what the client still sends (a refused
  // upload's body) for a short while, so that closing with unread data does not make the
  // kernel send a reset that destroys the answer before the client reads it.
  boost::system::error_code ignored;
  session.socket_.shutdown(tcp::socket::shutdown_send, ignored);
  if (!context.stopping) {
    session.conn_.Arm(
        std::min<std::chrono::milliseconds>(context.options.read_timeout, kLingerTime));
    // The bytes are dropped into the connection's own read buffer, which is allocated already
    // and unused from here on: a drain buffer of its own (64 KiB each, once) let thousands of
    // closing connections cost hundreds of megabytes. One buffer shared by all connections
    // would be as cheap but has concurrent recv calls write the same memory, a race to TSan.
    session.buffer_.clear();
    const auto discard = session.buffer_.prepare(std::max(kMinDrain, session.buffer_.capacity()));
    for (size_t drained = 0; drained < kLingerBytes;) {
      auto [ec, n] = co_await session.socket_.async_read_some(discard, kTuple);
      if (ec) break;
      drained += n;
    }
  }
  session.socket_.close(ignored);
  // Last, on the strand: a sweeper or shutdown check queued here finds nothing after this.
  context.connections.Unregister(session.conn_);
  // The slot the accept loop took for this connection (Listener::WaitForSlot).
  context.connections.Release();
}

awaitable<void> Session::Serve() {
  const HttpServerOptions& options = context_.options;
  for (;;) {
    // Headers first, with a parser that does not buffer the body: whether the body is
    // buffered (JSON) or streamed (uploads) is decided once the path is known.
    HeadParser head;
    head.header_limit(static_cast<std::uint32_t>(options.header_limit));
    head.body_limit(std::max<uint64_t>(options.stream_body_limit, options.body_limit));

    conn_.reading = true;
    if (context_.stopping) co_return;
    // Idle keep-alive connections are what a server holds most of: do not let each keep the
    // largest buffer its earlier requests needed.
    if (buffer_.size() == 0 && buffer_.capacity() > kIdleBufferKeep) buffer_.shrink_to_fit();
    conn_.Arm(options.read_timeout);
    auto [ec, bytes] = co_await http::async_read_header(socket_, buffer_, head, kTuple);
    const auto started = Clock::now();
    // From here the request is in flight: shutdown lets it finish (within the grace period).
    conn_.reading = false;

    HttpRequest request;
    request.request_id = NewRequestId();
    request.remote = remote_;
    std::optional<int> refusal = CheckHead(ec, head, request);
    const bool keep_alive = !refusal && head.get().keep_alive();
    HttpResponse response;
    bool reusable = true;  // False when the body was not read to its end.
    if (!refusal && handler().StreamsBody(request)) {
      conn_.Disarm();
      UploadStream upload(context_, conn_, buffer_, head, request);
      reusable = co_await upload.Run(response);
    } else if (!refusal) {
      // A client that asks before sending its body learns of a bad token or route first.
      if (ExpectsContinue(head.get())) {
        auto early = co_await context_.workers.Run(
            [&] { return Safely(handler(), request, [&] { return handler().Admit(request); }); });
        if (early) {
          conn_.Disarm();
          co_await Write(request, std::move(*early), false, started);
          co_return;
        }
      }
      refusal = co_await ReadBufferedBody(head, request);
      if (!refusal) {
        // A throw here is left to Handle on a worker, which answers and logs it as usual.
        std::optional<HttpResponse> answered;
        try {
          answered = handler().HandleInline(request);
        } catch (...) {
          answered.reset();
        }
        if (answered) {
          response = std::move(*answered);
        } else {
          response = co_await context_.workers.Run([&] {
            return Safely(handler(), request, [&] { return handler().Handle(request); });
          });
        }
      }
    }
    if (refusal) {
      // The connection closes after a refusal: what is left of the request is unread.
      if (*refusal != 0) {
        co_await Write(request, handler().Reject(*refusal, request), false, started);
      }
      co_return;
    }
    const bool again = keep_alive && reusable && !context_.stopping;
    if (!co_await Write(request, std::move(response), again, started)) co_return;
    if (!again) co_return;
  }
}

// Fills `request` from the head just read, or from what arrived of it. Returns nullopt to go
// on, otherwise the status that refuses the request (0: close without answering).
std::optional<int> Session::CheckHead(boost::system::error_code ec, const HeadParser& head,
                                      HttpRequest& request) {
  if (ec) {
    conn_.Disarm();
    const int status = ReadErrorStatus(ec, conn_.timed_out, head.got_some());
    if (status == 0) return 0;
    if (head.is_header_done()) FillHeaders(head.get(), request);
    (void)ParseTarget(request.target, request.path, request.query);
    return status;
  }
  FillHeaders(head.get(), request);
  if (!ParseTarget(request.target, request.path, request.query)) {
    conn_.Disarm();
    return 400;
  }
  if (auto status = FramingStatus(head.get())) {
    conn_.Disarm();
    return status;
  }
  return std::nullopt;
}

// Reads a buffered body into `request.body`, within body_limit and the deadline armed for the
// head. Returns nullopt once it is in, otherwise the status that refuses the request (0: close
// without answering). A Content-Length above the limit is refused before any body byte is read.
awaitable<std::optional<int>> Session::ReadBufferedBody(HeadParser& head, HttpRequest& request) {
  http::request_parser<http::string_body> parser(std::move(head));
  parser.body_limit(context_.options.body_limit);
  const auto length = parser.content_length();
  if (length && *length > context_.options.body_limit) {
    conn_.Disarm();
    co_return 413;
  }
  if (ExpectsContinue(parser.get()) && !co_await SendContinue(socket_)) co_return 0;
  // A request without a body (GET) is complete already; reading would only cost a round trip
  // through the scheduler.
  boost::system::error_code ec;
  if (!parser.is_done()) {
    std::tie(ec, std::ignore) = co_await http::async_read(socket_, buffer_, parser, kTuple);
  }
  conn_.Disarm();
  if (ec) co_return ReadErrorStatus(ec, conn_.timed_out, parser.got_some());
  request.body = std::move(parser.get().body());
  co_return std::nullopt;
}

// Not a coroutine: it picks one, so that a response costs one coroutine frame, sized for its
// kind. A buffered response (nearly all) gets the small frame of WriteBuffered.
awaitable<bool> Session::Write(const HttpRequest& request, HttpResponse&& response, bool keep_alive,
                               Clock::time_point started) {
  if (response.source) return WriteStreamed(request, std::move(response), keep_alive, started);
  return WriteBuffered(request, std::move(response), keep_alive, started);
}

awaitable<bool> Session::WriteBuffered(const HttpRequest& request, HttpResponse response,
                                       bool keep_alive, Clock::time_point started) {
  if (response.status == 0) co_return false;
  // The head is formatted directly (ResponseHead): Beast's serializer cost about a sixth of
  // a small request. The body goes out with it in one gather write.
  const std::string head =
      ResponseHead(response, request.request_id, keep_alive, response.body.size());
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(response.body)};
  conn_.Arm(context_.options.read_timeout);
  boost::system::error_code ec;
  std::tie(ec, std::ignore) = co_await asio::async_write(socket_, buffers, kTuple);
  conn_.Disarm();
  Log(request, response, response.body.size(), started);
  co_return !ec;
}

// A download: after the head, the announced length is read from the source on a worker a
// chunk at a time, and each chunk is written before the next is read, so one buffer bounds the
// memory. Each write gets read_timeout.
awaitable<bool> Session::WriteStreamed(const HttpRequest& request, HttpResponse response,
                                       bool keep_alive, Clock::time_point started) {
  if (response.status == 0) co_return false;
  const uint64_t length = response.source_length;
  const std::string head = ResponseHead(response, request.request_id, keep_alive, length);
  const std::array<asio::const_buffer, 2> first{asio::buffer(head), asio::buffer(response.body)};
  conn_.Arm(context_.options.read_timeout);
  boost::system::error_code ec;
  std::tie(ec, std::ignore) = co_await asio::async_write(socket_, first, kTuple);
  uint64_t sent = 0;
  std::vector<char> chunk(kDownloadChunk);
  while (!ec && sent < length) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(length - sent, chunk.size()));
    auto got =
        co_await context_.workers.Run([&] { return response.source->Read(chunk.data(), want); });
    if (!got || *got == 0) {
      ec = asio::error::broken_pipe;  // Short source: the announced length cannot be met.
      break;
    }
    sent += *got;
    conn_.Arm(context_.options.read_timeout);
    std::tie(ec, std::ignore) =
        co_await asio::async_write(socket_, asio::buffer(chunk.data(), *got), kTuple);
  }
  // The source's destructor may touch storage: it goes on a worker too.
  co_await context_.workers.Run([&] { response.source.reset(); });
  conn_.Disarm();
  Log(request, response, sent, started);
  co_return !ec;
}

// Counts the request (HttpMetrics) and writes its access-log line.
void Session::Log(const HttpRequest& request, const HttpResponse& response, uint64_t bytes,
                  Clock::time_point started) {
  const auto elapsed = Clock::now() - started;
  if (context_.options.metrics != nullptr) {
    // A streamed upload's body is counted by its sink as it arrives; request.body is empty.
    context_.options.metrics->Record(request.method, response.route, response.status,
                                     request.body.size(), bytes, elapsed);
  }
  if (context_.options.access_log == nullptr) return;
  context_.options.access_log->Record(AccessRecord{
      request.request_id, request.remote, request.method, request.target, response.status, bytes,
      std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()});
}

}  // namespace

awaitable<void> RunSession(SessionContext& context, tcp::socket socket, Strand strand) {
  return Session::Run(context, std::move(socket), std::move(strand));
}

}  // namespace spacestore::server
