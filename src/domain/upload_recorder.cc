// UploadRecorder: a queue and a leader. A caller queues its entry; if no batch is running it
// takes the whole queue as the next batch and runs it, otherwise it waits until its entry is
// done or the running batch ends with the entry still queued (then it may lead the next one).
// Rejected: a dedicated recording thread, which costs a hand-off per upload and a thread that
// mostly idles; the callers are threads that would otherwise only wait.
#include "domain/upload_recorder.h"

#include <exception>

namespace spacestore::domain {

struct UploadRecorder::Entry {
  const std::string& key;
  int32_t part;
  const BlobInfo& blob;
  Result<void> result;
  bool done = false;  // Guarded by the recorder's mu_ once queued.
};

namespace {

// Errors that leave the transaction itself in doubt, as opposed to the refusal of one record.
bool FailsTheTransaction(const Error& e) {
  return e.code == Errc::kUnavailable || e.code == Errc::kInternal;
}

}  // namespace

Result<void> UploadRecorder::Record(const std::string& key, int32_t part, const BlobInfo& blob) {
  Entry entry{key, part, blob, {}};
  mu_.Lock();
  queue_.push_back(&entry);
  while (!entry.done) {
    if (running_) {
      changed_.Wait(mu_);
      continue;
    }
    std::vector<Entry*> batch;
    batch.swap(queue_);
    running_ = true;
    mu_.Unlock();  // Others queue up for the next batch meanwhile.
    RunBatch(batch);
    mu_.Lock();
    for (Entry* e : batch) e->done = true;
    running_ = false;
    changed_.SignalAll();
  }
  mu_.Unlock();
  return entry.result;
}

size_t UploadRecorder::QueuedForTest() {
  MutexLock lock(mu_);
  return queue_.size();
}

Result<void> UploadRecorder::Apply(MetadataTransaction& tx, const Entry& entry) {
  auto u = tx.uploads().Get(entry.key);
  if (!u) return u.error();
  if (u->state == UploadSession::State::kCommitted) {
    return MakeError(Errc::kConflict, "upload", "upload " + entry.key + " is already committed");
  }
  if (entry.part > 0) {
    return tx.uploads().PutPart(UploadPart{entry.key, entry.part, entry.blob.id, entry.blob.size});
  }
  u->state = UploadSession::State::kUploaded;
  u->blob_id = entry.blob.id;
  u->blob_size = entry.blob.size;
  u->blob_md5 = entry.blob.md5;
  return tx.uploads().Put(*u);
}

void UploadRecorder::RunBatch(const std::vector<Entry*>& batch) {
  // Runs again from the start if the store retries the transaction (PostgreSQL), so every
  // result is set afresh on each run.
  Result<void> committed;
  try {
    committed = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      for (Entry* e : batch) {
        e->result = Apply(tx, *e);
        if (!e->result && FailsTheTransaction(e->result.error())) return e->result.error();
      }
      return {};
    });
  } catch (const std::exception& e) {
    // Answered here, not at the top of the session: the batch holds other requests' records,
    // and their callers must not wait forever for a leader that left.
    committed = MakeError(Errc::kInternal, "upload", e.what());
  } catch (...) {
    committed = MakeError(Errc::kInternal, "upload", "recording the batch threw");
  }
  if (!committed) {
    for (Entry* e : batch) e->result = committed.error();
  }
}

}  // namespace spacestore::domain
