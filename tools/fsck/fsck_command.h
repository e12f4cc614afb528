#pragma once

#include <string>

#include "base/clock.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"
#include "tools/fsck/store_checker.h"

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's own namespace
class App;
}

namespace spacestore::tools {

// `spacestore fsck --data-dir DIR [--repair] [--json] [--verify-content] [--grace SECONDS]`:
// registers the subcommand and its options; after parsing, the composition root opens the
// stores (the data directory's, or those its --metadata and --blobs name) and calls Run. The report
// and exit statuses are in docs/operations.md. Thread-safety: not thread-safe (a command line, run
// once).
class FsckCommand {
 public:
  // Exit statuses.
  static constexpr int kClean = 0;
  static constexpr int kProblems = 1;   // Found; with --repair, some could not be repaired.
  static constexpr int kCannotRun = 2;  // Usage error, or the store cannot be opened or read.

  // Registers `fsck` on `cli`.
  explicit FsckCommand(CLI::App& cli);

  // Whether `fsck` was the command given.
  bool parsed() const;
  // The data directory named by --data-dir.
  const std::string& data_dir() const { return data_dir_; }
  // Checks the stores; prints the summary on stderr and, with --json, the report on stdout.
  // Returns the exit status.
  int Run(domain::MetadataStore& store, domain::BlobStore& blobs, const Clock& clock);
  // Prints why the store could not be opened; returns kCannotRun.
  static int CannotOpen(const std::string& data_dir, const std::string& why);

 private:
  CLI::App* command_ = nullptr;
  std::string data_dir_ = "./data";
  bool json_ = false;
  CheckOptions options_;
};

}  // namespace spacestore::tools
