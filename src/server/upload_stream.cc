// UploadStream: a streamed request body into a BodySink, 1 MiB at a time.
//
// A socket read returns whatever has arrived (often a few KiB), and one worker hop per read
// would cost more than the write, hence the large chunks. Reading and writing overlap through a
// ring of chunk buffers: the strand reads chunk i + 1 (and further, up to kChunks - 1 ahead)
// while the workers write and hash chunk i. It replaced two buffers with a wait for both sides
// after every chunk, where a moment's stall on either side held up the other: a 1 GiB upload
// went from 730 to 852 MiB/s (bench/run.sh, upload). With a Content-Length the body is read
// straight from the socket; a chunked body goes through Beast's parser, which decodes the
// framing.
//
// The writes of a body run one after another, in order, on a strand of the worker pool; each
// completion comes back to the connection's strand, which counts them. The last chunk is written
// and the sink finished in one hop once every earlier write is done.
#include "server/upload_stream.h"

#include <algorithm>
#include <array>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/read.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "server/connection.h"
#include "server/read_status.h"
#include "server/session.h"
#include "server/worker_pool.h"

namespace spacestore::server {

UploadStream::UploadStream(const SessionContext& context, Connection& conn,
                           beast::flat_buffer& buffer, HeadParser& head, HttpRequest& request)
    : context_(context),
      conn_(conn),
      buffer_(buffer),
      head_(head),
      request_(request),
      framed_(head.chunked() || !head.content_length()),
      remaining_(framed_ ? 0 : *head.content_length()),
      write_done_(conn.strand) {}

awaitable<bool> UploadStream::Run(HttpResponse& response) {
  BodyStart start = co_await context_.workers.Run([&] { return Open(); });
  if (!start.sink) {
    response = std::move(start.refusal);
    co_return head_.is_done();
  }
  sink_ = std::move(start.sink);
  // Only now, with the upload accepted, is a client that asked for it told to send the body.
  if (ExpectsContinue(head_.get()) && !co_await SendContinue(*conn_.socket)) {
    co_await Abandon();
    response.status = 0;
    co_return false;
  }
  std::exception_ptr thrown;
  try {
    co_return co_await Stream(response);
  } catch (...) {
    thrown = std::current_exception();
  }
  co_await Abandon();
  std::rethrow_exception(thrown);
}

// Streams the body into the sink and sets `response` as Run says.
awaitable<bool> UploadStream::Stream(HttpResponse& response) {
  // Left unzeroed, since every byte is read into before it is used (zeroing cost about a tenth
  // of a 1 MiB PUT's CPU); the others only for a body larger than one chunk.
  chunks_[0] = std::make_unique_for_overwrite<ChunkBuffer>();
  Fill current = co_await FillChunk(chunks_[0]->data());
  for (size_t index = 0;; index = (index + 1) % kChunks) {
    const bool last = !current.ec && BodyDone();
    if (!current.ec && !last) StartWrite(chunks_[index]->data(), current.filled);
    // The next buffer is free once at most kChunks - 1 writes are in flight (they complete in
    // order); a failed read and the last chunk wait for all of them.
    const size_t at_most = current.ec || last ? 0 : kChunks - 1;
    if (writes_in_flight_ > at_most) co_await WaitForWrites(at_most);
    if (refusal_ || current.ec) {
      // A refusal is the answer, before a failed read's; the rest of the body is not read. The
      // writes started after a refused one skip the sink, but still use this object.
      co_await Abandon();
      if (refusal_) {
        response = std::move(*refusal_);
      } else {
        const int status = ReadErrorStatus(current.ec, current.timed_out, head_.got_some());
        response = status == 0 ? HttpResponse{} : context_.handler->Reject(status, request_);
        if (status == 0) response.status = 0;  // Nobody to answer.
      }
      co_return false;
    }
    if (last) {
      // The last chunk is written and the sink finished in one hop, on the finishing pool: it
      // waits for syncs, which concurrent uploads share when they wait side by side, and the
      // workers stay free for other requests meanwhile.
      bool refused = false;
      response = co_await context_.finishers.Run(
          [&] { return WriteLastAndFinish(chunks_[index]->data(), current.filled, refused); });
      co_return !refused;
    }
    const size_t next = (index + 1) % kChunks;
    if (!chunks_[next]) chunks_[next] = std::make_unique_for_overwrite<ChunkBuffer>();
    current = co_await FillChunk(chunks_[next]->data());
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

// Reads the next chunk of the body into `chunk` (kChunkBytes); runs on the connection's strand.
awaitable<UploadStream::Fill> UploadStream::FillChunk(char* chunk) {
  Fill out;
  conn_.Arm(context_.options.read_timeout);  // Each chunk must arrive within read_timeout.
  if (framed_) {
    while (out.filled < kChunkBytes && !head_.is_done()) {
      head_.get().body().data = chunk + out.filled;
      head_.get().body().size = kChunkBytes - out.filled;
      auto [ec, n] = co_await http::async_read_some(*conn_.socket, buffer_, head_, kTuple);
      if (ec == http::error::need_buffer) ec = {};
      out.filled = kChunkBytes - head_.get().body().size;
      if (ec) {
        out.ec = ec;
        break;
      }
    }
  } else {
    const auto want = static_cast<size_t>(std::min<uint64_t>(remaining_, kChunkBytes));
    const size_t buffered = std::min(want, buffer_.size());
    asio::buffer_copy(asio::buffer(chunk, buffered), buffer_.data());
    buffer_.consume(buffered);
    out.filled = buffered;
    if (out.filled < want) {
      auto [ec, n] = co_await asio::async_read(
          *conn_.socket, asio::buffer(chunk + out.filled, want - out.filled),
          [](const boost::system::error_code& e, size_t) -> size_t { return e ? 0 : kChunkBytes; },
          kTuple);
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

// Starts the write of `n` bytes of `chunk` to the sink, after those started before it; runs on
// the connection's strand, and so does the completion.
void UploadStream::StartWrite(const char* chunk, size_t n) {
  if (!writes_) writes_.emplace(asio::make_strand(context_.workers.executor()));
  ++writes_in_flight_;
  auto home = asio::prefer(conn_.strand, asio::execution::outstanding_work.tracked);
  asio::post(*writes_, [this, chunk, n, home = std::move(home)] {
    std::optional<HttpResponse> refusal;
    if (!write_refused_) {
      refusal = Write(chunk, n);
      write_refused_ = refusal.has_value();
    }
    asio::dispatch(home, [this, refusal = std::move(refusal)]() mutable {
      --writes_in_flight_;
      if (refusal && !refusal_) refusal_ = std::move(refusal);
      write_done_.cancel();
    });
  });
}

// Ends the upload without finishing the sink: waits for every write still running (they use
// this object and its buffers), then drops the sink on a worker, since dropping it may block on
// I/O (its staging file is removed).
awaitable<void> UploadStream::Abandon() {
  co_await WaitForWrites(0);
  co_await context_.workers.Run([&] { sink_.reset(); });
}

// Returns once at most `at_most` writes are in flight.
awaitable<void> UploadStream::WaitForWrites(size_t at_most) {
  while (writes_in_flight_ > at_most) {
    // Cancelled by each completion; the count is checked again, since a completion may also
    // run while no wait is pending (and then cancels nothing).
    write_done_.expires_at(asio::steady_timer::time_point::max());
    co_await write_done_.async_wait(kTuple);
  }
}

std::optional<HttpResponse> UploadStream::Write(const char* chunk, size_t n) {
  if (n == 0) return std::nullopt;
  try {
    return sink_->Write(std::string_view(chunk, n));
  } catch (const std::exception& e) {
    spdlog::error("request_id={} upload sink threw: {}", request_.request_id, e.what());
  } catch (...) {  // Nothing may leave a write posted to the pool unanswered.
    spdlog::error("request_id={} upload sink threw", request_.request_id);
  }
  return context_.handler->Reject(500, request_);
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
