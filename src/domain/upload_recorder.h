#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"

namespace spacestore::domain {

// UploadRecorder records stored upload bodies (a blob on its upload session, or on one of its
// parts) in the metadata store, grouping the records of bodies that finish at the same time
// into one transaction, as databases group commits: each durable commit costs the store a sync
// (SQLite WAL: an fdatasync), and transactions are serialized, so recording one body per
// transaction would cap concurrent uploads at one sync each.
//
// The first caller that finds no transaction running runs one for everything queued; the others
// wait and get their own result. Each record is applied as if alone, in queue order: a record
// that is refused (an unknown or already committed upload) is refused alone, and the others of
// its transaction still commit. A failure of the transaction itself (disk, database) fails every
// record in it, none of which was then recorded.
//
// Ownership: borrows the store. Thread-safety: thread-safe; Record blocks the calling thread.
class UploadRecorder {
 public:
  explicit UploadRecorder(MetadataStore& store) : store_(store) {}
  UploadRecorder(const UploadRecorder&) = delete;
  UploadRecorder& operator=(const UploadRecorder&) = delete;

  // Records `blob` as the body of upload `key` (`part` 0) or as its part `part`, once its
  // transaction has committed. kNotFound ("upload"); kConflict ("upload") if the upload was
  // committed meanwhile; kUnavailable from the store.
  Result<void> Record(const std::string& key, int32_t part, const BlobInfo& blob);

  // Records waiting for a batch to take them: lets a test know they have all arrived.
  size_t QueuedForTest();

 private:
  struct Entry;
  // Applies one record inside `tx`: its refusal, or success.
  static Result<void> Apply(MetadataTransaction& tx, const Entry& entry);
  // Records `batch` in one transaction and sets each entry's result.
  void RunBatch(const std::vector<Entry*>& batch);

  MetadataStore& store_;
  Mutex mu_;
  CondVar changed_;                            // A batch ended.
  std::vector<Entry*> queue_ GUARDED_BY(mu_);  // Waiting for the next batch.
  bool running_ GUARDED_BY(mu_) = false;       // A batch is in its transaction.
};

}  // namespace spacestore::domain
