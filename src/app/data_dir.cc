// PrepareDataDir: the data directory's permission policy, checked before any store opens it.
//
// Refusing is reserved for what lets another local user change the data (a group- or
// other-writable dir or database, or one owned by someone else): such a store may already have
// been tampered with, and repairing it silently would hide that. Mere readability, what every
// older spacestore left behind, is repaired in place, since refusing it would stop every
// upgrade for a problem spacestore can fix itself.
#include "app/data_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace spacestore::app {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kGroupOther = S_IRWXG | S_IRWXO;
constexpr mode_t kWritableByOthers = S_IWGRP | S_IWOTH;

Error Refused(const std::string& message) {
  return MakeError(Errc::kPermissionDenied, "data_dir", message);
}

Error Unavailable(const std::string& what, int err) {
  return MakeError(Errc::kUnavailable, "data_dir", what + ": " + std::strerror(err));
}

// Refuses `path` (described as `what`) when it is another user's or writable by group or
// others; `st` is its lstat.
Result<void> CheckOwnedAndPrivate(const std::string& path, const char* what,
                                  const struct stat& st) {
  if (st.st_uid != ::geteuid()) {
    return Refused(fmt::format(
        "{} {} is owned by uid {}, not by this process (uid {}); run spacestore as its owner", what,
        path, st.st_uid, ::geteuid()));
  }
  if ((st.st_mode & kWritableByOthers) != 0) {
    const bool dir = S_ISDIR(st.st_mode);
    return Refused(fmt::format(
        "{} {} is writable by group or others (mode {:04o}); check it was not changed, then "
        "run: chmod {} {}",
        what, path, st.st_mode & 07777, dir ? "0700" : "0600", path));
  }
  return {};
}

// Removes group and other bits from `path` if it has any; counts it in `report`.
Result<void> Tighten(const std::string& path, mode_t mode, DataDirReport& report) {
  if ((mode & kGroupOther) == 0) return {};
  if (::chmod(path.c_str(), mode & ~kGroupOther & 07777) != 0) {
    return Unavailable("chmod " + path, errno);
  }
  ++report.tightened;
  return {};
}

// Tightens everything below `root`, without following symbolic links.
Result<void> TightenTree(const fs::path& root, DataDirReport& report) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || S_ISLNK(st.st_mode)) continue;
    if (auto ok = Tighten(it->path().string(), st.st_mode, report); !ok) return ok.error();
  }
  if (ec) return Unavailable("read " + root.string(), ec.value());
  return {};
}

// True when `path` exists and has group or other bits.
bool OpenToOthers(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && (st.st_mode & kGroupOther) != 0;
}

}  // namespace

Result<DataDirReport> PrepareDataDir(const std::string& data_dir) {
  DataDirReport report;
  struct stat st {};
  if (::stat(data_dir.c_str(), &st) != 0) {
    if (errno != ENOENT) return Unavailable("stat " + data_dir, errno);
    std::error_code ec;
    fs::create_directories(data_dir, ec);
    if (!ec) fs::permissions(data_dir, fs::perms::owner_all, ec);
    if (ec) return Unavailable("cannot create data dir " + data_dir, ec.value());
    if (::stat(data_dir.c_str(), &st) != 0) return Unavailable("stat " + data_dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) return Refused("data dir " + data_dir + " is not a directory");
  if (auto ok = CheckOwnedAndPrivate(data_dir, "data dir", st); !ok) return ok.error();

  const fs::path dir(data_dir);
  for (const char* name : {"metadata.db", "metadata.db-wal", "metadata.db-shm"}) {
    const std::string path = (dir / name).string();
    struct stat file {};
    if (::stat(path.c_str(), &file) != 0) {
      if (errno == ENOENT) continue;
      return Unavailable("stat " + path, errno);
    }
    if (auto ok = CheckOwnedAndPrivate(path, name, file); !ok) return ok.error();
  }

  // An older spacestore's layout shows in the folders it made 0755; only then is the whole
  // tree walked, so a start on a large, already private store costs three stat calls.
  if ((st.st_mode & kGroupOther) != 0 || OpenToOthers(dir / "blobs") ||
      OpenToOthers(dir / "staging")) {
    if (auto ok = TightenTree(dir, report); !ok) return ok.error();
    if (auto ok = Tighten(data_dir, st.st_mode, report); !ok) return ok.error();
  } else {
    for (const char* name : {"metadata.db", "metadata.db-wal", "metadata.db-shm"}) {
      struct stat file {};
      const std::string path = (dir / name).string();
      if (::stat(path.c_str(), &file) != 0) continue;
      if (auto ok = Tighten(path, file.st_mode, report); !ok) return ok.error();
    }
  }
  return report;
}

}  // namespace spacestore::app
