#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/system/error_code.hpp>

#include "server/http_message.h"
#include "server/net.h"

namespace spacestore::server {

struct Connection;
struct SessionContext;

// UploadStream moves one streamed request body (HttpHandler::StreamsBody) into the BodySink
// that HttpHandler::OpenBody returns, 1 MiB at a time through a ring of up to kChunks buffers:
// the connection's strand reads the next chunks while workers write the earlier ones to the
// sink, in order and one at a time. Memory stays bounded whatever the size, and the sink, which
// touches storage, only ever runs on a worker. Each chunk must arrive within read_timeout.
//
// Ownership: borrows the session's context, connection, read buffer, head parser and request,
// which outlive it (the session keeps it for one request). Owns the chunk buffers, and the sink
// from OpenBody until Finish or until the upload fails, and destroys it on a worker (on the
// finishing pool when the last chunk's write was refused). Run returns, and so the object may
// go, only once no write it started is still running. (A connection cut when the shutdown's
// grace period ends is destroyed with its I/O context, after the worker pools have been
// joined: HttpServer keeps the pools alive until then.)
// Thread-safety: Run runs on the connection's strand, and so do the write completions (the
// in-flight count, the first refusal, the timer). The sink is called on a worker (through
// `writes_`, a strand of the pool; the last chunk's write and Finish on one of the finishing
// pool once the others are done), one call at a time.
class UploadStream {
 public:
  using HeadParser = http::request_parser<http::buffer_body>;

  UploadStream(const SessionContext& context, Connection& conn, beast::flat_buffer& buffer,
               HeadParser& head, HttpRequest& request);
  UploadStream(const UploadStream&) = delete;
  UploadStream& operator=(const UploadStream&) = delete;

  // Opens the sink (OpenBody, on a worker; a refusal there is answered before any body byte is
  // read), answers 100-continue, streams the body and finishes the sink (on a worker). Sets
  // `response` to the sink's final answer, a refusal (from OpenBody or the sink, or 400, 408
  // or 413 for a failed read), or status 0 when nobody is to be answered. Returns whether the
  // body was read to its end, so that the connection can be reused.
  awaitable<bool> Run(HttpResponse& response);

 private:
  // One chunk read from the socket.
  struct Fill {
    boost::system::error_code ec;
    size_t filled = 0;
    bool timed_out = false;
  };

  // Up to this many chunks of a body are in memory at once: one being read, the others read
  // and waiting for (or in) their write. With two, and a wait for both sides after every chunk,
  // each chunk cost the longer of its read and its write: a moment's stall on either side
  // (a page-cache refill, a flush, the client) held up the other.
  static constexpr size_t kChunks = 4;
  static constexpr size_t kChunkBytes = size_t{1024} * 1024;
  using ChunkBuffer = std::array<char, kChunkBytes>;

  BodyStart Open();
  awaitable<bool> Stream(HttpResponse& response);
  awaitable<Fill> FillChunk(char* chunk);
  void StartWrite(const char* chunk, size_t n);
  awaitable<void> WaitForWrites(size_t at_most);
  awaitable<void> Abandon();
  std::optional<HttpResponse> Write(const char* chunk, size_t n);
  HttpResponse WriteLastAndFinish(const char* chunk, size_t n, bool& refused);
  HttpResponse Finish();
  bool BodyDone() const { return framed_ ? head_.is_done() : remaining_ == 0; }

  const SessionContext& context_;
  Connection& conn_;
  beast::flat_buffer& buffer_;
  HeadParser& head_;
  HttpRequest& request_;
  // Chunked, or without a Content-Length: the parser decodes the framing. Otherwise the body
  // is read straight from the socket, after what the head read already buffered.
  const bool framed_;
  uint64_t remaining_;  // Body bytes still to read, when not framed_.
  std::unique_ptr<BodySink> sink_;
  std::array<std::unique_ptr<ChunkBuffer>, kChunks> chunks_;  // Allocated as the body needs them.
  // Writes of chunks before the last, in the order started; made by the first of them.
  std::optional<asio::strand<asio::thread_pool::executor_type>> writes_;
  bool write_refused_ = false;  // On `writes_`: a write was refused, so later ones are skipped.
  // On the connection's strand: writes started and not yet completed, the first write's
  // refusal, and a timer that never expires, cancelled when a write completes.
  size_t writes_in_flight_ = 0;
  std::optional<HttpResponse> refusal_;
  asio::steady_timer write_done_;
};

}  // namespace spacestore::server
