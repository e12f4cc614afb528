#pragma once

#include <optional>

#include <boost/beast/http/message.hpp>
#include <boost/system/error_code.hpp>

#include "server/net.h"

namespace spacestore::server {

// The statuses the server owes a client while reading its request, shared by the session
// (request heads and buffered bodies) and the upload stream (streamed bodies): the interim
// 100 Continue before a body is read, and the status that answers a read that failed.

// The status for a read that failed with `ec`, or 0 when nobody is to be answered (the client
// closed or reset, or an idle connection timed out): 413 past the body limit, 431 past the
// header limit, 408 when the sweeper cancelled a request that had begun to arrive
// (`timed_out` and `got_some`), 400 for a malformed request.
int ReadErrorStatus(boost::system::error_code ec, bool timed_out, bool got_some);

// Whether the client waits for an interim 100 Continue before sending the body
// ("Expect: 100-continue").
bool ExpectsContinue(const http::request_header<>& head);

// The status that refuses a head Beast parsed but spacestore does not accept, or nullopt:
// 400 for an HTTP/1.1 request without a Host header, or any request with more than one
// (RFC 9112, 3.2); 501 for a Transfer-Encoding other than exactly "chunked", whose body the
// server could not decode (RFC 9112, 6.1).
std::optional<int> FramingStatus(const http::request_header<>& head);

// Writes the interim "100 Continue" response, once the body is wanted. Returns false if the
// write failed (the connection is unusable). Runs on the connection's strand.
awaitable<bool> SendContinue(tcp::socket& socket);

}  // namespace spacestore::server
