// The metering decorators: each call is forwarded, and a failed Result is inspected on its way
// back. Only backend failures count; the check is a comparison on the error path, so a
// successful call costs one extra virtual call.
#include "app/metered_stores.h"

#include <utility>

#include "domain/memory_only.h"

namespace spacestore::app {
namespace {

bool IsBackendFailure(const Error& error) {
  return error.code == Errc::kUnavailable || error.code == Errc::kInternal;
}

// Inspects a result in place: each caller returns its own local, so the value (a Space with its
// strings, on every GetSpace) is never moved again; moving it cost 2% of GetSpace (callgrind).
template <class T>
void Count(const Result<T>& result, ServiceMetrics& metrics, StoreOp op) {
  // A refusal to read under MemoryOnly is no failure: the request is redone on a worker.
  if (!result && IsBackendFailure(result.error()) && !domain::MemoryOnly::InScope()) {
    metrics.CountStoreError(op);
  }
}

class MeteredBlobWriter final : public domain::BlobWriter {
 public:
  MeteredBlobWriter(std::unique_ptr<domain::BlobWriter> writer, ServiceMetrics& metrics)
      : writer_(std::move(writer)), metrics_(metrics) {}

  // BlobWriter
  Result<void> Append(std::string_view data) override {
    auto result = writer_->Append(data);
    Count(result, metrics_, StoreOp::kBlobWrite);
    return result;
  }
  int64_t size() const override { return writer_->size(); }
  Result<domain::BlobInfo> Commit() override {
    auto result = writer_->Commit();
    Count(result, metrics_, StoreOp::kBlobCommit);
    return result;
  }
  void Abort() override { writer_->Abort(); }

 private:
  std::unique_ptr<domain::BlobWriter> writer_;
  ServiceMetrics& metrics_;
};

class MeteredBlobReader final : public domain::BlobReader {
 public:
  MeteredBlobReader(std::unique_ptr<domain::BlobReader> reader, ServiceMetrics& metrics)
      : reader_(std::move(reader)), metrics_(metrics) {}

  // BlobReader
  int64_t size() const override { return reader_->size(); }
  Result<size_t> ReadAt(int64_t offset, char* out, size_t n) override {
    auto result = reader_->ReadAt(offset, out, n);
    Count(result, metrics_, StoreOp::kBlobRead);
    return result;
  }

 private:
  std::unique_ptr<domain::BlobReader> reader_;
  ServiceMetrics& metrics_;
};

}  // namespace

// MetadataStore

Result<void> MeteredMetadataStore::Transact(const TransactionFn& fn) {
  auto result = store_.Transact(fn);
  Count(result, metrics_, StoreOp::kMetadataTransact);
  return result;
}

Result<void> MeteredMetadataStore::View(const TransactionFn& fn) {
  auto result = store_.View(fn);
  Count(result, metrics_, StoreOp::kMetadataView);
  return result;
}

Result<void> MeteredMetadataStore::ReadOne(const TransactionFn& fn) {
  auto result = store_.ReadOne(fn);
  Count(result, metrics_, StoreOp::kMetadataRead);
  return result;
}

Result<domain::Space> MeteredMetadataStore::GetSpace(std::string_view corp_id,
                                                     std::string_view space_id) {
  auto result = store_.GetSpace(corp_id, space_id);
  Count(result, metrics_, StoreOp::kMetadataRead);
  return result;
}

Result<std::vector<domain::Dentry>> MeteredMetadataStore::GetDentries(
    std::string_view space_id, const std::vector<std::string>& ids) {
  auto result = store_.GetDentries(space_id, ids);
  Count(result, metrics_, StoreOp::kMetadataRead);
  return result;
}

// BlobStore

Result<std::unique_ptr<domain::BlobWriter>> MeteredBlobStore::NewWriter(bool compute_md5) {
  auto writer = store_.NewWriter(compute_md5);
  Count(writer, metrics_, StoreOp::kBlobWrite);
  if (!writer) return writer.error();
  return std::unique_ptr<domain::BlobWriter>(
      std::make_unique<MeteredBlobWriter>(std::move(*writer), metrics_));
}

Result<std::unique_ptr<domain::BlobReader>> MeteredBlobStore::Open(std::string_view id) {
  auto reader = store_.Open(id);
  Count(reader, metrics_, StoreOp::kBlobRead);
  if (!reader) return reader.error();
  return std::unique_ptr<domain::BlobReader>(
      std::make_unique<MeteredBlobReader>(std::move(*reader), metrics_));
}

Result<bool> MeteredBlobStore::Exists(std::string_view id) {
  auto result = store_.Exists(id);
  Count(result, metrics_, StoreOp::kBlobExists);
  return result;
}

Result<bool> MeteredBlobStore::Remove(std::string_view id, int64_t older_than_millis) {
  auto result = store_.Remove(id, older_than_millis);
  Count(result, metrics_, StoreOp::kBlobRemove);
  return result;
}

Result<std::vector<std::string>> MeteredBlobStore::List(std::string_view prefix,
                                                        int64_t older_than_millis) {
  auto result = store_.List(prefix, older_than_millis);
  Count(result, metrics_, StoreOp::kBlobList);
  return result;
}

Result<std::vector<std::string>> MeteredBlobStore::ListStaging(int64_t older_than_millis) {
  auto result = store_.ListStaging(older_than_millis);
  Count(result, metrics_, StoreOp::kBlobList);
  return result;
}

Result<int> MeteredBlobStore::SweepStaging(int64_t older_than_millis) {
  auto result = store_.SweepStaging(older_than_millis);
  Count(result, metrics_, StoreOp::kBlobList);
  return result;
}

Result<std::vector<std::string>> MeteredBlobStore::ListSetAside(std::string_view prefix,
                                                                int64_t older_than_millis) {
  auto result = store_.ListSetAside(prefix, older_than_millis);
  Count(result, metrics_, StoreOp::kBlobList);
  return result;
}

Result<bool> MeteredBlobStore::RestoreSetAside(std::string_view id) {
  auto result = store_.RestoreSetAside(id);
  Count(result, metrics_, StoreOp::kBlobRemove);  // The collector's removal, undone.
  return result;
}

Result<bool> MeteredBlobStore::PurgeSetAside(std::string_view id, int64_t older_than_millis) {
  auto result = store_.PurgeSetAside(id, older_than_millis);
  Count(result, metrics_, StoreOp::kBlobRemove);
  return result;
}

}  // namespace spacestore::app
