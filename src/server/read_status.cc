// The statuses owed while reading a request. Beast reports every framing problem as an error
// of its own category, so "malformed" is any error of that category except the two that only
// mean the client went away (end_of_stream, partial_message).
#include "server/read_status.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/write.hpp>

namespace spacestore::server {

int ReadErrorStatus(boost::system::error_code ec, bool timed_out, bool got_some) {
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::header_limit) return 431;
  if (timed_out) return got_some ? 408 : 0;
  if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return 400;
  }
  return 0;
}

bool ExpectsContinue(const http::request_header<>& head) {
  return beast::iequals(head[http::field::expect], "100-continue");
}

std::optional<int> FramingStatus(const http::request_header<>& head) {
  const size_t hosts = head.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && head.version() >= 11)) return 400;
  const auto codings = head.equal_range(http::field::transfer_encoding);
  if (codings.first == codings.second) return std::nullopt;
  // The codings, comma-separated over one or more fields, must be the one word "chunked":
  // anything else (another coding, parameters, an empty list) is a body this server cannot read.
  size_t count = 0;
  bool chunked = false;
  for (auto field = codings.first; field != codings.second; ++field) {
    std::string_view list = field->value();
    for (size_t end = 0; end != std::string_view::npos;) {
      end = list.find(',');
      std::string_view coding = list.substr(0, end);
      list.remove_prefix(end == std::string_view::npos ? list.size() : end + 1);
      const size_t first = coding.find_first_not_of(" \t");
      coding = first == std::string_view::npos
                   ? std::string_view()
                   : coding.substr(first, coding.find_last_not_of(" \t") - first + 1);
      ++count;
      chunked = beast::iequals(coding, "chunked");
    }
  }
  if (count != 1 || !chunked) return 501;
  return std::nullopt;
}

awaitable<bool> SendContinue(tcp::socket& socket) {
  http::response<http::empty_body> go_on{http::status::continue_, 11};
  auto [ec, n] = co_await http::async_write(socket, go_on, kTuple);
  co_return !ec;
}

}  // namespace spacestore::server
