#include "storage/fault/faulty_blob_store.h"

#include <chrono>
#include <thread>

namespace spacestore::storage {
namespace {

using Fault = FaultPlan::Fault;

// Reads the plan in force and sleeps its delay: the part every call shares.
FaultPlan Enter(FaultSource& faults) {
  FaultPlan plan = faults.Current();
  if (plan.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(plan.delay_ms));
  return plan;
}

class FaultyWriter final : public domain::BlobWriter {
 public:
  FaultyWriter(std::unique_ptr<domain::BlobWriter> inner, std::shared_ptr<FaultSource> faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}

  Result<void> Append(std::string_view data) override {
    const FaultPlan plan = Enter(*faults_);
    const auto held = static_cast<size_t>(inner_->size());
    const auto after = static_cast<size_t>(plan.blob_write_after_bytes);
    if (plan.blob_write == Fault::kNone || held + data.size() <= after) return inner_->Append(data);
    // A real disk takes what fits before ENOSPC; the caller sees the error either way.
    if (after > held) {
      if (auto ok = inner_->Append(data.substr(0, after - held)); !ok) return ok;
    }
    return FaultError(plan.blob_write, "blob", "write");
  }
  int64_t size() const override { return inner_->size(); }
  Result<domain::BlobInfo> Commit() override {
    const FaultPlan plan = Enter(*faults_);
    if (plan.blob_sync != Fault::kNone) {
      inner_->Abort();  // The bytes never became durable: drop them, as the local store does.
      return FaultError(plan.blob_sync, "blob", "fsync");
    }
    return inner_->Commit();
  }
  void Abort() override { inner_->Abort(); }

 private:
  std::unique_ptr<domain::BlobWriter> inner_;
  std::shared_ptr<FaultSource> faults_;
};

class FaultyReader final : public domain::BlobReader {
 public:
  FaultyReader(std::unique_ptr<domain::BlobReader> inner, std::shared_ptr<FaultSource> faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}

  int64_t size() const override { return inner_->size(); }
  Result<size_t> ReadAt(int64_t offset, char* out, size_t n) override {
    const FaultPlan plan = Enter(*faults_);
    if (plan.blob_read != Fault::kNone) return FaultError(plan.blob_read, "blob", "read");
    return inner_->ReadAt(offset, out, n);
  }

 private:
  std::unique_ptr<domain::BlobReader> inner_;
  std::shared_ptr<FaultSource> faults_;
};

}  // namespace

FaultyBlobStore::FaultyBlobStore(std::unique_ptr<domain::BlobStore> inner,
                                 std::shared_ptr<FaultSource> faults)
    : inner_(std::move(inner)), faults_(std::move(faults)) {}

Result<std::unique_ptr<domain::BlobWriter>> FaultyBlobStore::NewWriter(bool compute_md5) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_write != Fault::kNone && plan.blob_write_after_bytes == 0) {
    return FaultError(plan.blob_write, "blob", "create staging file");
  }
  auto writer = inner_->NewWriter(compute_md5);
  if (!writer) return writer.error();
  return std::unique_ptr<domain::BlobWriter>(
      std::make_unique<FaultyWriter>(std::move(*writer), faults_));
}

Result<std::unique_ptr<domain::BlobReader>> FaultyBlobStore::Open(std::string_view id) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_read != Fault::kNone) return FaultError(plan.blob_read, "blob", "open");
  auto reader = inner_->Open(id);
  if (!reader) return reader.error();
  return std::unique_ptr<domain::BlobReader>(
      std::make_unique<FaultyReader>(std::move(*reader), faults_));
}

Result<bool> FaultyBlobStore::Exists(std::string_view id) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_read != Fault::kNone) return FaultError(plan.blob_read, "blob", "stat");
  return inner_->Exists(id);
}

Result<bool> FaultyBlobStore::Remove(std::string_view id, int64_t older_than_millis) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_write != Fault::kNone) return FaultError(plan.blob_write, "blob", "unlink");
  return inner_->Remove(id, older_than_millis);
}

Result<std::vector<std::string>> FaultyBlobStore::List(std::string_view prefix,
                                                       int64_t older_than_millis) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_read != Fault::kNone) return FaultError(plan.blob_read, "blob", "list");
  return inner_->List(prefix, older_than_millis);
}

Result<std::vector<std::string>> FaultyBlobStore::ListStaging(int64_t older_than_millis) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_read != Fault::kNone) return FaultError(plan.blob_read, "blob", "list");
  return inner_->ListStaging(older_than_millis);
}

Result<int> FaultyBlobStore::SweepStaging(int64_t older_than_millis) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_write != Fault::kNone) return FaultError(plan.blob_write, "blob", "sweep");
  return inner_->SweepStaging(older_than_millis);
}

Result<std::vector<std::string>> FaultyBlobStore::ListSetAside(std::string_view prefix,
                                                               int64_t older_than_millis) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_read != Fault::kNone) return FaultError(plan.blob_read, "blob", "list");
  return inner_->ListSetAside(prefix, older_than_millis);
}

Result<bool> FaultyBlobStore::RestoreSetAside(std::string_view id) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_write != Fault::kNone) return FaultError(plan.blob_write, "blob", "restore");
  return inner_->RestoreSetAside(id);
}

Result<bool> FaultyBlobStore::PurgeSetAside(std::string_view id, int64_t older_than_millis) {
  const FaultPlan plan = Enter(*faults_);
  if (plan.blob_write != Fault::kNone) return FaultError(plan.blob_write, "blob", "unlink");
  return inner_->PurgeSetAside(id, older_than_millis);
}

}  // namespace spacestore::storage
