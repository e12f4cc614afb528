// SnapshotDatabase: VACUUM INTO on a connection of its own. Rejected: the online backup API
// (sqlite3_backup_step), which restarts its copy whenever another connection writes, so under a
// steady upload load it may never finish; VACUUM INTO reads one snapshot and is done.
#include "storage/metadata/sqlite/sqlite_snapshot.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace spacestore::storage {
namespace {

Error Unavailable(const std::string& what) { return MakeError(Errc::kUnavailable, "backup", what); }

Result<void> SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Unavailable("open " + path + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Unavailable("fsync " + path + ": " + std::strerror(err));
  return {};
}

}  // namespace

Result<void> SnapshotDatabase(const std::string& from, const std::string& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    return MakeError(Errc::kAlreadyExists, "backup", to + " already exists");
  }
  sqlite3* db = nullptr;
  // Read-write without create: a WAL reader may need to write the -shm index.
  if (sqlite3_open_v2(from.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string why = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Unavailable("cannot open " + from + ": " + why);
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &st, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, to.c_str(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
  }
  const std::string why = sqlite3_errmsg(db);
  sqlite3_finalize(st);
  sqlite3_close(db);
  if (rc != SQLITE_DONE) return Unavailable("VACUUM INTO " + to + ": " + why);
  // VACUUM INTO does not sync what it wrote.
  if (auto r = SyncPath(to, O_RDONLY); !r) return r;
  return SyncPath(std::filesystem::path(to).parent_path().string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace spacestore::storage
