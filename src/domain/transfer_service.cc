// TransferService: upload bodies go to a BlobWriter chunk by chunk (constant memory whatever
// the size) and are recorded on the session in one transaction after the blob is durable, so a
// crash in between leaves only an unreferenced blob for the collector.
#include "domain/transfer_service.h"

#include "domain/placement.h"

namespace spacestore::domain {
namespace {

// The refusal of a body longer than `limit`: the announced size, or a part's maximum.
Error TooLarge(int32_t part, int64_t limit) {
  return MakeError(Errc::kInvalidArgument, "size",
                   part > 0 ? "a part holds at most " + std::to_string(limit) + " bytes (5 GB)"
                            : "the body is larger than the announced size of " +
                                  std::to_string(limit) + " bytes");
}

// Sink for one PUT: appends to a blob writer, then records the blob on the upload.
class SessionSink final : public UploadSink {
 public:
  SessionSink(MetadataStore& store, std::unique_ptr<BlobWriter> writer, std::string key,
              int32_t part, int64_t limit)
      : store_(store),
        writer_(std::move(writer)),
        key_(std::move(key)),
        part_(part),
        limit_(limit) {}

  Result<void> Append(std::string_view chunk) override {
    if (limit_ >= 0 && writer_->size() + static_cast<int64_t>(chunk.size()) > limit_) {
      return TooLarge(part_, limit_);
    }
    return writer_->Append(chunk);
  }

  Result<void> Finish() override {
    if (part_ == 0 && limit_ >= 0 && writer_->size() != limit_) {
      return MakeError(Errc::kInvalidArgument, "size",
                       "the body has " + std::to_string(writer_->size()) +
                           " bytes, the upload announced " + std::to_string(limit_));
    }
    auto blob = writer_->Commit();
    if (!blob) return blob.error();
    return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      auto u = tx.uploads().Get(key_);
      if (!u) return u.error();
      if (u->state == UploadSession::State::kCommitted) {
        return MakeError(Errc::kConflict, "upload", "upload " + key_ + " is already committed");
      }
      if (part_ > 0) return tx.uploads().PutPart(UploadPart{key_, part_, blob->id, blob->size});
      u->state = UploadSession::State::kUploaded;
      u->blob_id = blob->id;
      u->blob_size = blob->size;
      u->blob_md5 = blob->md5;
      return tx.uploads().Put(*u);
    });
  }

 private:
  MetadataStore& store_;
  std::unique_ptr<BlobWriter> writer_;
  const std::string key_;
  const int32_t part_;   // 0 for a single upload.
  const int64_t limit_;  // -1 when no size was announced.
};

}  // namespace

TransferService::TransferService(MetadataStore& store, BlobStore& blobs, const Clock& clock)
    : store_(store), blobs_(blobs), clock_(clock) {}

Result<std::unique_ptr<UploadSink>> TransferService::OpenUpload(
    const TransferGrant& grant, std::optional<uint64_t> content_length) {
  const int32_t part = grant.part_number;
  auto session =
      store_.Read([&](MetadataTransaction& tx) { return tx.uploads().Get(grant.upload_key); });
  if (!session) return session.error();
  if (session->state == UploadSession::State::kCommitted) {
    return MakeError(Errc::kConflict, "upload", "upload " + session->key + " is already committed");
  }
  if (session->expire_time <= clock_.NowMillis()) {
    return MakeError(Errc::kPermissionDenied, "expired", "upload " + session->key + " has expired");
  }
  if (session->multipart != (part > 0)) {
    return MakeError(Errc::kNotFound, "upload", "no such upload part");
  }
  const int64_t limit = part > 0 ? kMaxPartBytes : session->declared_size;
  if (limit >= 0 && content_length && *content_length > static_cast<uint64_t>(limit)) {
    return TooLarge(part, limit);
  }
  auto writer = blobs_.NewWriter(part == 0 && !session->expected_md5.empty());
  if (!writer) return writer.error();
  return std::unique_ptr<UploadSink>(
      new SessionSink(store_, std::move(*writer), session->key, part, limit));
}

Result<Download> TransferService::OpenDownload(const TransferGrant& grant) {
  auto d = LiveDentry(store_.GetDentry(grant.space_id, grant.dentry_id), grant.dentry_id);
  if (!d) return d.error();
  auto stored = store_.Read(
      [&](MetadataTransaction& tx) { return tx.dentries().GetVersion(d->id, grant.version); });
  if (!stored) return stored.error();
  auto reader = blobs_.Open(stored->blob_id);
  if (!reader) return reader.error();
  const int64_t size = (*reader)->size();
  return Download{std::move(*reader), size, stored->blob_id, stored->modified_time, d->name};
}

}  // namespace spacestore::domain
