// S3BlobStore: the BlobStore port over an S3 bucket.
//
// Writing: the SHA-256 (the key) is known only after the last byte, and S3 objects cannot be
// renamed. A blob of at most one part is therefore buffered and PUT under its final key at
// Commit (one request, the common case); a larger one streams into a multipart upload on a
// staging key as it arrives (memory stays at one part) and Commit completes it and copies it
// server-side to blobs/<aa>/<sha256>, then deletes the staging object. Above S3's 5 GiB
// CopyObject limit it is read back and uploaded again in parts (UploadPartCopy would avoid
// the transfer, but the emulator the tests run does not implement it; docs/s3.md).
//
// Deduplication: Commit always writes the final key, even if it exists. Identical bytes make
// the overwrite invisible to readers, and the write refreshes LastModified, the "committed
// at" time the collector's age check reads. A HEAD-then-skip would save the write but leave
// the old LastModified, letting the collector delete content a new upload has just counted
// on. (A self-copy with REPLACE metadata refreshes it on S3 but not on the emulator.)
//
// Removing: HEAD for the age, CopyObject to trash/<aa>/<sha256>, then DELETE. S3 has no delete
// conditioned on age, so a duplicate commit can land between the HEAD and the DELETE; its bytes
// (the same bytes) are then in trash/, where Open and Exists still find them, until the
// collector restores the blob (something references it) or purges it, once the copy is older
// than the grace period (docs/s3.md). A HEAD again before the DELETE would only narrow the
// window; a lock in the metadata store around dedup commits and removals would close it at the
// cost of a transaction on every commit.
#include "storage/blob/s3/s3_blob_store.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "base/crypto.h"

