// HttpClient: synchronous calls built from Beast's asynchronous operations, each connection
// with its own io_context that the calling thread runs until the operation completes. That is
// how a blocking call gets a timeout (beast::tcp_stream::expires_after applies to async
// operations only; SO_RCVTIMEO on a blocking socket would be retried forever by Asio's
// synchronous read). A worker thread of the server calls it, never an I/O thread.
#include "storage/blob/s3/http_client.h"

#include <cctype>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/span.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

namespace spacestore::storage::s3 {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// The client's TLS settings: one OpenSSL context for every connection, set up once. `error` is
// why it could not be (an unreadable CA file), reported by every Connect.
struct HttpClient::Tls {
  asio::ssl::context context{asio::ssl::context::tls_client};
  std::optional<Error> error;
};

// One connection: plain TCP, or TLS over it. `With` hands the stream in use to `f`.
struct HttpClient::Connection {
  asio::io_context ioc;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  bool reused = false;

  beast::tcp_stream& tcp() { return tls ? tls->next_layer() : *plain; }
  template <class F>
  void With(F f) {
    if (tls) {
      f(*tls);
    } else {
      f(*plain);
    }
  }
};

namespace {

// Runs the io_context until the started operation has completed.
void RunToCompletion(asio::io_context& ioc) {
  ioc.restart();
  ioc.run();
}

Error Unavailable(const std::string& what, const beast::error_code& ec) {
  return MakeError(Errc::kUnavailable, "s3", what + ": " + ec.message());
}

}  // namespace

std::string HttpReply::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

HttpClient::HttpClient(std::string host, std::string port, HttpClientOptions options)
    : host_(std::move(host)),
      port_(std::move(port)),
      // The default port is left out, as clients usually send it (it is signed as sent).
      host_header_(port_ == (options.tls ? "443" : "80") ? host_ : host_ + ":" + port_),
      options_(std::move(options)) {
  if (!options_.tls) return;
  tls_ = std::make_unique<Tls>();
  auto& ctx = tls_->context;
  beast::error_code ec;
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1,
                  ec);
  if (!ec) ctx.set_verify_mode(asio::ssl::verify_peer, ec);
  if (!ec) ctx.set_verify_callback(asio::ssl::host_name_verification(host_), ec);
  if (!ec) {
    if (options_.ca_file.empty()) {
      ctx.set_default_verify_paths(ec);
    } else {
      ctx.load_verify_file(options_.ca_file, ec);
    }
  }
  if (ec) {
    tls_->error = MakeError(Errc::kUnavailable, "s3",
                            "TLS setup for S3 endpoint " + host_header_ + " (CA file " +
                                (options_.ca_file.empty() ? "system" : options_.ca_file) +
                                "): " + ec.message());
  }
}

HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient::Connection>> HttpClient::Connect() {
  auto conn = std::make_unique<Connection>();
  if (tls_) {
    if (tls_->error) return *tls_->error;
    conn->tls.emplace(conn->ioc, tls_->context);
  } else {
    conn->plain.emplace(conn->ioc);
  }
  tcp::resolver resolver(conn->ioc);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(host_, port_,
                         [&](const beast::error_code& e, tcp::resolver::results_type r) {
                           ec = e;
                           endpoints = std::move(r);
                         });
  RunToCompletion(conn->ioc);
  if (ec) return Unavailable("resolve S3 endpoint " + host_header_, ec);
  conn->tcp().expires_after(options_.connect_timeout);
  conn->tcp().async_connect(endpoints,
                            [&](const beast::error_code& e, const tcp::endpoint&) { ec = e; });
  RunToCompletion(conn->ioc);
  if (ec) return Unavailable("connect to S3 endpoint " + host_header_, ec);
  conn->tcp().socket().set_option(tcp::no_delay(true), ec);
  if (tls_) {
    // SNI: a server hosting several names picks the certificate by it. Not for an address,
    // which RFC 6066 leaves out of SNI.
    beast::error_code not_an_address;
    (void)asio::ip::make_address(host_, not_an_address);
    if (not_an_address &&
        SSL_set_tlsext_host_name(conn->tls->native_handle(), host_.c_str()) != 1) {
      return MakeError(Errc::kUnavailable, "s3", "TLS: cannot set the server name " + host_);
    }
    conn->tcp().expires_after(options_.connect_timeout);
    conn->tls->async_handshake(asio::ssl::stream_base::client,
                               [&](const beast::error_code& e) { ec = e; });
    RunToCompletion(conn->ioc);
    if (ec) return Unavailable("TLS handshake with S3 endpoint " + host_header_, ec);
  }
  return conn;
}

Result<HttpReply> HttpClient::Exchange(Connection& conn, const HttpRequest& request,
                                       size_t body_limit, bool& keep, bool& before_reply) {
  keep = false;
  before_reply = true;
  http::request<http::span_body<const char>> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(http::field::host, host_header_);
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = boost::span<const char>(request.body.data(), request.body.size());
  req.prepare_payload();
  if (request.body.empty() && request.method != "PUT" && request.method != "POST") {
    req.erase(http::field::content_length);
  }

  beast::error_code ec;
  const auto done = [&](const beast::error_code& e, size_t) { ec = e; };
  conn.tcp().expires_after(options_.io_timeout);
  conn.With([&](auto& stream) { http::async_write(stream, req, done); });
  RunToCompletion(conn.ioc);
  if (ec) return Unavailable("send to S3 endpoint " + host_header_, ec);

  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  if (request.method == "HEAD") parser.skip(true);
  conn.With([&](auto& stream) { http::async_read_header(stream, conn.buffer, parser, done); });
  RunToCompletion(conn.ioc);
  if (ec) return Unavailable("read from S3 endpoint " + host_header_, ec);
  before_reply = false;
  if (!parser.is_done()) {
    conn.With([&](auto& stream) { http::async_read(stream, conn.buffer, parser, done); });
    RunToCompletion(conn.ioc);
    if (ec) return Unavailable("read from S3 endpoint " + host_header_, ec);
  }
  auto res = parser.release();
  keep = res.keep_alive();
  HttpReply reply;
  reply.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  reply.body = std::move(res.body());
  return reply;
}

Result<HttpReply> HttpClient::Send(const HttpRequest& request, size_t body_limit) {
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Connection> conn;
    {
      MutexLock lock(mu_);
      if (!idle_.empty() && attempt == 0) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!conn) {
      auto fresh = Connect();
      if (!fresh) return fresh.error();
      conn = std::move(*fresh);
    }
    bool keep = false;
    bool before_reply = false;
    auto reply = Exchange(*conn, request, body_limit, keep, before_reply);
    // A pooled connection the server closed while it sat idle fails before any reply byte:
    // that is not the server being down, so try once more on a new connection.
    if (!reply && conn->reused && before_reply && attempt == 0) continue;
    if (reply && keep) {
      conn->reused = true;
      MutexLock lock(mu_);
      if (idle_.size() < options_.max_idle) idle_.push_back(std::move(conn));
    }
    return reply;
  }
}

}  // namespace spacestore::storage::s3
