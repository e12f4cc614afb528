#pragma once

#include <string>

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's own namespace
class App;
}

namespace spacestore::app {

// `spacestore admin backup DIR` and `spacestore admin restore DIR --data-dir TARGET`: an online,
// consistent copy of a data directory (SQLite metadata and local blobs) and its way back
// (docs/operations.md). Part of the composition root because the metadata snapshot is
// SQLite's (VACUUM INTO); the blob copying is tools::BlobCopier over the ports.
// Thread-safety: not thread-safe (a command line, run once).
class BackupCommands {
 public:
  // Registers `backup` and `restore` on the `admin` subcommand.
  explicit BackupCommands(CLI::App& admin);

  // Whether `backup` or `restore` was the command given.
  bool parsed() const;
  // Runs it; `admin_data_dir` is admin's --data-dir (the source of a backup unless the
  // subcommand names its own). Prints a JSON summary on stdout; returns the exit status: 0 done,
  // 1 failed (the message says why; a partial target is left for inspection).
  int Run(const std::string& admin_data_dir);

 private:
  int Backup(const std::string& data_dir);
  int Restore();

  CLI::App* backup_ = nullptr;
  CLI::App* restore_ = nullptr;
  std::string backup_dir_;
  std::string backup_data_dir_;
  std::string restore_dir_;
  std::string restore_target_;
};

}  // namespace spacestore::app
