#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"

namespace spacestore::storage::s3 {

// One HTTP/1.1 request as HttpClient sends it.
struct HttpRequest {
  std::string method;  // "GET", "PUT", "HEAD", ...
  std::string target;  // Encoded path and query, e.g. "/bucket/key?uploads=".
  std::vector<std::pair<std::string, std::string>> headers;  // Host and Content-Length are added.
  std::string_view body;                                     // Borrowed; must outlive Send.
};

// What came back. Header names are lower-case.
struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The first value of header `name` (lower-case), or "".
  std::string Header(std::string_view name) const;
};

struct HttpClientOptions {
  // Bound on resolving and connecting. Default: 5 s.
  std::chrono::milliseconds connect_timeout{5000};
  // Bound on sending a request and reading its whole reply. Default: 60 s (an 8 MiB part on a
  // slow link).
  std::chrono::milliseconds io_timeout{60000};
  // Idle keep-alive connections kept for reuse. Default: 16.
  size_t max_idle = 16;
  // HTTPS: TLS 1.2 or later, the server's certificate checked against `ca_file` (PEM), or
  // against the system's trust store when empty, and against the host name. Default: off.
  bool tls = false;
  std::string ca_file;
};

// HttpClient is a small synchronous HTTP/1.1 client over Boost.Beast for one host, over plain
// TCP or TLS (OpenSSL through Asio): a pool of keep-alive connections, every step bounded by a
// timeout, replies read whole up to a limit.
// A request that fails on a reused connection before any reply byte arrived (the server closed
// it while idle) is sent once more on a fresh connection, so callers must only send requests
// that are safe to repeat (the S3 adapter's are).
// Thread-safety: thread-safe; concurrent Sends use different connections.
class HttpClient {
 public:
  HttpClient(std::string host, std::string port, HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and reads the reply, whose body may be at most `body_limit` bytes (for
  // HEAD the body is skipped). Any status is a success here. kUnavailable on connection
  // errors, timeouts and oversized replies, with a message naming the host (never a header).
  Result<HttpReply> Send(const HttpRequest& request, size_t body_limit);

  // The value of the Host header: "host:port", or "host" on the scheme's default port.
  const std::string& host_header() const { return host_header_; }

 private:
  struct Connection;
  struct Tls;
  Result<std::unique_ptr<Connection>> Connect();
  // One attempt on `conn`; sets `keep` to whether the connection may be reused and
  // `before_reply` to whether it failed before any reply byte.
  Result<HttpReply> Exchange(Connection& conn, const HttpRequest& request, size_t body_limit,
                             bool& keep, bool& before_reply);

  const std::string host_;
  const std::string port_;
  const std::string host_header_;
  const HttpClientOptions options_;
  std::unique_ptr<Tls> tls_;  // Set when options_.tls; shared by every connection.
  Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ GUARDED_BY(mu_);
};

}  // namespace spacestore::storage::s3
