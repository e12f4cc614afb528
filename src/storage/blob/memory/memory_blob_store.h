#pragma once

#include <map>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "domain/blob_store.h"

namespace spacestore::storage {

// MemoryBlobStore keeps content in process memory: the blob port's reference implementation
// for tests (it passes the same contract suite as LocalBlobStore). Committed blobs are
// immutable and shared with open readers.
// Thread-safety: thread-safe. Borrows the clock.
class MemoryBlobStore final : public domain::BlobStore {
 public:
  explicit MemoryBlobStore(const Clock& clock) : clock_(clock) {}

  // BlobStore
  Result<std::unique_ptr<domain::BlobWriter>> NewWriter(bool compute_md5) override;
  Result<std::unique_ptr<domain::BlobReader>> Open(std::string_view id) override;
  Result<bool> Exists(std::string_view id) override;
  Result<bool> Remove(std::string_view id, int64_t older_than_millis) override;
  Result<std::vector<std::string>> List(std::string_view prefix,
                                        int64_t older_than_millis) override;
  Result<std::vector<std::string>> ListStaging(int64_t older_than_millis) override;
  Result<int> SweepStaging(int64_t older_than_millis) override;
  // Remove is atomic under mu_ with a duplicate commit's refresh: nothing is set aside.
  Result<std::vector<std::string>> ListSetAside(std::string_view prefix,
                                                int64_t older_than_millis) override;
  Result<bool> RestoreSetAside(std::string_view id) override;
  Result<bool> PurgeSetAside(std::string_view id, int64_t older_than_millis) override;

  // Called by writers on commit.
  void Put(const std::string& id, std::shared_ptr<const std::string> data);

 private:
  struct Entry {
    std::shared_ptr<const std::string> data;
    int64_t time = 0;
  };
  const Clock& clock_;
  Mutex mu_;
  std::map<std::string, Entry, std::less<>> blobs_ GUARDED_BY(mu_);
};

}  // namespace spacestore::storage