namespace spacestore::storage {

namespace {

constexpr std::string_view kBlobsPrefix = "blobs/";
constexpr std::string_view kStagingPrefix = "staging/";
constexpr std::string_view kTrashPrefix = "trash/";

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsBlobId(std::string_view id) { return id.size() == 64 && IsLowerHex(id); }

Error NotFound(std::string_view id) {
  return MakeError(Errc::kNotFound, "blob", "blob " + std::string(id) + " not found");
}

// `root` + "<aa>/<id>": the key of blob `id` under blobs/ or trash/.
std::string KeyUnder(std::string_view root, std::string_view id) {
  return std::string(root) + std::string(id.substr(0, 2)) + "/" + std::string(id);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Writer

class S3BlobStore::Writer final : public domain::BlobWriter {
 public:
  Writer(S3BlobStore& store, bool compute_md5) : store_(store) {
    if (compute_md5) md5_.emplace(Digest::Kind::kMd5);
  }
  ~Writer() override { Abort(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Result<void> Append(std::string_view data) override {
    if (done_) return MakeError(Errc::kInternal, "blob", "append after commit or abort");
    sha_.Update(data);
    if (md5_) md5_->Update(data);
    size_ += static_cast<int64_t>(data.size());
    const size_t part = store_.options_.part_size;
    while (!data.empty()) {
      const size_t n = std::min(part - buffer_.size(), data.size());
      buffer_.append(data.data(), n);
      data.remove_prefix(n);
      if (buffer_.size() == part && !data.empty()) {
        // Send a full part only once more bytes follow: a blob of exactly one part stays a
        // single PUT.
        if (auto r = SendPart(); !r) {
          Abort();  // The upload is in an unknown state: the writer is spent.
          return r;
        }
      }
    }
    return {};
  }

  int64_t size() const override { return size_; }

  Result<domain::BlobInfo> Commit() override {
    if (done_) return MakeError(Errc::kInternal, "blob", "commit after commit or abort");
    domain::BlobInfo info{sha_.FinishHex(), size_, md5_ ? md5_->FinishHex() : std::string()};
    const std::string key = KeyOf(info.id);
    auto& client = store_.client_;
    if (upload_id_.empty()) {
      auto put = client.PutObject(key, buffer_);
      Abort();
      if (!put) return put.error();
      return info;
    }
    auto r = FinishStaging();
    if (r) r = MoveStaging(key);
    Abort();  // Drops the staging object in every case (an abandoned one is swept later).
    if (!r) return r.error();
    return info;
  }

  void Abort() override {
    done_ = true;
    std::string().swap(buffer_);
    if (staging_key_.empty()) return;
    // Best effort: whatever is left is found by ListStaging and swept.
    if (!upload_id_.empty() && !completed_) {
      (void)store_.client_.AbortMultipartUpload(staging_key_, upload_id_);
    } else if (completed_) {
      (void)store_.client_.DeleteObject(staging_key_);
    }
    staging_key_.clear();
  }

 private:
  Result<void> SendPart() {
    auto& client = store_.client_;
    if (upload_id_.empty()) {
      staging_key_ = std::string(kStagingPrefix) + HexEncode(RandomBytes(16));
      auto id = client.CreateMultipartUpload(staging_key_);
      if (!id) return id.error();
      upload_id_ = std::move(*id);
    }
    auto etag =
        client.UploadPart(staging_key_, upload_id_, static_cast<int>(etags_.size()) + 1, buffer_);
    if (!etag) return etag.error();
    etags_.push_back(std::move(*etag));
    buffer_.clear();
    return {};
  }

  Result<void> FinishStaging() {
    if (!buffer_.empty()) {
      if (auto r = SendPart(); !r) return r;
    }
    auto r = store_.client_.CompleteMultipartUpload(staging_key_, upload_id_, etags_);
    if (r) completed_ = true;
    return r;
  }

  // Staging object -> final key.
  Result<void> MoveStaging(const std::string& key) {
    return store_.CopyKey(staging_key_, key, size_);
  }

  S3BlobStore& store_;
  Digest sha_{Digest::Kind::kSha256};
  std::optional<Digest> md5_;
  int64_t size_ = 0;
  std::string buffer_;  // At most one part; grows with the blob, so small blobs stay small.
  std::string staging_key_;
  std::string upload_id_;
  std::vector<std::string> etags_;
  bool completed_ = false;  // The staging upload became an object.
  bool done_ = false;
};

// ---------------------------------------------------------------------------------------------
// Reader

class S3BlobStore::Reader final : public domain::BlobReader {
 public:
  // Reads `key`; `other_key` is the blob's other place (trash/ for blobs/ and back).
  Reader(s3::S3Client& client, std::string key, std::string other_key, int64_t size,
         size_t read_ahead)
      : client_(client),
        key_(std::move(key)),
        other_key_(std::move(other_key)),
        size_(size),
        read_ahead_(read_ahead) {}

  int64_t size() const override { return size_; }

  Result<size_t> ReadAt(int64_t offset, char* out, size_t n) override {
    if (offset < 0 || offset >= size_ || n == 0) return size_t{0};
    n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n), size_ - offset));
    const int64_t cache_end = cache_offset_ + static_cast<int64_t>(cache_.size());
    if (offset >= cache_offset_ && offset + static_cast<int64_t>(n) <= cache_end) {
      cache_.copy(out, n, static_cast<size_t>(offset - cache_offset_));
      return n;
    }
    // Large reads go straight through; small ones fetch a read-ahead window (a download is a
    // sequence of small reads).
    const int64_t want =
        std::max<int64_t>(static_cast<int64_t>(n), static_cast<int64_t>(read_ahead_));
    const int64_t length = std::min(want, size_ - offset);
    auto bytes = client_.GetRange(key_, offset, length);
    if (!bytes && bytes.error().code == Errc::kNotFound) {
      // The collector moved the blob while it was open (set aside, or restored): the same
      // bytes are at its other place.
      std::swap(key_, other_key_);
      bytes = client_.GetRange(key_, offset, length);
    }
    if (!bytes) {
      if (bytes.error().code == Errc::kNotFound) return NotFound(key_);
      return bytes.error();
    }
    const size_t got = std::min(n, bytes->size());
    bytes->copy(out, got);
    if (bytes->size() > n) {
      cache_ = std::move(*bytes);
      cache_offset_ = offset;
    }
    return got;
  }

 private:
  s3::S3Client& client_;
  std::string key_;
  std::string other_key_;
  const int64_t size_;
  const size_t read_ahead_;
  std::string cache_;
  int64_t cache_offset_ = 0;
};

// ---------------------------------------------------------------------------------------------
// S3BlobStore

S3BlobStore::S3BlobStore(s3::S3Location location, s3::S3Credentials credentials, const Clock& clock,
                         S3BlobStoreOptions options)
    : options_(std::move(options)),
      client_(std::move(location), std::move(credentials), clock, options_.http) {}

Result<std::unique_ptr<S3BlobStore>> S3BlobStore::Open(s3::S3Location location,
                                                       s3::S3Credentials credentials,
                                                       const Clock& clock,
                                                       S3BlobStoreOptions options) {
  const std::string where = "bucket " + location.bucket + " at " +
                            (location.tls ? "https://" : "http://") + location.host + ":" +
                            location.port;
  std::unique_ptr<S3BlobStore> store(
      new S3BlobStore(std::move(location), std::move(credentials), clock, std::move(options)));
  // Fail at start, not at the first upload, when the endpoint, bucket or keys are wrong.
  if (auto probe = store->client_.ListObjectsV2(std::string(kBlobsPrefix) + "00/", ""); !probe) {
    return MakeError(Errc::kUnavailable, "s3",
                     "cannot use S3 " + where + ": " + probe.error().message);
  }
  return store;
}

Result<void> S3BlobStore::CopyKey(const std::string& from, const std::string& to, int64_t size) {
  if (size <= options_.max_copy_bytes) return client_.CopyObject(from, to);
  auto id = client_.CreateMultipartUpload(to);
  if (!id) return id.error();
  std::vector<std::string> etags;
  const auto part = static_cast<int64_t>(options_.part_size);
  for (int64_t at = 0; at < size; at += part) {
    auto bytes = client_.GetRange(from, at, std::min(part, size - at));
    Result<std::string> etag =
        bytes ? client_.UploadPart(to, *id, static_cast<int>(etags.size()) + 1, *bytes)
              : Result<std::string>(bytes.error());
    if (!etag) {
      (void)client_.AbortMultipartUpload(to, *id);
      return etag.error();
    }
    etags.push_back(std::move(*etag));
  }
  return client_.CompleteMultipartUpload(to, *id, etags);
}

std::string S3BlobStore::KeyOf(std::string_view id) { return KeyUnder(kBlobsPrefix, id); }

std::string S3BlobStore::SetAsideKeyOf(std::string_view id) { return KeyUnder(kTrashPrefix, id); }

void S3BlobStore::SetBeforeRemoveDeleteForTest(std::function<void(std::string_view id)> hook) {
  before_remove_delete_for_test_ = std::move(hook);
}

Result<std::unique_ptr<domain::BlobWriter>> S3BlobStore::NewWriter(bool compute_md5) {
  return std::unique_ptr<domain::BlobWriter>(std::make_unique<Writer>(*this, compute_md5));
}

Result<S3BlobStore::Found> S3BlobStore::Find(std::string_view id) {
  std::string key = KeyOf(id);
  auto head = client_.HeadObject(key);
  if (!head && head.error().code == Errc::kNotFound) {
    // Not committed; perhaps set aside by a removal that a commit raced.
    key = SetAsideKeyOf(id);
    head = client_.HeadObject(key);
    if (!head && head.error().code == Errc::kNotFound) {
      // Perhaps restored between the two looks (copied back, then dropped from trash/).
      key = KeyOf(id);
      head = client_.HeadObject(key);
    }
  }
  if (!head) {
    if (head.error().code == Errc::kNotFound) return NotFound(id);
    return head.error();
  }
  return Found{std::move(key), head->size};
}

Result<std::unique_ptr<domain::BlobReader>> S3BlobStore::Open(std::string_view id) {
  if (!IsBlobId(id)) return NotFound(id);
  auto found = Find(id);
  if (!found) return found.error();
  std::string other = found->key == KeyOf(id) ? SetAsideKeyOf(id) : KeyOf(id);
  return std::unique_ptr<domain::BlobReader>(std::make_unique<Reader>(
      client_, std::move(found->key), std::move(other), found->size, options_.read_ahead));
}

Result<bool> S3BlobStore::Exists(std::string_view id) {
  if (!IsBlobId(id)) return false;
  auto found = Find(id);
  if (found) return true;
  if (found.error().code == Errc::kNotFound) return false;
  return found.error();
}

Result<bool> S3BlobStore::Remove(std::string_view id, int64_t older_than_millis) {
  if (!IsBlobId(id)) return false;
  const std::string key = KeyOf(id);
  auto head = client_.HeadObject(key);
  if (!head) {
    if (head.error().code == Errc::kNotFound) return false;
    return head.error();
  }
  if (head->last_modified_millis >= older_than_millis) return false;
  // Set aside first: a duplicate commit landing from here to the DELETE leaves its bytes (the
  // same bytes) in trash/, which gets a fresh LastModified, the time the collector ages it by.
  if (auto copied = CopyKey(key, SetAsideKeyOf(id), head->size); !copied) {
    if (copied.error().code == Errc::kNotFound) return false;  // Removed meanwhile.
    return copied.error();
  }
  if (before_remove_delete_for_test_) before_remove_delete_for_test_(id);
  if (auto r = client_.DeleteObject(key); !r) return r.error();
  return true;
}

Result<std::vector<std::string>> S3BlobStore::List(std::string_view prefix,
                                                   int64_t older_than_millis) {
  return ListUnder(kBlobsPrefix, prefix, older_than_millis);
}

Result<std::vector<std::string>> S3BlobStore::ListSetAside(std::string_view prefix,
                                                           int64_t older_than_millis) {
  return ListUnder(kTrashPrefix, prefix, older_than_millis);
}

Result<bool> S3BlobStore::RestoreSetAside(std::string_view id) {
  if (!IsBlobId(id)) return false;
  const std::string set_aside = SetAsideKeyOf(id);
  auto head = client_.HeadObject(set_aside);  // For the size: past 5 GiB a copy goes by parts.
  if (!head) {
    if (head.error().code == Errc::kNotFound) return false;
    return head.error();
  }
  // Copied, not renamed (S3 cannot): the copy under blobs/ is committed now, and a reader
  // open on the set-aside copy finds the same bytes there once it is deleted.
  if (auto copied = CopyKey(set_aside, KeyOf(id), head->size); !copied) {
    if (copied.error().code == Errc::kNotFound) return false;
    return copied.error();
  }
  if (auto r = client_.DeleteObject(set_aside); !r) return r.error();
  return true;
}

Result<bool> S3BlobStore::PurgeSetAside(std::string_view id, int64_t older_than_millis) {
  if (!IsBlobId(id)) return false;
  const std::string set_aside = SetAsideKeyOf(id);
  auto head = client_.HeadObject(set_aside);  // DELETE answers alike whether it existed or not.
  if (!head) {
    if (head.error().code == Errc::kNotFound) return false;
    return head.error();
  }
  // Set aside again since the caller's listing (a removal that a commit raced, on a node that
  // took the collector's lease meanwhile): that copy may hold content a commit counts on.
  if (head->last_modified_millis >= older_than_millis) return false;
  if (auto r = client_.DeleteObject(set_aside); !r) return r.error();
  return true;
}

Result<std::vector<std::string>> S3BlobStore::ListUnder(std::string_view root,
                                                        std::string_view prefix,
                                                        int64_t older_than_millis) {
  std::vector<std::string> out;
  if (prefix.size() > 64 || !IsLowerHex(prefix)) return out;
  // Keys fan out by the first two digits, so any prefix maps to one key prefix.
  std::string key_prefix(root);
  if (prefix.size() >= 2) {
    key_prefix += std::string(prefix.substr(0, 2)) + "/" + std::string(prefix);
  } else {
    key_prefix += prefix;
  }
  std::string token;
  do {
    auto page = client_.ListObjectsV2(key_prefix, token);
    if (!page) return page.error();
    for (const auto& object : page->objects) {
      const std::string_view name = std::string_view(object.key).substr(object.key.rfind('/') + 1);
      if (IsBlobId(name) && name.starts_with(prefix) &&
          object.last_modified_millis < older_than_millis && object.key == KeyUnder(root, name)) {
        out.emplace_back(name);
      }
    }
    token = std::move(page->next_continuation_token);
  } while (!token.empty());
  return out;
}

Result<std::vector<S3BlobStore::StagingEntry>> S3BlobStore::Staging(int64_t older_than_millis) {
  std::vector<StagingEntry> out;
  const std::string prefix(kStagingPrefix);
  std::string token;
  do {
    auto page = client_.ListObjectsV2(prefix, token);
    if (!page) return page.error();
    for (const auto& object : page->objects) {
      if (object.last_modified_millis < older_than_millis) out.push_back({object.key, ""});
    }
    token = std::move(page->next_continuation_token);
  } while (!token.empty());
  std::string key_marker;
  std::string upload_marker;
  do {
    auto page = client_.ListMultipartUploads(prefix, key_marker, upload_marker);
    if (!page) {
      // A server without ListMultipartUploads (the emulator): only staging objects are found;
      // on S3 a lifecycle rule aborting incomplete uploads covers the rest (docs/s3.md).
      if (page.error().subject == "s3_not_implemented") break;
      return page.error();
    }
    for (const auto& upload : page->uploads) {
      if (upload.initiated_millis < older_than_millis) {
        out.push_back({upload.key, upload.upload_id});
      }
    }
    key_marker = std::move(page->next_key_marker);
    upload_marker = std::move(page->next_upload_id_marker);
  } while (!key_marker.empty());
  return out;
}

Result<std::vector<std::string>> S3BlobStore::ListStaging(int64_t older_than_millis) {
  auto entries = Staging(older_than_millis);
  if (!entries) return entries.error();
  std::set<std::string> names;  // A key may be both an object and an upload's target.
  for (const auto& e : *entries) names.insert(e.key.substr(kStagingPrefix.size()));
  return std::vector<std::string>(names.begin(), names.end());
}

Result<int> S3BlobStore::SweepStaging(int64_t older_than_millis) {
  auto entries = Staging(older_than_millis);
  if (!entries) return entries.error();
  int removed = 0;
  for (const auto& e : *entries) {
    auto r = e.upload_id.empty() ? client_.DeleteObject(e.key)
                                 : client_.AbortMultipartUpload(e.key, e.upload_id);
    if (!r) return r.error();
    ++removed;
  }
  return removed;
}

}  // namespace spacestore::storage
