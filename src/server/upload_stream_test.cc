// Streamed request bodies (UploadStream) through a real HttpServer: what reaches the sink, in
// which order, how many calls at once, and what a refusal in the middle of a body stops.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "server/http_server.h"

namespace spacestore::server {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

constexpr size_t kMiB = size_t{1024} * 1024;

// What the sinks of one test saw, shared with the test thread.
struct SinkLog {
  std::mutex mu;
  std::string bytes;  // Every chunk written, in the order written.
  int writes = 0;     // Write calls that got a chunk.
  int finishes = 0;   // Finish calls.
  int destroyed = 0;  // Sinks destroyed.
  std::atomic<int> active{0};
  std::atomic<int> most_active{0};  // The most calls ever running at once.
};

// Appends each chunk to the log, slowly (so that reading gets ahead of writing), and refuses
// the write numbered `refuse_at` (from 1) with 403, if set.
class LoggingSink final : public BodySink {
 public:
  LoggingSink(SinkLog& log, std::optional<int> refuse_at) : log_(log), refuse_at_(refuse_at) {}
  ~LoggingSink() override {
    std::lock_guard lock(log_.mu);
    ++log_.destroyed;
  }

  std::optional<HttpResponse> Write(std::string_view chunk) override {
    const int now = ++log_.active;
    int most = log_.most_active.load();
    while (now > most && !log_.most_active.compare_exchange_weak(most, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    std::optional<HttpResponse> out;
    {
      std::lock_guard lock(log_.mu);
      ++log_.writes;
      if (refuse_at_ && log_.writes == *refuse_at_) {
        out = MakeResponse(403, R"({"code":"QuotaExceeded"})");
      } else {
        log_.bytes.append(chunk);
      }
    }
    --log_.active;
    return out;
  }

  HttpResponse Finish() override {
    std::lock_guard lock(log_.mu);
    ++log_.finishes;
    return MakeResponse(200, std::to_string(log_.bytes.size()), "text/plain");
  }

 private:
  SinkLog& log_;
  std::optional<int> refuse_at_;
};

class StreamingHandler final : public HttpHandler {
 public:
  HttpResponse Handle(HttpRequest&) override { return MakeResponse(200, "{}"); }
  bool StreamsBody(const HttpRequest& head) const override { return head.method == "PUT"; }
  BodyStart OpenBody(HttpRequest&) override {
    return BodyStart{std::make_unique<LoggingSink>(log, refuse_at), {}};
  }
  HttpResponse Reject(int status, const HttpRequest&) noexcept override {
    return MakeResponse(status, "{}");
  }

  SinkLog log;
  std::optional<int> refuse_at;
};

class UploadStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.port = 0;
    options.handle_signals = false;
    // Several workers, so that nothing but the stream's own ordering keeps its writes apart.
    options.worker_threads = 4;
    options.shutdown_grace = std::chrono::milliseconds(200);
    server_ = std::make_unique<HttpServer>(options);
    ASSERT_TRUE(server_->Listen());
    thread_ = std::thread([this] { server_->Run(handler_); });
  }
  void TearDown() override {
    if (!server_) return;
    server_->Stop();
    thread_.join();
  }

  // PUTs `body` (chunked or with a Content-Length) from another thread, which ignores a send
  // that fails once the server has answered, and returns the answer.
  http::response<http::string_body> Put(const std::string& body, bool chunked) {
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    http::request<http::string_body> req{http::verb::put, "/upload", 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = body;
    if (chunked) {
      req.chunked(true);
    } else {
      req.prepare_payload();
    }
    std::thread sender([&] {
      boost::system::error_code ignored;
      http::write(socket, req, ignored);
    });
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    boost::system::error_code ec;
    http::read(socket, buffer, res, ec);
    EXPECT_FALSE(ec) << ec.message();
    // A refused body is not read to its end: closing makes the sender's write fail.
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    sender.join();
    return res;
  }

  static std::string Pattern(size_t size) {
    std::string s(size, '\0');
    for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 131 + i / 4093) & 0xFF);
    return s;
  }

  StreamingHandler handler_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(UploadStreamTest, ALongBodyReachesTheSinkWholeInOrderOneWriteAtATime) {
  const std::string body = Pattern(9 * kMiB + 12345);  // Ten chunks, the last one short.
  const auto res = Put(body, false);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), std::to_string(body.size()));
  std::lock_guard lock(handler_.log.mu);
  EXPECT_EQ(handler_.log.bytes.size(), body.size());
  EXPECT_TRUE(handler_.log.bytes == body);  // Not printed: 9 MiB.
  EXPECT_EQ(handler_.log.writes, 10);
  EXPECT_EQ(handler_.log.finishes, 1);
  EXPECT_EQ(handler_.log.destroyed, 1);
  EXPECT_EQ(handler_.log.most_active.load(), 1);
}

TEST_F(UploadStreamTest, AChunkedBodyReachesTheSinkWholeInOrder) {
  const std::string body = Pattern(5 * kMiB + 777);
  const auto res = Put(body, true);
  EXPECT_EQ(res.result_int(), 200);
  std::lock_guard lock(handler_.log.mu);
  EXPECT_EQ(handler_.log.bytes.size(), body.size());
  EXPECT_TRUE(handler_.log.bytes == body);
  EXPECT_EQ(handler_.log.finishes, 1);
  EXPECT_EQ(handler_.log.most_active.load(), 1);
}

TEST_F(UploadStreamTest, ARefusedWriteIsTheAnswerAndNoLaterChunkIsWrittenOrFinished) {
  handler_.refuse_at = 2;
  // 8 MiB: what the server does not read before it answers, its lingering close drains, so
  // the client gets the answer and no reset.
  const std::string body = Pattern(8 * kMiB);
  const auto res = Put(body, false);
  EXPECT_EQ(res.result_int(), 403);
  EXPECT_EQ(res.body(), R"({"code":"QuotaExceeded"})");
  EXPECT_FALSE(res.keep_alive());
  std::lock_guard lock(handler_.log.mu);
  EXPECT_EQ(handler_.log.writes, 2);  // The refused one ends the writes.
  EXPECT_EQ(handler_.log.bytes.size(), kMiB);
  EXPECT_TRUE(handler_.log.bytes == body.substr(0, kMiB));
  EXPECT_EQ(handler_.log.finishes, 0);
  EXPECT_EQ(handler_.log.destroyed, 1);
}

// An upload still arriving when the shutdown's grace period ends is cut: its coroutine, which
// holds the sink and a strand of the worker pool, is destroyed with the server. (Under ASan
// this caught the pool being destroyed before the I/O contexts.)
TEST_F(UploadStreamTest, AnUploadCutAtTheEndOfTheGracePeriodIsDestroyedWithTheServer) {
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
  const std::string head =
      "PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(10 * kMiB) +
      "\r\n\r\n";
  asio::write(socket, asio::buffer(head));
  asio::write(socket, asio::buffer(Pattern(2 * kMiB + 1)));  // Then the client goes quiet.
  for (int i = 0; i < 500; ++i) {
    {
      std::lock_guard lock(handler_.log.mu);
      if (handler_.log.writes >= 1) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server_->Stop();
  thread_.join();  // Run returns once the grace period has cut the upload.
  server_.reset();
  std::lock_guard lock(handler_.log.mu);
  EXPECT_GE(handler_.log.writes, 1);
  EXPECT_EQ(handler_.log.finishes, 0);
  EXPECT_EQ(handler_.log.destroyed, 1);
}

}  // namespace
}  // namespace spacestore::server
