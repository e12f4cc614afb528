// UploadStream: a streamed request body into a BodySink, 1 MiB at a time.
//
// A socket read returns whatever has arrived (often a few KiB), and one worker hop per read
// would cost more than the write, hence the large chunks. Two chunks alternate: an asio
// parallel group reads the next chunk on the strand while a worker writes and hashes the
// current one, and waits for both. A single buffer would leave the socket idle while the disk
// works, and the reverse. With a Content-Length the body is read straight from the socket; a
// chunked body goes through Beast's parser, which decodes the framing.
//
// Run is one coroutine from OpenBody to Finish, so an upload costs the session no more
// coroutine frames than it must: each nested coroutine is a frame allocation.
#include "server/upload_stream.h"

#include <algorithm>
#include <array>
#include <exception>
#include <memory>
#include <string_view>
#include <tuple>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/read.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "server/connection.h"
#include "server/read_status.h"
#include "server/session.h"
#include "server/worker_pool.h"

namespace spacestore::server {
namespace {

constexpr size_t kChunk = size_t{1024} * 1024;
using ChunkBuffer = std::array<char, kChunk>;

}  // namespace

UploadStream::UploadStream(const SessionContext& context, Connection& conn,
                           beast::flat_buffer& buffer, HeadParser& head, HttpRequest& request)
    : context_(context),
      conn_(conn),
      buffer_(buffer),
      head_(head),
      request_(request),
      framed_(head.chunked() || !head.content_length()),
      remaining_(framed_ ? 0 : *head.content_length()) {}

awaitable<bool> UploadStream::Run(HttpResponse& response) {
  BodyStart start = co_await context_.workers.Run([&] { return Open(); });
  if (!start.sink) {
    response = std::move(start.refusal);
    co_return head_.is_done();
  }
  sink_ = std::move(start.sink);
  // Only now, with the upload accepted, is a client that asked for it told to send the body.
  if (ExpectsContinue(head_.get()) && !co_await SendContinue(*conn_.socket)) {
    co_await context_.workers.Run([&] { sink_.reset(); });
    response.status = 0;
    co_return false;
  }
  // Left unzeroed, since every byte is read into before it is used (zeroing both cost about a
  // tenth of a 1 MiB PUT's CPU); the second only for a body larger than one chunk.
  std::array<std::unique_ptr<ChunkBuffer>, 2> chunks{std::make_unique_for_overwrite<ChunkBuffer>(),
                                                     nullptr};
  Fill current = co_await FillChunk(chunks[0]->data());
  for (size_t index = 0;; index = 1 - index) {
    if (current.ec) {
      co_await Fail(current, response);
      co_return false;
    }
    if (BodyDone()) {
      // The last chunk is written and the sink finished in one hop, on the finishing pool: it
      // waits for syncs, which concurrent uploads share when they wait side by side, and the
      // workers stay free for other requests meanwhile.
      bool refused = false;
      response = co_await context_.finishers.Run(
          [&] { return WriteLastAndFinish(chunks[index]->data(), current.filled, refused); });
      co_return !refused;
    }
    if (!chunks[1 - index]) chunks[1 - index] = std::make_unique_for_overwrite<ChunkBuffer>();
    std::optional<HttpResponse> refusal;
    Fill next;
    {
      auto [order, write_error, written, read_error, read] =
          co_await asio::experimental::make_parallel_group(
              asio::co_spawn(context_.workers.executor(),
                             WriteChunk(chunks[index]->data(), current.filled), asio::deferred),
              asio::co_spawn(conn_.socket->get_executor(), FillChunk(chunks[1 - index]->data()),
                             asio::deferred))
              .async_wait(asio::experimental::wait_for_all(), use_awaitable);
      if (write_error) std::rethrow_exception(write_error);
      if (read_error) std::rethrow_exception(read_error);
      refusal = std::move(written);
      next = read;
    }
    if (refusal) {
      response = std::move(*refusal);
      co_await context_.workers.Run([&] { sink_.reset(); });
      co_return false;
    }
    current = next;
  }
}

// Asks the handler for a sink (OpenBody); runs on a worker. A handler that throws is answered
// 500 before any body byte is read.
BodyStart UploadStream::Open() {
  try {
    return context_.handler->OpenBody(request_);
  } catch (const std::exception& e) {
    spdlog::error("request_id={} unhandled exception: {}", request_.request_id, e.what());
    return BodyStart{nullptr, context_.handler->Reject(500, request_)};
  }
}

// Reads the next chunk of the body into `chunk` (kChunk bytes); runs on the connection's strand.
awaitable<UploadStream::Fill> UploadStream::FillChunk(char* chunk) {
  Fill out;
  conn_.Arm(context_.options.read_timeout);  // Each chunk must arrive within read_timeout.
  if (framed_) {
    while (out.filled < kChunk && !head_.is_done()) {
      head_.get().body().data = chunk + out.filled;
      head_.get().body().size = kChunk - out.filled;
      auto [ec, n] = co_await http::async_read_some(*conn_.socket, buffer_, head_, kTuple);
      if (ec == http::error::need_buffer) ec = {};
      out.filled = kChunk - head_.get().body().size;
      if (ec) {
        out.ec = ec;
        break;
      }
    }
  } else {
    const auto want = static_cast<size_t>(std::min<uint64_t>(remaining_, kChunk));
    const size_t buffered = std::min(want, buffer_.size());
    asio::buffer_copy(asio::buffer(chunk, buffered), buffer_.data());
    buffer_.consume(buffered);
    out.filled = buffered;
    if (out.filled < want) {
      auto [ec, n] = co_await asio::async_read(
          *conn_.socket, asio::buffer(chunk + out.filled, want - out.filled), kTuple);
      out.filled += n;
      // A body cut short is a partial message; a timeout is answered 408.
      if (ec) out.ec = conn_.timed_out ? ec : http::error::partial_message;
    }
    remaining_ -= out.filled;
  }
  conn_.Disarm();
  out.timed_out = conn_.timed_out;
  co_return out;
}

// Writes `n` bytes of `chunk` to the sink; runs on a worker. Returns the sink's refusal, if any.
awaitable<std::optional<HttpResponse>> UploadStream::WriteChunk(const char* chunk, size_t n) {
  co_return Write(chunk, n);
}

std::optional<HttpResponse> UploadStream::Write(const char* chunk, size_t n) {
  if (n == 0) return std::nullopt;
  try {
    return sink_->Write(std::string_view(chunk, n));
  } catch (const std::exception& e) {
    spdlog::error("request_id={} upload sink threw: {}", request_.request_id, e.what());
    return context_.handler->Reject(500, request_);
  }
}

// Writes the body's last `n` bytes, then finishes the sink; runs on the finishing pool. Sets
// `refused` when the write was refused, whose refusal is then the answer.
HttpResponse UploadStream::WriteLastAndFinish(const char* chunk, size_t n, bool& refused) {
  if (std::optional<HttpResponse> refusal = Write(chunk, n)) {
    refused = true;
    sink_.reset();
    return std::move(*refusal);
  }
  return Finish();
}

// A read failed: answers it as ReadErrorStatus says and discards the sink.
awaitable<void> UploadStream::Fail(const Fill& fill, HttpResponse& response) {
  const int status = ReadErrorStatus(fill.ec, fill.timed_out, head_.got_some());
  response = status == 0 ? HttpResponse{} : context_.handler->Reject(status, request_);
  if (status == 0) response.status = 0;  // Nobody to answer.
  co_await context_.workers.Run([&] { sink_.reset(); });
}

// The body is complete: the sink's final answer (500 if it throws). Runs on a worker.
HttpResponse UploadStream::Finish() {
  HttpResponse r;
  try {
    r = sink_->Finish();
  } catch (const std::exception& e) {
    spdlog::error("request_id={} upload sink threw: {}", request_.request_id, e.what());
    r = context_.handler->Reject(500, request_);
  }
  sink_.reset();
  return r;
}

}  // namespace spacestore::server
