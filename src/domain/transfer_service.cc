// TransferService: upload bodies go to a BlobWriter chunk by chunk (constant memory whatever
// the size) and are recorded on the session after the blob is durable, so a crash in between
// leaves only an unreferenced blob for the collector. Bodies that finish together share that
// transaction and its sync (UploadRecorder).
//
// Quota while the body arrives: a body that no reservation covers (a single upload without
// preCheckParam.size, every multipart part) is measured against what its space, app and org can
// still take, re-read from the metadata store at least every kQuotaRecheckBytes and whenever
// the body would pass the last figure read, and refused (kQuotaExceeded) before the chunk that
// would pass it is written. This is a check, not a reservation: concurrent unannounced uploads
// to one space do not see each other's unstored bytes; CommitFile stays the exact check.
#include "domain/transfer_service.h"

#include <algorithm>
#include <limits>

#include "domain/placement.h"
#include "domain/quota.h"

namespace spacestore::domain {
namespace {

// How many body bytes may arrive between two reads of the quota room. The server hands the
// sink 1 MiB chunks, so this is a fresh read per chunk: the staleness a cut body can have.
constexpr int64_t kQuotaRecheckBytes = int64_t{1} << 20;

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return out;
}

// How many body bytes upload `u` may hold for part `part` (0: its single body), read inside
// `tx` (a snapshot: several reads): what its space, app and org can still take, plus its own
// reservation, minus the other parts it already stored (a repeated part replaces its earlier self).
// kQuotaExceeded, as CommitFile would answer, when `body` bytes do not fit.
Result<int64_t> BodyRoom(MetadataTransaction& tx, const UploadSession& u, int32_t part,
                         int64_t body) {
  auto space = tx.spaces().Get(u.corp_id, u.space_id);
  if (!space) return space.error();
  auto totals = tx.spaces().Totals(space->corp_id, space->app_id);
  if (!totals) return totals.error();
  int64_t others = 0;
  if (part > 0) {
    auto parts = tx.uploads().ListParts(u.key);
    if (!parts) return parts.error();
    for (const UploadPart& p : *parts) {
      if (p.part_number != part) others = SaturatingAdd(others, p.size);
    }
  }
  if (auto ok = CheckQuota(*space, *totals,
                           SaturatingAdd(SaturatingAdd(others, body), -u.reserved_bytes));
      !ok) {
    return ok.error();
  }
  // Saturating: a space without a quota in a large org may have room near INT64_MAX.
  return SaturatingAdd(SaturatingAdd(QuotaRoom(*space, *totals), u.reserved_bytes), -others);
}

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
  // `room`: the body bytes the quota allowed at OpenUpload, or nullopt when a reservation
  // covers the whole body and the quota need not be watched.
  SessionSink(MetadataStore& store, UploadRecorder& recorder, std::unique_ptr<BlobWriter> writer,
              std::string key, int32_t part, int64_t limit, std::optional<int64_t> room)
      : store_(store),
        recorder_(recorder),
        writer_(std::move(writer)),
        key_(std::move(key)),
        part_(part),
        limit_(limit),
        room_(room) {}

  Result<void> Append(std::string_view chunk) override {
    const int64_t after = writer_->size() + static_cast<int64_t>(chunk.size());
    if (limit_ >= 0 && after > limit_) return TooLarge(part_, limit_);
    if (room_ && (after > *room_ || after - checked_at_ >= kQuotaRecheckBytes)) {
      // A fresh read before refusing: other uploads may have been committed or given back
      // their reservations since the last one.
      // One snapshot: the session, its parts, the space and the totals must agree.
      auto room = store_.Snapshot([&](MetadataTransaction& tx) -> Result<int64_t> {
        auto u = tx.uploads().Get(key_);
        if (!u) return u.error();
        return BodyRoom(tx, *u, part_, after);
      });
      if (!room) return room.error();  // The sink's owner drops it: the staging file goes.
      room_ = *room;
      checked_at_ = after;
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
    return recorder_.Record(key_, part_, *blob);
  }

 private:
  MetadataStore& store_;
  UploadRecorder& recorder_;
  std::unique_ptr<BlobWriter> writer_;
  const std::string key_;
  const int32_t part_;           // 0 for a single upload.
  const int64_t limit_;          // -1 when no size was announced.
  std::optional<int64_t> room_;  // Body bytes the quota allowed at the last read.
  int64_t checked_at_ = 0;       // The body's size at that read.
};

}  // namespace

TransferService::TransferService(MetadataStore& store, BlobStore& blobs, const Clock& clock)
    : store_(store), blobs_(blobs), clock_(clock), recorder_(store) {}

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
  // A single upload's announced size is reserved and bounds its body; any other body is
  // watched against the quota, from here (with its Content-Length, before any byte is read).
  std::optional<int64_t> room;
  if (part > 0 || session->declared_size < 0) {
    const int64_t announced = static_cast<int64_t>(
        std::min<uint64_t>(content_length.value_or(0), std::numeric_limits<int64_t>::max()));
    auto r = store_.Snapshot(
        [&](MetadataTransaction& tx) { return BodyRoom(tx, *session, part, announced); });
    if (!r) return r.error();
    room = *r;
  }
  auto writer = blobs_.NewWriter(part == 0 && !session->expected_md5.empty());
  if (!writer) return writer.error();
  return std::unique_ptr<UploadSink>(
      new SessionSink(store_, recorder_, std::move(*writer), session->key, part, limit, room));
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
