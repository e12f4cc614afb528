#pragma once

#include <cstddef>
#include <cstdint>

namespace spacestore::server {

// The file descriptor budget behind HttpServerOptions::max_connections: each connection holds
// a socket, so the connection limit is only reachable if RLIMIT_NOFILE allows it, with room
// left for what else the server opens (the metadata store and its WAL, a blob file for each
// upload or download in flight, logs).

// Descriptors kept out of the connection limit for everything but connection sockets.
inline constexpr uint64_t kReservedDescriptors = 256;

// Raises the process's soft RLIMIT_NOFILE to its hard limit, so that a limit of thousands of
// connections is reachable without the operator's `ulimit -n`. Returns the soft limit in force
// afterwards (the old one if raising failed; RLIM_INFINITY as UINT64_MAX).
// Thread-safety: call once at startup, before descriptors are opened on other threads.
uint64_t RaiseDescriptorLimit();

// The connection limit that fits `descriptors`: `requested`, but at most `descriptors` less
// kReservedDescriptors, and at least 1.
size_t FitConnectionLimit(size_t requested, uint64_t descriptors);

// RaiseDescriptorLimit, then FitConnectionLimit for `requested`; logs a warning when the
// descriptor limit lowers `requested`. For the composition root.
size_t ConnectionLimitFor(size_t requested);

}  // namespace spacestore::server
