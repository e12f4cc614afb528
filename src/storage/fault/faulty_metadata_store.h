#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/metadata_store.h"
#include "storage/fault/fault_plan.h"

namespace spacestore::storage {

// FaultyMetadataStore is a MetadataStore decorator for tests: each write transaction, snapshot
// or single read is forwarded to the wrapped store unless the FaultSource's current plan says
// to fail it (ENOSPC as kUnavailable with subject
// "storage_full", EIO as plain kUnavailable) or to delay it. A failed write fails
// before the wrapped transaction begins, as a database that cannot extend its journal refuses
// BEGIN, so nothing of it is committed. The GetSpace and GetDentries fast paths are forwarded
// too (after the read check), so the wrapped backend's overrides still run.
// Only tests and `serve --fault-file` build one; production wiring never pays for it.
// Ownership: owns the wrapped store; shares the source with a FaultyBlobStore.
// Thread-safety: thread-safe, as the wrapped store.
class FaultyMetadataStore final : public domain::MetadataStore {
 public:
  FaultyMetadataStore(std::unique_ptr<domain::MetadataStore> inner,
                      std::shared_ptr<FaultSource> faults);

  Result<void> Transact(const TransactionFn& fn) override;
  Result<void> View(const TransactionFn& fn) override;
  Result<void> ReadOne(const TransactionFn& fn) override;
  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override;
  Result<std::vector<domain::Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids) override;

 private:
  // The injected error for a read (`write` false) or a write, if the plan has one; else void.
  Result<void> Check(bool write);

  std::unique_ptr<domain::MetadataStore> inner_;
  std::shared_ptr<FaultSource> faults_;
};

}  // namespace spacestore::storage
