// The metering decorators: each call is forwarded, and a failed Result is inspected on its way
// back. Only backend failures count; the check is a comparison on the error path, so a
// successful call costs one extra virtual call.
#include "app/metered_stores.h"

#include <utility>

namespace spacestore::app {
namespace {

bool IsBackendFailure(const Error& error) {
  return error.code == Errc::kUnavailable || error.code == Errc::kInternal;
}

template <class T>
T Counted(T result, ServiceMetrics& metrics, StoreOp op) {
  if (!result && IsBackendFailure(result.error())) metrics.CountStoreError(op);
  return result;
}

class MeteredBlobWriter final : public domain::BlobWriter {
 public:
  MeteredBlobWriter(std::unique_ptr<domain::BlobWriter> writer, ServiceMetrics& metrics)
      : writer_(std::move(writer)), metrics_(metrics) {}

  // BlobWriter
  Result<void> Append(std::string_view data) override {
    return Counted(writer_->Append(data), metrics_, StoreOp::kBlobWrite);
  }
  int64_t size() const override { return writer_->size(); }
  Result<domain::BlobInfo> Commit() override {
    return Counted(writer_->Commit(), metrics_, StoreOp::kBlobCommit);
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
    return Counted(reader_->ReadAt(offset, out, n), metrics_, StoreOp::kBlobRead);
  }

 private:
  std::unique_ptr<domain::BlobReader> reader_;
  ServiceMetrics& metrics_;
};

}  // namespace

// MetadataStore

Result<void> MeteredMetadataStore::Transact(const TransactionFn& fn) {
  return Counted(store_.Transact(fn), metrics_, StoreOp::kMetadataTransact);
}

Result<void> MeteredMetadataStore::View(const TransactionFn& fn) {
  return Counted(store_.View(fn), metrics_, StoreOp::kMetadataView);
}

Result<void> MeteredMetadataStore::ReadOne(const TransactionFn& fn) {
  return Counted(store_.ReadOne(fn), metrics_, StoreOp::kMetadataRead);
}

Result<domain::Space> MeteredMetadataStore::GetSpace(std::string_view corp_id,
                                                     std::string_view space_id) {
  return Counted(store_.GetSpace(corp_id, space_id), metrics_, StoreOp::kMetadataRead);
}

Result<std::vector<domain::Dentry>> MeteredMetadataStore::GetDentries(
    std::string_view space_id, const std::vector<std::string>& ids) {
  return Counted(store_.GetDentries(space_id, ids), metrics_, StoreOp::kMetadataRead);
}

// BlobStore

Result<std::unique_ptr<domain::BlobWriter>> MeteredBlobStore::NewWriter(bool compute_md5) {
  auto writer = Counted(store_.NewWriter(compute_md5), metrics_, StoreOp::kBlobWrite);
  if (!writer) return writer.error();
  return std::unique_ptr<domain::BlobWriter>(
      std::make_unique<MeteredBlobWriter>(std::move(*writer), metrics_));
}

Result<std::unique_ptr<domain::BlobReader>> MeteredBlobStore::Open(std::string_view id) {
  auto reader = Counted(store_.Open(id), metrics_, StoreOp::kBlobRead);
  if (!reader) return reader.error();
  return std::unique_ptr<domain::BlobReader>(
      std::make_unique<MeteredBlobReader>(std::move(*reader), metrics_));
}

Result<bool> MeteredBlobStore::Exists(std::string_view id) {
  return Counted(store_.Exists(id), metrics_, StoreOp::kBlobExists);
}

Result<bool> MeteredBlobStore::Remove(std::string_view id, int64_t older_than_millis) {
  return Counted(store_.Remove(id, older_than_millis), metrics_, StoreOp::kBlobRemove);
}

Result<std::vector<std::string>> MeteredBlobStore::List(std::string_view prefix,
                                                        int64_t older_than_millis) {
  return Counted(store_.List(prefix, older_than_millis), metrics_, StoreOp::kBlobList);
}

Result<int> MeteredBlobStore::SweepStaging(int64_t older_than_millis) {
  return Counted(store_.SweepStaging(older_than_millis), metrics_, StoreOp::kBlobList);
}

}  // namespace spacestore::app
