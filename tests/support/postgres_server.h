#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "temp_dir.h"

namespace spacestore::testing {

// PostgresServer runs a private PostgreSQL server for tests: Debian's server binaries
// (/usr/lib/postgresql/<version>/bin, or $SPACESTORE_PG_BIN), `initdb` into a temporary
// directory, then `postgres` on 127.0.0.1 at a free port with its socket in that directory and
// fsync on; never a system service. Run as root, the server runs as the `postgres` user, since
// PostgreSQL refuses root. The destructor stops the server (fast shutdown, then SIGKILL) and
// removes its files; the server also dies with the test process (parent-death signal).
// Not thread-safe: start it once per test binary and share it (ForTest()).
class PostgresServer {
 public:
  // Starts the server and waits until it accepts connections. Throws std::runtime_error when
  // it cannot (no server binaries, initdb or the server failing).
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Whether PostgreSQL's server binaries are installed.
  static bool Available();
  // The binary's one shared server, started on first use and stopped at exit.
  static PostgresServer& ForTest();

  int port() const { return port_; }
  // The URL of database `db` as user "spacestore" (trust authentication, no password).
  std::string Url(const std::string& db = "postgres") const;
  // Creates a fresh, empty schema and returns a URL whose connections use it (search_path):
  // a new store per test without a new database.
  std::string NewSchemaUrl();
  // Runs `sql` on database "postgres"; throws std::runtime_error if it fails.
  void Exec(const std::string& sql) const;

 private:
  // Runs `argv` (as the postgres user when root) and returns its pid.
  pid_t Spawn(const std::vector<std::string>& argv, const std::string& log) const;

  TempDir dir_;
  std::string bin_;
  pid_t pid_ = -1;
  int port_ = 0;
  int schemas_ = 0;
};

}  // namespace spacestore::testing
