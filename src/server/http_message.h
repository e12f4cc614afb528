#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spacestore::server {

// HttpRequest is a parsed HTTP request as the API layer sees it: no Beast types, so dialects
// compile without the HTTP library's headers. Plain data; thread-compatible.
struct HttpRequest {
  std::string method;  // Upper case, e.g. "GET".
  std::string target;  // As sent: path plus query.
  std::string path;    // Percent-decoded path, without the query.
  std::vector<std::pair<std::string, std::string>> query;    // Decoded, in order.
  std::vector<std::pair<std::string, std::string>> headers;  // Names lower-cased.
  std::string body;
  std::string request_id;  // Assigned by the server; echoed as x-acs-request-id.
  std::string remote;      // Peer address, for logs.

  // A field that may be sent at most once (a credential, the acting user): whether it came
  // never, once or more often, and its value when once. Callers refuse a repeated one rather
  // than pick one of its values.
  struct SingleField {
    enum class Count { kAbsent, kOnce, kRepeated };
    Count count = Count::kAbsent;
    std::string_view value;  // Empty unless kOnce.
  };

  // First value of a header (name in lower case), or nullopt.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // First value of a query parameter, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
  // A header (name in lower case) or query parameter that must not repeat.
  SingleField SingleHeader(std::string_view lower_name) const;
  SingleField SingleQuery(std::string_view name) const;
};

// True if `value` is empty or only spaces and tabs.
bool IsBlank(std::string_view value);

// BodySource streams a response body (a download) in chunks, so memory stays bounded whatever
// the size. Read is called on a worker thread, never concurrently.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Fills up to `capacity` bytes; returns how many (0 only at the end), or nullopt on an I/O
  // error, which makes the server cut the connection (the status line is already sent).
  virtual std::optional<size_t> Read(char* buffer, size_t capacity) = 0;
};

// HttpResponse is what a handler returns. The server adds Content-Length, Connection and
// x-acs-request-id. Move-only when it streams; thread-compatible.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json;charset=utf-8";
  // Headers besides those the server writes itself (Server, Content-Type, Content-Length,
  // Connection, x-acs-request-id), which must not appear here. Each name at most once, and
  // values without leading or trailing blanks: they are written exactly as given.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is streamed from here instead of `body`, with exactly `source_length`
  // bytes announced in Content-Length.
  std::unique_ptr<BodySource> source;
  uint64_t source_length = 0;
  // The route template that answered, for metrics (HttpMetrics); empty when none matched.
  // Must stay valid while the server runs: a route table's template or a string literal.
  std::string_view route;
};

// A buffered response with a JSON (or other) body.
inline HttpResponse MakeResponse(int status, std::string body,
                                 std::string content_type = "application/json;charset=utf-8") {
  HttpResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

// BodySink receives a streamed request body (an upload) chunk by chunk. Methods run on a worker
// thread, one at a time. Destroying a sink without Finish() means the body never completed:
// the sink must discard what it received.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // Accepts the next chunk, or returns the response that refuses the upload (the server sends
  // it and closes the connection).
  virtual std::optional<HttpResponse> Write(std::string_view chunk) = 0;
  // The body is complete; returns the final response.
  virtual HttpResponse Finish() = 0;
};

// What HttpHandler::OpenBody returns: a sink to stream into, or a response that refuses the
// request before its body is read.
struct BodyStart {
  std::unique_ptr<BodySink> sink;
  HttpResponse refusal;
};

// Splits a request target into a decoded path and decoded query pairs. Returns false for a
// target that is not origin-form or whose percent-encoding is malformed.
bool ParseTarget(std::string_view target, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query);

// The status line and headers of `response` with a body of `content_length` bytes (`body`'s
// size, or `source_length` when streamed), up to and including the blank line: byte for byte
// what Beast's serializer writes for the same http::response after prepare_payload(), with
// the server's own headers first. Formatting it here costs a fraction of Beast's serializer
// (http_message_test compares the two).
std::string ResponseHead(const HttpResponse& response, std::string_view request_id, bool keep_alive,
                         size_t content_length);

// The same by Boost.URL alone. ParseTarget splits the common target (nothing to decode)
// itself, about ten times cheaper; this is its reference, and what it falls back to.
bool ParseTargetGeneral(std::string_view target, std::string& path,
                        std::vector<std::pair<std::string, std::string>>& query);

}  // namespace spacestore::server
