#pragma once

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

  // First value of a header (name in lower case), or nullopt.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  // First value of a query parameter, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;
};

// HttpResponse is what a handler returns. The server adds Date, Content-Length, Connection and
// x-acs-request-id. Plain data; thread-compatible.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json;charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Splits a request target into a decoded path and decoded query pairs. Returns false for a
// target that is not origin-form or whose percent-encoding is malformed.
bool ParseTarget(std::string_view target, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query);

}  // namespace spacestore::server
