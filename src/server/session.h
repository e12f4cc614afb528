#pragma once

#include <atomic>

#include "server/http_server.h"
#include "server/net.h"

namespace spacestore::server {

class ConnectionRegistry;
class WorkerPool;

// What every session of one server borrows from it. Owned by HttpServer::Impl, which outlives
// all sessions (it joins the I/O threads before it is destroyed).
// Thread-safety: the references and `handler` are set before the first session starts and are
// only read afterwards; `stopping` is atomic.
struct SessionContext {
  const HttpServerOptions& options;
  WorkerPool& workers;
  WorkerPool& finishers;  // Runs BodySink::Finish (UploadStream).
  ConnectionRegistry& connections;
  HttpHandler* handler = nullptr;  // Set by HttpServer::Run before the first accept.
  // Set once by HttpServer::Stop: requests in flight finish (with Connection: close), no new
  // one is read, and closing connections skip the lingering drain.
  std::atomic<bool> stopping{false};
};

// The coroutine that serves one accepted connection (Beast's `do_session`): registers it with
// `context.connections`, then loops read -> route -> write. Each request head is read within
// the header limit and under the connection's deadline (read_timeout); the handler decides from
// the head whether the body is buffered (body_limit) or streamed (UploadStream). A buffered
// request goes to HttpHandler::Handle on the worker pool, and the session resumes on its strand
// to write the response (streamed from a BodySource for a download) and one access-log line.
// A refused request (400, 408, 413, 431) is answered and closes the connection, as does
// anything but a kept-alive, fully read request. On the way out the connection is closed with
// a lingering drain and unregistered. A std::exception escaping a request is logged and
// closes the connection; it does not reach the caller.
//
// Spawn it on `strand`, the strand `socket` was accepted with:
//   co_spawn(strand, RunSession(context, std::move(socket), strand), detached);
// Ownership: the coroutine owns the socket; `context` must outlive it.
awaitable<void> RunSession(SessionContext& context, tcp::socket socket, Strand strand);

}  // namespace spacestore::server
