// LocalBlobStore: content-addressed files with the staging-file, write-back, rename, syncfs
// discipline. Ids are validated as 64 lower-case hex characters before they touch a path, so a
// crafted id can never escape the root.
#include "storage/blob/local/local_blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>

#include "base/crypto.h"
#include "base/ids.h"
#include "domain/store_errors.h"
#include "storage/blob/local/write_thread.h"

namespace spacestore::storage {

namespace fs = std::filesystem;

namespace {

// Holds an exclusive flock on a directory for a scope. Another process's flock on the same
// directory waits; threads of one process share the descriptor, so they also need a mutex.
class DirLock {
 public:
  explicit DirLock(int fd) : fd_(fd) { ::flock(fd_, LOCK_EX); }
  ~DirLock() { ::flock(fd_, LOCK_UN); }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_;
};

Error IoError(const std::string& what, int err) {
  // A full disk is told apart so that clients see 507 (retry once space is freed), not 503.
  const bool full = err == ENOSPC || err == EDQUOT;
  return MakeError(Errc::kUnavailable, full ? domain::kSubjectStorageFull : "blob",
                   what + ": " + std::strerror(err));
}

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsBlobId(std::string_view id) { return id.size() == 64 && IsLowerHex(id); }

// fsync(2) of the file or directory at `path`, opened with `flags`.
Result<void> SyncPath(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return IoError("open " + path.string(), errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("fsync " + path.string(), err);
  return {};
}

// Syncs::file_data of OpenDirectory. With all three flags (Linux 5.2 and later) the range is
// written as fsync writes it (WB_SYNC_ALL), and WAIT_AFTER reports the file's writeback errors
// since this descriptor was opened, as fsync does; unlike fsync it neither commits the journal
// nor flushes the device's cache.
int WriteBackFile(int fd) {
  constexpr unsigned kFlags =
      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
  while (::sync_file_range(fd, 0, 0, kFlags) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

// Syncs::filesystem of OpenDirectory. Reports, since Linux 5.8, any writeback error on the
// filesystem since the last syncfs of this descriptor.
int SyncFilesystemOf(int fd) { return ::syncfs(fd) == 0 ? 0 : errno; }

// Syncs::file_ahead of OpenDirectory: the file's data and size, with the device's cache
// flushed.
int DataSyncFile(int fd) {
  while (::fdatasync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

int64_t MtimeMillis(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

}  // namespace

// Writes one blob; Commit asks its store for durable directories and the dedup lock.
//
// Each chunk goes straight to the staging file through the page cache (a large one on the
// store's WriteThread while this thread hashes it), and the kernel is asked
// (sync_file_range, SYNC_FILE_RANGE_WRITE) to start writing back all but the last kWritebackLag
// bytes at once: the disk works while the next chunks arrive, and the write-back at Commit has
// at most about kWritebackLag bytes left to wait for. This replaced O_DIRECT writes of a 1 MiB
// aligned buffer: each of those blocked its worker until the device had the MiB (one request in
// flight), which made the disk the bottleneck of a large upload, and the buffer cost a copy of
// its own. The lag keeps a body that fits in it unwritten until Commit, so a duplicate of
// stored content (found at Commit, once the hash is known) never reaches the disk. A large file
// is also flushed every few MiB on the store's FlushAhead thread, so that the device's cache is
// emptied while the body arrives rather than all at once at Commit.
class LocalBlobStore::Writer final : public domain::BlobWriter {
 public:
  Writer(LocalBlobStore& store, fs::path staging, fs::path blobs, int fd, bool md5)
      : store_(store), staging_(std::move(staging)), blobs_(std::move(blobs)), fd_(fd) {
    if (md5) md5_.emplace(Digest::Kind::kMd5);
  }
  ~Writer() override { Abort(); }

  Result<void> Append(std::string_view data) override {
    if (fd_ < 0) return MakeError(Errc::kInternal, "blob", "append after commit or abort");
    const auto hash = [&] {
      sha_.Update(data);
      if (md5_) md5_->Update(data);
    };
    int error = 0;
    if (data.size() >= kParallelBytes) {
      error = store_.write_thread_.WriteWhile(fd_, data, size_, hash);
    } else {
      hash();
      error = WriteFully(fd_, data, size_);
    }
    if (error != 0) {
      Abort();  // What reached the file is unknown: the writer is spent.
      return IoError("write " + staging_.string(), error);
    }
    size_ += static_cast<int64_t>(data.size());
    if (const int64_t upto = size_ - kWritebackLag; upto > writeback_started_) {
      // Only a hint that starts the I/O: an error here shows again at Commit's write-back.
      static_cast<void>(::sync_file_range(fd_, writeback_started_, upto - writeback_started_,
                                          SYNC_FILE_RANGE_WRITE));
      writeback_started_ = upto;
    }
    if (size_ - flushed_from_ >= kFlushAheadBytes && store_.flush_ahead_.Start(flushes_, fd_)) {
      flushed_from_ = size_;
    }
    if (const int64_t upto = size_ - kDropLag; upto > dropped_) {
      // Pages written back by now go back to the allocator (any still under writeback stay),
      // so the next chunks reuse warm pages (kDropLag).
      static_cast<void>(::posix_fadvise(fd_, dropped_, upto - dropped_, POSIX_FADV_DONTNEED));
      dropped_ = upto;
    }
    return {};
  }

  int64_t size() const override { return size_; }

  Result<domain::BlobInfo> Commit() override {
    if (fd_ < 0) return MakeError(Errc::kInternal, "blob", "commit after commit or abort");
    // No flush of this file may be running from here on. One that failed may have consumed
    // the file's writeback error, which the write-back below would then not see again: it
    // fails the commit, unless the content is a duplicate and this copy is dropped anyway.
    const int flush_error = store_.flush_ahead_.Finish(flushes_);
    domain::BlobInfo info{sha_.FinishHex(), size_, md5_ ? md5_->FinishHex() : std::string()};
    const fs::path dir = blobs_ / info.id.substr(0, 2) / info.id.substr(2, 2);
    if (auto r = store_.EnsureDirectory(dir); !r) {
      Abort();
      return r.error();
    }
    const fs::path target = dir / info.id;
    bool duplicate = false;
    {
      // Identical content may already be stored. Touching it, under the lock the collector
      // takes for its age check and unlink, keeps the collector (which removes only blobs
      // unreferenced *and* older than its grace period) away until the caller has recorded
      // its reference.
      MutexLock lock(store_.remove_mu_);
      const DirLock across_processes(store_.blobs_fd_);
      duplicate = ::access(target.c_str(), F_OK) == 0;
      if (duplicate) ::utimensat(AT_FDCWD, target.c_str(), nullptr, 0);
    }
    if (duplicate) {
      // The stored copy is kept, so this one is dropped unwritten: most of its pages never
      // reach the disk.
      Abort();
      // Another writer may have renamed the stored copy in without its filesystem sync yet.
      // Once a sync has covered the directory's creation, an fsync of the stored file (its
      // data and inode) and one of the directory (its entry) make it durable; a syncfs would
      // also write back every other upload's staged bytes, and make their unlinks wait.
      if (store_.IsDurable(dir)) {
        if (auto r = SyncPath(target, O_RDONLY); !r) return r.error();
        if (auto r = SyncPath(dir, O_RDONLY | O_DIRECTORY); !r) return r.error();
        return info;
      }
    } else {
      if (flush_error != 0) {
        Abort();
        return IoError("flush " + staging_.string(), flush_error);
      }
      // The content first: written to the device and waited for, with this file's own
      // writeback errors reported here (a filesystem-wide sync could report them to another
      // caller instead). No fsync: its journal commit and cache flush would be paid once per
      // upload, while the filesystem sync below, which begins after this wait has ended, makes
      // the data durable (its flush covers every write completed before it), with the file's
      // size and blocks and the rename, once for all the commits waiting with this one.
      if (const int err = store_.syncs_.file_data(fd_); err != 0) {
        Abort();
        return IoError("write back " + staging_.string(), err);
      }
      // All clean now: freed for the next upload's pages (see kDropLag).
      static_cast<void>(::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED));
      ::close(fd_);
      fd_ = -1;
      if (auto r = Publish(dir, target); !r) return r.error();
    }
    // Then durability: the data written above, the file's inode, the rename, the fan-out
    // directories it may have needed and, for a duplicate, another writer's rename that may not
    // be synced yet. One sync of the filesystem that begins after the rename covers them all,
    // shared with every commit that waits at the same time.
    if (auto r = store_.entries_sync_.Sync(); !r) return r.error();
    store_.MarkDurable(dir);
    return info;
  }

  void Abort() override {
    if (fd_ >= 0) {
      store_.flush_ahead_.Finish(flushes_);  // Not closed under a flush of it.
      ::close(fd_);
      fd_ = -1;
    }
    if (!staging_.empty()) {
      ::unlink(staging_.c_str());
      staging_.clear();
    }
  }

 private:
  // Bytes behind the end of the file whose writeback Append leaves to Commit.
  static constexpr int64_t kWritebackLag = int64_t{1024} * 1024;
  // Bytes behind the end of the file past which Append drops the cached pages. A page that
  // was never used before costs far more to fill than one the page cache gets back (on a
  // virtual machine, whose memory the host backs on first touch, several times the copy),
  // and with the pages of every upload kept, each new chunk would get fresh ones. Dropping
  // them after writeback keeps recycling the same warm pages. The cost: a download of fresh
  // content reads it from the disk.
  static constexpr int64_t kDropLag = int64_t{8} * 1024 * 1024;
  // Bytes written since the last flush ahead began after which Append starts the next one
  // (one at a time per file). Each flush costs a journal commit, and the final sync waits for
  // what the last one left: about a cache flush of this many bytes.
  static constexpr int64_t kFlushAheadBytes = int64_t{4} * 1024 * 1024;
  // From this size on, a chunk is written on the store's write thread while it is hashed here;
  // below it, the hand-off would cost more than it saves.
  static constexpr size_t kParallelBytes = size_t{128} * 1024;

  // Renames the synced staging file to `target` in fan-out directory `dir`.
  Result<void> Publish(const fs::path& dir, const fs::path& target) {
    if (::rename(staging_.c_str(), target.c_str()) != 0) {
      if (errno != ENOENT) return IoError("rename " + staging_.string(), errno);
      // The fan-out directory vanished under us (an operator cleaned up): make it again.
      store_.ForgetDirectory(dir);
      if (auto r = store_.EnsureDirectory(dir); !r) return r;
      if (::rename(staging_.c_str(), target.c_str()) != 0) {
        return IoError("rename " + staging_.string(), errno);
      }
    }
    staging_.clear();
    return {};
  }

  LocalBlobStore& store_;
  fs::path staging_;
  const fs::path blobs_;
  int fd_;
  int64_t size_ = 0;
  int64_t writeback_started_ = 0;  // Bytes [0, this) have been handed to writeback.
  int64_t dropped_ = 0;            // Bytes [0, this) have been dropped from the page cache.
  int64_t flushed_from_ = 0;       // The file's size when the last flush ahead was started.
  FlushAhead::Flushes flushes_;
  Digest sha_{Digest::Kind::kSha256};
  std::optional<Digest> md5_;
};

namespace {

class LocalReader final : public domain::BlobReader {
 public:
  LocalReader(int fd, int64_t size) : fd_(fd), size_(size) {}
  ~LocalReader() override { ::close(fd_); }
  int64_t size() const override { return size_; }
  Result<size_t> ReadAt(int64_t offset, char* out, size_t n) override {
    for (;;) {
      const ssize_t got = ::pread(fd_, out, n, offset);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return IoError("read blob", errno);
    }
  }

 private:
  int fd_;
  int64_t size_;
};

}  // namespace

Result<std::unique_ptr<LocalBlobStore>> LocalBlobStore::OpenDirectory(const fs::path& root) {
  std::error_code ignored;  // OpenDirectory below reports what cannot be created.
  fs::create_directories(root, ignored);
  struct utsname kernel {};
  struct statfs filesystem {};
  const bool trusted = ::uname(&kernel) == 0 && ::statfs(root.c_str(), &filesystem) == 0 &&
                       TrustsSyncfs(kernel.release, static_cast<int64_t>(filesystem.f_type));
  return OpenDirectory(root, trusted ? SystemSyncs() : FsyncSyncs());
}

LocalBlobStore::Syncs LocalBlobStore::SystemSyncs() {
  return Syncs{WriteBackFile, SyncFilesystemOf, DataSyncFile};
}

LocalBlobStore::Syncs LocalBlobStore::FsyncSyncs() {
  return Syncs{[](int fd) { return ::fsync(fd) == 0 ? 0 : errno; }, SyncFilesystemOf, DataSyncFile};
}

bool LocalBlobStore::TrustsSyncfs(std::string_view kernel_release, int64_t filesystem_type) {
  constexpr int64_t kExt4 = 0xEF53;  // ext2 and ext3 too, which current kernels mount as ext4.
  constexpr int64_t kXfs = 0x58465342;
  constexpr int64_t kBtrfs = 0x9123683E;
  if (filesystem_type != kExt4 && filesystem_type != kXfs && filesystem_type != kBtrfs) {
    return false;
  }
  int major = 0;
  int minor = 0;
  const char* end = kernel_release.data() + kernel_release.size();
  const auto first = std::from_chars(kernel_release.data(), end, major);
  if (first.ec != std::errc() || first.ptr == end || *first.ptr != '.') return false;
  if (std::from_chars(first.ptr + 1, end, minor).ec != std::errc()) return false;
  return major > 5 || (major == 5 && minor >= 17);
}

Result<std::unique_ptr<LocalBlobStore>> LocalBlobStore::OpenDirectory(const fs::path& root,
                                                                      Syncs syncs) {
  std::error_code ec;
  fs::create_directories(root / "staging", ec);
  if (!ec) fs::create_directories(root / "blobs", ec);
  // Owner-only whatever the umask: blobs are the organizations' files (docs/security.md).
  if (!ec) fs::permissions(root / "staging", fs::perms::owner_all, ec);
  if (!ec) fs::permissions(root / "blobs", fs::perms::owner_all, ec);
  if (ec) return IoError("create " + root.string(), ec.value());
  const int blobs_fd = ::open((root / "blobs").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (blobs_fd < 0) return IoError("open " + (root / "blobs").string(), errno);
  return std::unique_ptr<LocalBlobStore>(new LocalBlobStore(root, blobs_fd, std::move(syncs)));
}

LocalBlobStore::~LocalBlobStore() { ::close(blobs_fd_); }

fs::path LocalBlobStore::PathOf(std::string_view id) const {
  const std::string s(id);
  return root_ / "blobs" / s.substr(0, 2) / s.substr(2, 2) / s;
}

Result<std::unique_ptr<domain::BlobWriter>> LocalBlobStore::NewWriter(bool compute_md5) {
  fs::path staging = root_ / "staging" / (RandomAlnumId(24) + ".part");
  const int fd = ::open(staging.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("create " + staging.string(), errno);
  return std::unique_ptr<domain::BlobWriter>(
      new Writer(*this, std::move(staging), root_ / "blobs", fd, compute_md5));
}

Result<std::unique_ptr<domain::BlobReader>> LocalBlobStore::Open(std::string_view id) {
  const auto missing = MakeError(Errc::kNotFound, "blob", "blob " + std::string(id) + " not found");
  if (!IsBlobId(id)) return missing;
  const fs::path path = PathOf(id);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return missing;
    return IoError("open " + path.string(), errno);
  }
  struct stat st {};
  ::fstat(fd, &st);
  return std::unique_ptr<domain::BlobReader>(new LocalReader(fd, st.st_size));
}

Result<bool> LocalBlobStore::Exists(std::string_view id) {
  if (!IsBlobId(id)) return false;
  return ::access(PathOf(id).c_str(), F_OK) == 0;
}

Result<bool> LocalBlobStore::Remove(std::string_view id, int64_t older_than_millis) {
  if (!IsBlobId(id)) return false;
  const fs::path path = PathOf(id);
  MutexLock lock(remove_mu_);
  const DirLock across_processes(blobs_fd_);
  if (::access(path.c_str(), F_OK) != 0 || MtimeMillis(path) >= older_than_millis) return false;
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return false;
    return IoError("unlink " + path.string(), errno);
  }
  return true;
}

void LocalBlobStore::ForgetDirectory(const fs::path& dir) {
  MutexLock lock(mu_);
  dirs_.erase(dir.string());
}

Result<void> LocalBlobStore::EnsureDirectory(const fs::path& dir) {
  {
    MutexLock lock(mu_);
    if (dirs_.contains(dir.string())) return {};
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  // blobs/ab/cd: both levels owner-only, whatever the umask (once per directory and process).
  if (!ec) fs::permissions(dir.parent_path(), fs::perms::owner_all, ec);
  if (!ec) fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) return IoError("mkdir " + dir.string(), ec.value());
  MutexLock lock(mu_);
  dirs_.emplace(dir.string(), false);
  return {};
}

void LocalBlobStore::MarkDurable(const fs::path& dir) {
  MutexLock lock(mu_);
  if (auto it = dirs_.find(dir.string()); it != dirs_.end()) it->second = true;
}

bool LocalBlobStore::IsDurable(const fs::path& dir) {
  MutexLock lock(mu_);
  auto it = dirs_.find(dir.string());
  return it != dirs_.end() && it->second;
}

Result<void> LocalBlobStore::SyncFilesystem() {
  if (const int err = syncs_.filesystem(blobs_fd_); err != 0) {
    return IoError("syncfs " + (root_ / "blobs").string(), err);
  }
  return {};
}

Result<std::vector<std::string>> LocalBlobStore::List(std::string_view prefix,
                                                      int64_t older_than_millis) {
  std::vector<std::string> out;
  // Ids fan out by their first two digits (blobs/<aa>/<bb>/<id>): a prefix of two or more
  // digits walks one directory of the 256.
  fs::path dir = root_ / "blobs";
  if (prefix.size() >= 2) {
    if (!IsLowerHex(prefix)) return out;
    dir /= std::string(prefix.substr(0, 2));
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    if (IsBlobId(name) && name.starts_with(prefix) && MtimeMillis(it->path()) < older_than_millis) {
      out.push_back(name);
    }
  }
  if (ec == std::errc::no_such_file_or_directory) return out;  // No blob has that prefix.
  if (ec) return IoError("list blobs", ec.value());
  return out;
}

Result<std::vector<std::string>> LocalBlobStore::ListStaging(int64_t older_than_millis) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_ / "staging", ec)) {
    if (MtimeMillis(entry.path()) < older_than_millis) out.push_back(entry.path().filename());
  }
  if (ec) return IoError("list staging", ec.value());
  return out;
}

Result<int> LocalBlobStore::SweepStaging(int64_t older_than_millis) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_ / "staging", ec)) {
    if (MtimeMillis(entry.path()) < older_than_millis && ::unlink(entry.path().c_str()) == 0) {
      ++removed;
    }
  }
  if (ec) return IoError("list staging", ec.value());
  return removed;
}

// Remove unlinks under the lock a duplicate commit takes: nothing needs setting aside.
Result<std::vector<std::string>> LocalBlobStore::ListSetAside(std::string_view, int64_t) {
  return std::vector<std::string>();
}

Result<bool> LocalBlobStore::RestoreSetAside(std::string_view) { return false; }

Result<bool> LocalBlobStore::PurgeSetAside(std::string_view, int64_t) { return false; }

}  // namespace spacestore::storage
