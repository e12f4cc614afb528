#pragma once

#include <string>

#include "base/result.h"

namespace spacestore::storage {

// Writes a consistent copy of the SQLite database at `from` to the new file `to` with
// `VACUUM INTO`, while other connections (a running server) go on reading and writing: the copy
// is one read transaction's snapshot, compacted, without a WAL. The copy is fsynced before this
// returns. kAlreadyExists (subject "backup") if `to` exists; kUnavailable if `from` cannot be
// opened or stays locked past the busy timeout, or the copy cannot be written.
// Thread-safety: thread-safe (opens its own connection).
Result<void> SnapshotDatabase(const std::string& from, const std::string& to);

}  // namespace spacestore::storage
