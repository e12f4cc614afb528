#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace spacestore::app {

// What PrepareDataDir found and changed.
struct DataDirReport {
  // Files and folders whose group or other permission bits were removed (an older spacestore
  // made the data dir 0755 and its files 0644). 0 on a data dir that was already owner-only.
  int64_t tightened = 0;
};

// Makes `data_dir` fit to hold secrets (docs/security.md, "File modes"):
//   - creates it (and missing parents) mode 0700 if it does not exist;
//   - refuses it, and metadata.db, metadata.db-wal and metadata.db-shm where they exist, when
//     one is owned by another user than the process's effective user, is writable by group or
//     others, or is not a directory (a regular file): kPermissionDenied, subject "data_dir",
//     with a message naming the path, what is wrong and the command that fixes it;
//   - removes group and other bits from those files, and when the data dir, blobs/ or staging/
//     had any, from every file and folder below the data dir (symbolic links are not followed).
// kUnavailable (subject "data_dir") when it cannot be created, read or changed.
//
// A free function of the process's own files; safe to call from any thread, though two calls
// on one directory at once may both count the same tightening.
Result<DataDirReport> PrepareDataDir(const std::string& data_dir);

}  // namespace spacestore::app
