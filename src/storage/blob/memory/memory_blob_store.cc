#include "storage/blob/memory/memory_blob_store.h"

#include <algorithm>
#include <cstring>

#include "base/crypto.h"

namespace spacestore::storage {
namespace {

class MemoryWriter final : public domain::BlobWriter {
 public:
  MemoryWriter(MemoryBlobStore& store, bool md5) : store_(store) {
    if (md5) md5_.emplace(Digest::Kind::kMd5);
  }
  Result<void> Append(std::string_view data) override {
    if (done_) return MakeError(Errc::kInternal, "blob", "append after commit or abort");
    sha_.Update(data);
    if (md5_) md5_->Update(data);
    data_.append(data);
    return {};
  }
  int64_t size() const override { return static_cast<int64_t>(data_.size()); }
  Result<domain::BlobInfo> Commit() override {
    if (done_) return MakeError(Errc::kInternal, "blob", "commit after commit or abort");
    done_ = true;
    domain::BlobInfo info{sha_.FinishHex(), size(), md5_ ? md5_->FinishHex() : std::string()};
    store_.Put(info.id, std::make_shared<const std::string>(std::move(data_)));
    return info;
  }
  void Abort() override {
    done_ = true;
    data_.clear();
  }

 private:
  MemoryBlobStore& store_;
  std::string data_;
  bool done_ = false;
  Digest sha_{Digest::Kind::kSha256};
  std::optional<Digest> md5_;
};

class MemoryReader final : public domain::BlobReader {
 public:
  explicit MemoryReader(std::shared_ptr<const std::string> data) : data_(std::move(data)) {}
  int64_t size() const override { return static_cast<int64_t>(data_->size()); }
  Result<size_t> ReadAt(int64_t offset, char* out, size_t n) override {
    if (offset < 0 || offset >= size()) return size_t{0};
    const size_t count = std::min(n, data_->size() - static_cast<size_t>(offset));
    std::copy_n(data_->data() + offset, count, out);
    return count;
  }

 private:
  std::shared_ptr<const std::string> data_;
};

}  // namespace

void MemoryBlobStore::Put(const std::string& id, std::shared_ptr<const std::string> data) {
  MutexLock lock(mu_);
  auto [it, inserted] = blobs_.try_emplace(id, Entry{std::move(data), clock_.NowMillis()});
  if (!inserted) it->second.time = clock_.NowMillis();
}

Result<std::unique_ptr<domain::BlobWriter>> MemoryBlobStore::NewWriter(bool compute_md5) {
  return std::unique_ptr<domain::BlobWriter>(new MemoryWriter(*this, compute_md5));
}

Result<std::unique_ptr<domain::BlobReader>> MemoryBlobStore::Open(std::string_view id) {
  MutexLock lock(mu_);
  const auto it = blobs_.find(id);
  if (it == blobs_.end()) {
    return MakeError(Errc::kNotFound, "blob", "blob " + std::string(id) + " not found");
  }
  return std::unique_ptr<domain::BlobReader>(new MemoryReader(it->second.data));
}

Result<bool> MemoryBlobStore::Exists(std::string_view id) {
  MutexLock lock(mu_);
  return blobs_.find(id) != blobs_.end();
}

Result<bool> MemoryBlobStore::Remove(std::string_view id, int64_t older_than_millis) {
  MutexLock lock(mu_);
  const auto it = blobs_.find(id);
  if (it == blobs_.end() || it->second.time >= older_than_millis) return false;
  blobs_.erase(it);
  return true;
}

Result<std::vector<std::string>> MemoryBlobStore::List(std::string_view prefix,
                                                       int64_t older_than_millis) {
  MutexLock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [id, entry] : blobs_) {
    if (id.starts_with(prefix) && entry.time < older_than_millis) out.push_back(id);
  }
  return out;
}

Result<std::vector<std::string>> MemoryBlobStore::ListStaging(int64_t) {
  return std::vector<std::string>();  // Writers hold their own bytes.
}

Result<int> MemoryBlobStore::SweepStaging(int64_t) { return 0; }  // Writers hold their own bytes.

// Remove erases under mu_, which a duplicate commit's refresh takes too: nothing is set aside.
Result<std::vector<std::string>> MemoryBlobStore::ListSetAside(std::string_view, int64_t) {
  return std::vector<std::string>();
}

Result<bool> MemoryBlobStore::RestoreSetAside(std::string_view) { return false; }

Result<bool> MemoryBlobStore::PurgeSetAside(std::string_view, int64_t) { return false; }

}  // namespace spacestore::storage
