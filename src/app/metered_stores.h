#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/service_metrics.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"

namespace spacestore::app {

// MeteredMetadataStore forwards every call to the store it wraps and counts the calls that
// fail in the backend (kUnavailable, kInternal) in ServiceMetrics, by operation. Answers such
// as kNotFound or kQuotaExceeded pass through uncounted: they are the domain's, not failures.
//
// Ownership: borrows the store and the metrics, which must outlive it.
// Thread-safety: as thread-safe as the wrapped store (counting is atomic).
class MeteredMetadataStore final : public domain::MetadataStore {
 public:
  MeteredMetadataStore(domain::MetadataStore& store, ServiceMetrics& metrics)
      : store_(store), metrics_(metrics) {}

  // MetadataStore
  Result<void> Transact(const TransactionFn& fn) override;
  Result<void> View(const TransactionFn& fn) override;
  Result<void> ReadOne(const TransactionFn& fn) override;
  // Forwarded so that the backend's fast paths stay fast.
  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override;
  Result<std::vector<domain::Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids) override;

 private:
  domain::MetadataStore& store_;
  ServiceMetrics& metrics_;
};

// MeteredBlobStore does the same for a BlobStore, including the writers and readers it hands
// out (an append that finds the disk full counts as a "write" failure).
//
// Ownership: borrows the store and the metrics, which must outlive it and every writer and
// reader it returns.
// Thread-safety: as thread-safe as the wrapped store; writers and readers are not.
class MeteredBlobStore final : public domain::BlobStore {
 public:
  MeteredBlobStore(domain::BlobStore& store, ServiceMetrics& metrics)
      : store_(store), metrics_(metrics) {}

  // BlobStore
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
  domain::BlobStore& store_;
  ServiceMetrics& metrics_;
};

}  // namespace spacestore::app
