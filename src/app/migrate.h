#pragma once

#include <string>

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's own namespace
class App;
}

namespace spacestore::app {

// `spacestore admin migrate --from METADATA [--from-blobs BLOBS] --to METADATA
// [--to-blobs BLOBS]`: copies a whole deployment from one metadata and blob backend to another
// and verifies the copy (tools::Migration; docs/operations.md, "Migrate"). Locations use the
// forms of `serve`: `sqlite:DIR` (DIR/metadata.db) and `local:DIR` (DIR/blobs), with
// PostgreSQL URLs and s3:// URLs where those backends are built in. `--from-blobs` defaults to
// `local:DIR` for `--from sqlite:DIR`, and likewise for the target. Part of the composition
// root because it opens concrete stores.
// Thread-safety: not thread-safe (a command line, run once).
class MigrateCommand {
 public:
  // Registers `migrate` on the `admin` subcommand.
  explicit MigrateCommand(CLI::App& admin);

  // Whether `migrate` was the command given.
  bool parsed() const;
  // Runs it. Prints progress on stderr and a JSON summary on stdout; returns the exit status:
  // 0 copied and verified, 1 refused or failed (the message says why; what was copied stays
  // and a re-run continues), 2 usage error (a location of unknown form).
  int Run();

 private:
  CLI::App* command_ = nullptr;
  std::string from_;
  std::string from_blobs_;
  std::string to_;
  std::string to_blobs_;
  std::size_t batch_rows_ = 500;
};

}  // namespace spacestore::app
