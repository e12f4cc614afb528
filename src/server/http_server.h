#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "server/http_message.h"

namespace spacestore::server {

class AccessLog;
class HttpMetrics;

struct HttpServerOptions {
  // Address to bind. Default: 127.0.0.1.
  std::string host = "127.0.0.1";
  // Port to bind; 0 picks a free one (see HttpServer::port()). Default: 8080.
  uint16_t port = 8080;
  // Largest request header block, in bytes; larger ones get 431. Default: 16 KiB.
  size_t header_limit = size_t{16} * 1024;
  // Largest buffered request body (JSON), in bytes; larger ones get 413. Default: 1 MiB.
  size_t body_limit = size_t{1024} * 1024;
  // Largest streamed request body (an upload), in bytes; larger ones get 413. Default: 64 GiB.
  uint64_t stream_body_limit = uint64_t{64} << 30;
  // Time allowed to receive one request's headers and buffered body (and to wait for the next
  // request on a kept-alive connection), to receive each 1 MiB chunk of a streamed upload, and
  // to send each response chunk; a request still incomplete then gets 408. Default: 30 s.
  std::chrono::milliseconds read_timeout{30000};
  // Most connections open at once. At the limit the server stops accepting until one closes;
  // further clients wait in the kernel's listen backlog. REQUIRES: >= 1. Default: 10,000.
  size_t max_connections = 10000;
  // Threads that run sockets (accept, read, write). Default: 2.
  int io_threads = 2;
  // Threads that run handlers, so slow storage never stalls a socket thread. Default: 2.
  int worker_threads = 2;
  // Threads that finish streamed uploads (BodySink::Finish: the syncs and the metadata commit),
  // apart from the workers: concurrent uploads then wait for their syncs side by side, and
  // share them (the local blob store groups them), instead of one worker at a time while
  // every other request queues behind. Default: 16.
  int upload_finish_threads = 16;
  // After Stop(), how long in-flight requests may take before connections are cut. Default: 10 s.
  std::chrono::milliseconds shutdown_grace{10000};
  // Stop on SIGINT and SIGTERM. Default: true.
  bool handle_signals = true;
  // Where one line per request goes; null disables access logging. Not owned.
  AccessLog* access_log = nullptr;
  // Where requests and connections are counted (GET /metrics); null counts nothing. Not owned.
  HttpMetrics* metrics = nullptr;
};

// HttpHandler is what the server calls for every request. Implemented by the composition root,
// which dispatches to the dialects.
// Thread-safety: Handle and Reject are called concurrently from worker and I/O threads.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Answers a complete request. Runs on a worker thread. Exceptions are caught by the server,
  // logged with the request id and answered by Reject(500).
  virtual HttpResponse Handle(HttpRequest& request) = 0;
  // Answers a complete request on the I/O thread, from memory, if it can; nullopt if that would
  // mean waiting for storage, and the server then calls Handle on a worker. Saves the hot reads
  // two thread switches. Must not block, and must have no effect (beyond caches) when it
  // answers nullopt. The default answers nothing.
  virtual std::optional<HttpResponse> HandleInline(HttpRequest& request) {
    (void)request;
    return std::nullopt;
  }
  // Whether this request's body should be streamed to OpenBody instead of buffered for Handle.
  // Called on an I/O thread with the headers only: must be cheap and must not block.
  virtual bool StreamsBody(const HttpRequest& head) const = 0;
  // Starts a streamed request (its body is empty); runs on a worker thread.
  virtual BodyStart OpenBody(HttpRequest& head) = 0;
  // The checks that need no body, for a buffered request that asks for 100 Continue: nullopt
  // to go on (the server then sends 100 Continue and reads the body), or the answer that
  // refuses it. Runs on a worker thread; exceptions are handled as for Handle. The default
  // admits everything.
  virtual std::optional<HttpResponse> Admit(const HttpRequest& head) {
    (void)head;
    return std::nullopt;
  }
  // Builds the response for a request refused before it reached Handle (400 malformed, 408 too
  // slow, 413 body too large, 431 headers too large, 500 handler threw). `request` holds what
  // was parsed so far: its path may be empty. Must not throw.
  virtual HttpResponse Reject(int status, const HttpRequest& request) noexcept = 0;
};

// HttpServer is the HTTP/1.1 front end on Boost.Beast: one coroutine per connection on a strand,
// keep-alive, Content-Length and chunked request bodies, header/body/time limits, a limit on
// open connections, a request id and an access-log line for every response, and graceful
// shutdown that lets in-flight requests finish.
//
// Thread-safety: Listen and Run from one thread; Stop from any thread (also a signal).
class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. kUnavailable if the address cannot be bound.
  Result<void> Listen();
  // The bound port (after Listen).
  uint16_t port() const;
  // Serves `handler` until Stop() or a signal, then drains and returns. Listening starts at
  // Listen(), so the port is known (for URLs the handler builds) before the handler exists.
  void Run(HttpHandler& handler);
  // Begins graceful shutdown. Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spacestore::server
