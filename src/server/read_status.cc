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

awaitable<bool> SendContinue(tcp::socket& socket) {
  http::response<http::empty_body> go_on{http::status::continue_, 11};
  auto [ec, n] = co_await http::async_write(socket, go_on, kTuple);
  co_return !ec;
}

}  // namespace spacestore::server
