#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

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
// that HttpHandler::OpenBody returns, 1 MiB at a time through two alternating buffers: while a
// worker writes one chunk to the sink, the connection's strand reads the next into the other.
// Memory stays bounded whatever the size, and the sink, which touches storage, only ever runs
// on a worker. Each chunk must arrive within read_timeout.
//
// Ownership: borrows the session's context, connection, read buffer, head parser and request,
// which outlive it (the session keeps it for one request). Owns the sink from OpenBody until
// Finish or until the upload fails, and destroys it on a worker (on the finishing pool when
// the last chunk's write was refused).
// Thread-safety: Run runs on the connection's strand; the sink is called on a worker (the last
// chunk's write and Finish on one of the finishing pool), one call at a time.
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

  BodyStart Open();
  awaitable<Fill> FillChunk(char* chunk);
  awaitable<std::optional<HttpResponse>> WriteChunk(const char* chunk, size_t n);
  std::optional<HttpResponse> Write(const char* chunk, size_t n);
  HttpResponse WriteLastAndFinish(const char* chunk, size_t n, bool& refused);
  awaitable<void> Fail(const Fill& fill, HttpResponse& response);
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
};

}  // namespace spacestore::server
