#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "domain/blob_store.h"
#include "storage/blob/local/flush_ahead.h"
#include "storage/blob/local/group_sync.h"
#include "storage/blob/local/write_thread.h"

namespace spacestore::storage {

// LocalBlobStore keeps content in a directory:
//   <root>/staging/<random>.part   bytes being written
//   <root>/blobs/<aa>/<bb>/<sha256> committed content, named by its SHA-256
// A writer appends to a staging file; Commit writes its data to the device and waits for it
// (this file's writeback errors fail this commit), renames it into place and then waits for a
// sync of the filesystem that began after the rename (shared by concurrent commits,
// GroupSync), which makes the data, the file's metadata and the rename durable: a committed
// blob survives a crash and a half-written one is never visible. A duplicate of stored content
// is dropped at Commit unwritten: the stored copy was made durable before it was acknowledged.
// A large file is flushed in the background while it is written (FlushAhead), so that its
// commit waits for little more than its last few MiB.
// Ownership: owns two threads: one that writes large chunks (WriteThread) and one that flushes
// large files ahead of their commit (FlushAhead).
// Thread-safety: thread-safe (the file system is the only shared state).
class LocalBlobStore final : public domain::BlobStore {
 public:
  // The waits of a writer, each returning 0 or an errno: two at its commit, and the flushes
  // ahead of it while a large file is written. Tests pass their own to inject
  // failures and to see the order (OpenDirectory without them uses the system calls).
  struct Syncs {
    // Writes a staging file's dirty pages and waits until the device has them; fails with
    // this file's writeback error (sync_file_range WAIT_BEFORE | WRITE | WAIT_AFTER).
    std::function<int(int file_fd)> file_data;
    // Makes everything on the filesystem durable: data, inodes, directory entries, with the
    // device's cache flushed (syncfs of the blobs/ directory's descriptor).
    std::function<int(int blobs_fd)> filesystem;
    // Flushes a staging file that is still being written (fdatasync), on the store's flush
    // thread, so that the two waits above find little left for a large file (FlushAhead). Its
    // error fails the file's commit (unless the file is a duplicate, dropped anyway).
    std::function<int(int file_fd)> file_ahead;
  };

  // The system calls named above.
  static Syncs SystemSyncs();
  // The same, but with an fsync of each staging file (its data, inode and the device's cache)
  // as file_data: for a kernel or filesystem whose syncfs may not report every error.
  static Syncs FsyncSyncs();
  // Whether a syncfs on this kernel (uname's release, e.g. "6.1.0-13-amd64") and filesystem
  // (statfs's f_type) is trusted to make a file durable after its write-back alone: Linux
  // 5.17 or later (syncfs reports the filesystem's own commit and flush errors since 5.17,
  // writeback errors since 5.8) on ext4, XFS or btrfs, whose syncfs commits the journal and
  // flushes the device. Anything else, or anything not recognised, gets FsyncSyncs.
  static bool TrustsSyncfs(std::string_view kernel_release, int64_t filesystem_type);

  // Creates the directories if needed. kUnavailable if they cannot be created. Uses
  // SystemSyncs where TrustsSyncfs holds for this kernel and root's filesystem, else
  // FsyncSyncs.
  static Result<std::unique_ptr<LocalBlobStore>> OpenDirectory(const std::filesystem::path& root);
  static Result<std::unique_ptr<LocalBlobStore>> OpenDirectory(const std::filesystem::path& root,
                                                               Syncs syncs);

  ~LocalBlobStore() override;
  LocalBlobStore(const LocalBlobStore&) = delete;
  LocalBlobStore& operator=(const LocalBlobStore&) = delete;

  // BlobStore
  Result<std::unique_ptr<domain::BlobWriter>> NewWriter(bool compute_md5) override;
  Result<std::unique_ptr<domain::BlobReader>> Open(std::string_view id) override;
  Result<bool> Exists(std::string_view id) override;
  Result<bool> Remove(std::string_view id, int64_t older_than_millis) override;
  Result<std::vector<std::string>> List(std::string_view prefix,
                                        int64_t older_than_millis) override;
  Result<std::vector<std::string>> ListStaging(int64_t older_than_millis) override;
  Result<int> SweepStaging(int64_t older_than_millis) override;
  // Remove is atomic with a duplicate commit's refresh (both under remove_mu_ and the flock):
  // nothing is set aside.
  Result<std::vector<std::string>> ListSetAside(std::string_view prefix,
                                                int64_t older_than_millis) override;
  Result<bool> RestoreSetAside(std::string_view id) override;
  Result<bool> PurgeSetAside(std::string_view id, int64_t older_than_millis) override;

 private:
  class Writer;
  LocalBlobStore(std::filesystem::path root, int blobs_fd, Syncs syncs)
      : root_(std::move(root)), blobs_fd_(blobs_fd), syncs_(std::move(syncs)) {}
  std::filesystem::path PathOf(std::string_view id) const;
  // Makes fan-out directory `dir` (and the levels above it) exist; each directory costs its
  // mkdir once per process. Its entries become durable with the entries_sync_ run that follows
  // the rename of a blob into it.
  Result<void> EnsureDirectory(const std::filesystem::path& dir);
  void ForgetDirectory(const std::filesystem::path& dir);
  // Records that a sync which began after `dir` was made has ended: its entries up to blobs/
  // are durable. IsDurable tells.
  void MarkDurable(const std::filesystem::path& dir);
  bool IsDurable(const std::filesystem::path& dir);
  // syncfs(2) of the filesystem that holds blobs/ (syncs_.filesystem): data, inodes and
  // directory entries (renames, new fan-out directories) on it.
  Result<void> SyncFilesystem();

  const std::filesystem::path root_;
  Mutex mu_;
  // Fan-out directories known to exist, each with whether a sync has covered its entries.
  std::unordered_map<std::string, bool> dirs_ GUARDED_BY(mu_);
  // Serializes the dedup touch with the collector's age check and unlink: remove_mu_ between
  // this process's threads, an flock on the blobs/ directory (blobs_fd_) between processes
  // (the server and `spacestore fsck --repair`).
  Mutex remove_mu_;
  const int blobs_fd_;
  const Syncs syncs_;
  // Writes large chunks while the writer's own thread hashes them.
  WriteThread write_thread_;
  // Flushes large staging files while they are written (syncs_.file_ahead).
  FlushAhead flush_ahead_{syncs_.file_ahead};
  // Commits that wait for their names to be durable at the same time share one syncfs.
  GroupSync entries_sync_{[this] { return SyncFilesystem(); }};
};

}  // namespace spacestore::storage
