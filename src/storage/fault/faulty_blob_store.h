#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/blob_store.h"
#include "storage/fault/fault_plan.h"

namespace spacestore::storage {

// FaultyBlobStore is a BlobStore decorator for tests: it forwards every call to the store it
// wraps unless the FaultSource's current plan says to fail it (ENOSPC as kUnavailable
// "storage_full", EIO and failed fsyncs as kUnavailable) or to delay it. The writers and readers it
// returns are wrapped too, so a fault set while an upload streams hits its next Append or its
// Commit. A failed Append or Commit leaves the wrapped writer uncommitted: nothing half-written
// becomes visible. Only tests and `serve --fault-file` build one; production wiring never pays for
// it. Ownership: owns the wrapped store; shares the source with a FaultyMetadataStore.
// Thread-safety: as the wrapped store (thread-safe); its writers and readers are not.
class FaultyBlobStore final : public domain::BlobStore {
 public:
  FaultyBlobStore(std::unique_ptr<domain::BlobStore> inner, std::shared_ptr<FaultSource> faults);

  Result<std::unique_ptr<domain::BlobWriter>> NewWriter(bool compute_md5) override;
  Result<std::unique_ptr<domain::BlobReader>> Open(std::string_view id) override;
  Result<bool> Exists(std::string_view id) override;
  Result<bool> Remove(std::string_view id, int64_t older_than_millis) override;
  Result<std::vector<std::string>> List(std::string_view prefix,
                                        int64_t older_than_millis) override;
  Result<std::vector<std::string>> ListStaging(int64_t older_than_millis) override;
  Result<int> SweepStaging(int64_t older_than_millis) override;
  Result<std::vector<std::string>> ListSetAside(std::string_view prefix,
                                                int64_t older_than_millis) override;
  Result<bool> RestoreSetAside(std::string_view id) override;
  Result<bool> PurgeSetAside(std::string_view id, int64_t older_than_millis) override;

 private:
  std::unique_ptr<domain::BlobStore> inner_;
  std::shared_ptr<FaultSource> faults_;
};

}  // namespace spacestore::storage
