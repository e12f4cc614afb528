#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace spacestore::domain {

// What a committed blob is: its SHA-256 (also its id), size and, when asked for, MD5.
struct BlobInfo {
  std::string id;  // Lower-case hex SHA-256 of the content.
  int64_t size = 0;
  std::string md5;  // Lower-case hex; empty unless the writer was asked to compute it.
};

// BlobWriter receives one blob's bytes (leveldb's WritableFile verbs). Nothing is visible to
// readers until Commit; destroying an uncommitted writer discards it (Abort).
// Thread-safety: not thread-safe; one thread at a time.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  // Appends bytes. kUnavailable on I/O errors (disk full included).
  virtual Result<void> Append(std::string_view data) = 0;
  // Bytes appended so far.
  virtual int64_t size() const = 0;
  // Makes the bytes durable and visible under their SHA-256. If identical content is already
  // stored, the new copy is dropped (content is stored once). kUnavailable on I/O errors.
  virtual Result<BlobInfo> Commit() = 0;
  // Discards the bytes. Idempotent.
  virtual void Abort() = 0;
};

// BlobReader reads one committed blob at any offset.
// Thread-safety: not thread-safe; one thread at a time.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual int64_t size() const = 0;
  // Reads up to `n` bytes at `offset` into `out`; returns the count (0 at or past the end).
  virtual Result<size_t> ReadAt(int64_t offset, char* out, size_t n) = 0;
};

// BlobStore is the port for file content, addressed by SHA-256. Adapters:
// storage/blob/{local,memory,s3}; one contract suite runs against all of them.
//
// Setting aside. A store whose Remove cannot be atomic with a concurrent commit of the same
// content (S3 has no delete conditioned on age) does not delete at once: Remove sets the blob
// aside, where Open and Exists still find it, so a commit that raced the removal keeps its
// content. The collector settles each set-aside blob once it is older than the grace period:
// restored if something references it, purged if not. A store whose Remove is atomic with a
// concurrent commit (local: under its lock; memory) sets nothing aside.
// Thread-safety: implementations are thread-safe; the writers and readers they return are not.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // A writer for new content; with `compute_md5` its BlobInfo carries the MD5 too.
  virtual Result<std::unique_ptr<BlobWriter>> NewWriter(bool compute_md5) = 0;
  // A reader for blob `id`, committed or set aside. kNotFound (subject "blob").
  virtual Result<std::unique_ptr<BlobReader>> Open(std::string_view id) = 0;
  // Whether blob `id` is stored, committed or set aside: whether Open finds it.
  virtual Result<bool> Exists(std::string_view id) = 0;
  // Removes blob `id` if it was committed (or last re-committed as a duplicate) before
  // `older_than_millis`; returns whether it was removed. Removing a missing blob succeeds with
  // false. The age is checked again at removal, so content that a new upload has just
  // deduplicated onto is kept (the collector's guard against that race). A store that sets
  // aside leaves the removed blob readable (Open, Exists) until PurgeSetAside, and not listed
  // by List.
  virtual Result<bool> Remove(std::string_view id, int64_t older_than_millis) = 0;
  // Ids of the stored blobs that start with `prefix` (empty: all; the collector passes two hex
  // digits, 1/256 of the ids) and were committed before `older_than_millis` (epoch ms).
  virtual Result<std::vector<std::string>> List(std::string_view prefix,
                                                int64_t older_than_millis) = 0;
  // Names of the staging files (content being written, or abandoned by a crash) older than
  // `older_than_millis`. A store whose writers hold their bytes in memory has none.
  virtual Result<std::vector<std::string>> ListStaging(int64_t older_than_millis) = 0;
  // Removes abandoned staging files older than `older_than_millis`; returns how many.
  virtual Result<int> SweepStaging(int64_t older_than_millis) = 0;

  // Ids of the set-aside blobs that start with `prefix` (as List) and were set aside before
  // `older_than_millis` (epoch ms). Always empty for a store that sets nothing aside.
  virtual Result<std::vector<std::string>> ListSetAside(std::string_view prefix,
                                                        int64_t older_than_millis) = 0;
  // Puts set-aside blob `id` back among the committed blobs, committed now (so a later removal
  // waits for another grace period), and then drops the set-aside copy; returns false if `id`
  // is not set aside. The caller has checked that something references it.
  virtual Result<bool> RestoreSetAside(std::string_view id) = 0;
  // Deletes set-aside blob `id` for good (a committed blob of the same id is untouched) if it
  // was set aside before `older_than_millis`; returns false if `id` is not set aside or was set
  // aside since (a later removal, whose racing commit the caller's decision did not see). The
  // caller has checked that nothing references it.
  virtual Result<bool> PurgeSetAside(std::string_view id, int64_t older_than_millis) = 0;
};

}  // namespace spacestore::domain
