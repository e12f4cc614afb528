#include "storage/fault/faulty_metadata_store.h"

#include <chrono>
#include <thread>

namespace spacestore::storage {

FaultyMetadataStore::FaultyMetadataStore(std::unique_ptr<domain::MetadataStore> inner,
                                         std::shared_ptr<FaultSource> faults)
    : inner_(std::move(inner)), faults_(std::move(faults)) {}

Result<void> FaultyMetadataStore::Check(bool write) {
  const FaultPlan plan = faults_->Current();
  if (plan.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(plan.delay_ms));
  const FaultPlan::Fault fault = write ? plan.metadata_write : plan.metadata_read;
  if (fault == FaultPlan::Fault::kNone) return {};
  return FaultError(fault, "metadata", write ? "write transaction" : "read");
}

Result<void> FaultyMetadataStore::Transact(const TransactionFn& fn) {
  if (auto ok = Check(true); !ok) return ok;
  return inner_->Transact(fn);
}

Result<void> FaultyMetadataStore::View(const TransactionFn& fn) {
  if (auto ok = Check(false); !ok) return ok;
  return inner_->View(fn);
}

Result<void> FaultyMetadataStore::ReadOne(const TransactionFn& fn) {
  if (auto ok = Check(false); !ok) return ok;
  return inner_->ReadOne(fn);
}

Result<domain::Space> FaultyMetadataStore::GetSpace(std::string_view corp_id,
                                                    std::string_view space_id) {
  if (auto ok = Check(false); !ok) return ok.error();
  return inner_->GetSpace(corp_id, space_id);
}

Result<std::vector<domain::Dentry>> FaultyMetadataStore::GetDentries(
    std::string_view space_id, const std::vector<std::string>& ids) {
  if (auto ok = Check(false); !ok) return ok.error();
  return inner_->GetDentries(space_id, ids);
}

}  // namespace spacestore::storage
