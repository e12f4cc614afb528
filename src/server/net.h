#pragma once

// Short names for the Asio and Beast vocabulary that the server's internal units share
// (listener, session, body streams, registry, sweeper, worker pool). Only those units include
// it: the public headers (http_server.h, http_message.h) stay free of Asio and Beast.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

// Declared here so that the aliases below need no Beast header; each unit includes the Beast
// headers it uses.
namespace boost::beast::http {}

namespace spacestore::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

// The serial executor each connection runs on, and the control work (accepting, the deadline
// sweeper, shutdown): its I/O context's own executor. Every context is run by exactly one thread
// (IoContextPool), so its handlers never run concurrently: an implicit strand, in Asio's words,
// without an explicit strand's queue and lock on every hand-off.
using Strand = asio::io_context::executor_type;

// Completion token for operations whose error is expected: the error comes back as the first
// element of a tuple instead of as an exception.
constexpr auto kTuple = asio::as_tuple(use_awaitable);

}  // namespace spacestore::server
