#pragma once

#include "app/config.h"

namespace spacestore::app {

// `spacestore serve`: opens the stores, bootstraps identity, wires the services, the dialects
// and the HTTP server, runs the collector thread, and serves until SIGINT or SIGTERM. Returns
// the process exit code: 0 after a clean stop, 1 for a startup failure (message on stderr), 2
// for a bad --listen.
int Serve(const ServeConfig& config);

}  // namespace spacestore::app
