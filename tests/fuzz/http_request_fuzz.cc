// Raw HTTP requests through Beast's parser with the server's limits, then the target through
// ParseTarget: nothing crashes, whatever the bytes.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/http_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  size_t offset = 0;
  while (offset < size && !parser.is_done()) {
    const size_t n = parser.put(boost::asio::buffer(data + offset, size - offset), ec);
    if (ec == http::error::need_more) break;
    if (ec || n == 0) return 0;
    offset += n;
  }
  if (!parser.is_header_done()) return 0;
  const auto& request = parser.get();
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  (void)spacestore::server::ParseTarget(request.target(), path, query);
  for (const auto& field : request) (void)field.value();
  return 0;
}
