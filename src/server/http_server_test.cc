#include "server/http_server.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace spacestore::server {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// A handler whose /throw route throws, to prove the server's exception policy.
class ThrowingHandler final : public HttpHandler {
 public:
  HttpResponse Handle(HttpRequest& request) override {
    if (request.path == "/throw") throw std::runtime_error("boom");
    return MakeResponse(200, R"({"ok":true})");
  }
  bool StreamsBody(const HttpRequest&) const override { return false; }
  BodyStart OpenBody(HttpRequest&) override { return BodyStart{nullptr, MakeResponse(404, "{}")}; }
  HttpResponse Reject(int status, const HttpRequest& request) noexcept override {
    rejected_status = status;
    return MakeResponse(status,
                        R"({"code":"systemError","requestid":")" + request.request_id + "\"}");
  }
  std::atomic<int> rejected_status{0};
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.port = 0;
    options.handle_signals = false;
    server_ = std::make_unique<HttpServer>(options);
    ASSERT_TRUE(server_->Listen());
    thread_ = std::thread([this] { server_->Run(handler_); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  http::response<http::string_body> Get(const std::string& target) {
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
  }

  ThrowingHandler handler_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(HttpServerTest, AThrowingHandlerIsAnswered500AndTheServerKeepsServing) {
  const auto res = Get("/throw");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(handler_.rejected_status.load(), 500);
  const std::string request_id(res["x-acs-request-id"]);
  EXPECT_FALSE(request_id.empty());
  EXPECT_NE(res.body().find(request_id), std::string::npos);
  EXPECT_EQ(Get("/fine").result_int(), 200);
}

TEST_F(HttpServerTest, StopEndsRunWithIdleKeepAliveConnectionsOpen) {
  asio::io_context ioc;
  asio::ip::tcp::socket idle(ioc);
  idle.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
  EXPECT_EQ(Get("/fine").result_int(), 200);
  // TearDown's Stop() and join() must return although `idle` never sends a request.
}

}  // namespace
}  // namespace spacestore::server
