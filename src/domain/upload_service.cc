// UploadService: the upload, commit and download flows.
//
// Quota is exact because every check and every counter change happens inside a metadata
// transaction: Authorize reserves a known size (space.reserved_bytes), Commit swaps that
// reservation for the real size after re-checking every limit, and Collect releases what
// expired sessions still hold. Content is written to the blob store (staging file, fsync,
// rename) before the transaction that references it, so a committed file's bytes are always on
// disk; a crash in between leaves only an unreferenced blob for the collector.
#include "domain/upload_service.h"

#include <algorithm>
#include <charconv>

#include "base/crypto.h"
#include "base/ids.h"
#include "domain/dentry_service.h"
#include "domain/name_rules.h"
#include "domain/placement.h"

namespace spacestore::domain {
namespace {

constexpr size_t kUploadKeyChars = 32;
constexpr size_t kMaxPartsPerCall = 30;
constexpr int64_t kMaxPartNumber = 10000;
// Part sizes, as on the reference's object store: every part but the last at least 100 KB,
// none above 5 GB.
constexpr int64_t kMinPartBytes = 100 * 1024;
constexpr int64_t kMaxPartBytes = int64_t{5} * 1024 * 1024 * 1024;
constexpr size_t kCopyChunk = 1 << 20;

Error BadKey(std::string why) {
  return MakeError(Errc::kInvalidArgument, "uploadKey", "uploadKey " + std::move(why));
}

bool IsMd5Hex(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Splits "a/b/c" into its parts.
std::vector<std::string_view> SplitPath(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    const size_t slash = std::min(s.find('/', pos), s.size());
    out.push_back(s.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

std::optional<int64_t> ParseNumber(std::string_view s) {
  int64_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return n;
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

Result<void> CheckQuota(const Space& space, const UsageTotals& t, int64_t delta) {
  if (delta <= 0) return {};
  // Written as "delta > room" so that no sum can overflow, whatever size a client announces.
  if (space.quota_bytes && delta > *space.quota_bytes - space.used_bytes - space.reserved_bytes) {
    return MakeError(Errc::kQuotaExceeded, "space",
                     "space " + space.id + " has not enough quota left for " +
                         std::to_string(delta) + " more bytes");
  }
  if (t.app_quota && delta > *t.app_quota - t.app_used - t.app_reserved) {
    return MakeError(Errc::kQuotaExceeded, "app", "the app's quota would be exceeded");
  }
  if (delta > t.org_capacity - t.org_used - t.org_reserved) {
    return MakeError(Errc::kQuotaExceeded, "org", "the org's capacity would be exceeded");
  }
  return {};
}

UploadService::UploadService(MetadataStore& store, BlobStore& blobs, const Clock& clock,
                             SpaceService& spaces, const UrlSigner& signer, UploadOptions options)
    : store_(store),
      blobs_(blobs),
      clock_(clock),
      spaces_(spaces),
      signer_(signer),
      options_(options) {}

Result<UploadSession> UploadService::LoadUpload(std::string_view key) {
  UploadSession out;
  auto r = store_.View([&](MetadataTransaction& tx) -> Result<void> {
    auto u = tx.uploads().Get(key);
    if (!u) return u.error();
    out = std::move(*u);
    return {};
  });
  if (!r) return r.error();
  return out;
}

Result<UploadTicket> UploadService::Authorize(const Actor& actor, std::string_view space_id,
                                              const PreCheck& check, bool multipart) {
  if (check.name) {
    auto name = NormalizeName(*check.name, "name", kMaxDentryNameChars);
    if (!name) return name.error();
  }
  if (check.size && (*check.size < 0 || *check.size > options_.max_file_bytes)) {
    return MakeError(Errc::kInvalidArgument, "size",
                     "size must be 0-" + std::to_string(options_.max_file_bytes) + " bytes");
  }
  if (check.md5 && !IsMd5Hex(*check.md5)) {
    return MakeError(Errc::kInvalidArgument, "md5", "md5 must be 32 lower-case hex digits");
  }
  auto space = spaces_.GetWritableSpace(actor, space_id);
  if (!space) return space.error();

  const int64_t now = clock_.NowMillis();
  UploadSession session;
  session.key = RandomAlnumId(kUploadKeyChars);
  session.corp_id = actor.corp_id;
  session.space_id = space->id;
  session.app_id = actor.app_id;
  session.creator_id = actor.acting_id();
  session.multipart = multipart;
  session.declared_size = check.size.value_or(-1);
  session.reserved_bytes = check.size.value_or(0);
  session.expected_md5 = check.md5.value_or("");
  session.create_time = now;
  session.expire_time = now + options_.session_ttl_seconds * 1000;

  auto r = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    if (check.parent_id && *check.parent_id != kRootDentryId) {
      auto parent = LiveFolder(tx.dentries().Get(space->id, *check.parent_id), *check.parent_id);
      if (!parent) return parent.error();
    }
    if (session.reserved_bytes > 0) {
      auto fresh = tx.spaces().Get(space->corp_id, space->id);
      if (!fresh) return fresh.error();
      auto totals = tx.spaces().Totals(fresh->corp_id, fresh->app_id);
      if (!totals) return totals.error();
      if (auto ok = CheckQuota(*fresh, *totals, session.reserved_bytes); !ok) return ok;
      if (auto ok = tx.spaces().AdjustBytes(fresh->id, 0, session.reserved_bytes); !ok) return ok;
    }
    return tx.uploads().Put(session);
  });
  if (!r) return r.error();
  UploadTicket ticket{session.key, {}};
  if (!multipart)
    ticket.request = signer_.Sign("PUT", "upload/" + session.key, options_.url_ttl_seconds);
  return ticket;
}

Result<std::vector<std::pair<int32_t, SignedRequest>>> UploadService::PartUrls(
    const Actor& actor, std::string_view upload_key, const std::vector<int64_t>& part_numbers) {
  if (part_numbers.empty() || part_numbers.size() > kMaxPartsPerCall) {
    return MakeError(Errc::kInvalidArgument, "partNumbers", "partNumbers must hold 1-30 numbers");
  }
  for (const int64_t n : part_numbers) {
    if (n < 1 || n > kMaxPartNumber) {
      return MakeError(Errc::kInvalidArgument, "partNumbers", "part numbers must be 1-10000");
    }
  }
  auto session = LoadUpload(upload_key);
  if (!session) {
    if (session.error().code == Errc::kNotFound) return BadKey("is unknown");
    return session.error();
  }
  if (session->corp_id != actor.corp_id) return BadKey("is unknown");
  if (!session->multipart) return BadKey("is not a multipart upload");
  if (session->state == UploadSession::State::kCommitted) return BadKey("is already committed");
  if (session->expire_time <= clock_.NowMillis()) return BadKey("has expired");
  auto space = spaces_.GetWritableSpace(actor, session->space_id);
  if (!space) return space.error();
  std::vector<std::pair<int32_t, SignedRequest>> out;
  for (const int64_t n : part_numbers) {
    out.emplace_back(static_cast<int32_t>(n),
                     signer_.Sign("PUT", "upload/" + session->key + "/" + std::to_string(n),
                                  options_.url_ttl_seconds));
  }
  return out;
}

Result<std::unique_ptr<UploadSink>> UploadService::OpenUpload(
    std::string_view resource, std::string_view authorization,
    std::optional<uint64_t> content_length) {
  if (auto ok = signer_.Verify("PUT", "upload/" + std::string(resource), authorization); !ok) {
    return ok.error();
  }
  const auto parts = SplitPath(resource);
  int32_t part = 0;
  if (parts.size() == 2) {
    const auto n = ParseNumber(parts[1]);
    if (!n || *n < 1 || *n > kMaxPartNumber) {
      return MakeError(Errc::kNotFound, "upload", "no such upload part");
    }
    part = static_cast<int32_t>(*n);
  } else if (parts.size() != 1) {
    return MakeError(Errc::kNotFound, "upload", "no such upload");
  }
  auto session = LoadUpload(parts[0]);
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

Result<Dentry> UploadService::Commit(const Actor& actor, std::string_view space_id,
                                     CommitRequest request) {
  if (request.upload_key.empty()) return BadKey("is required");
  auto name = NormalizeName(request.name, "name", kMaxDentryNameChars);
  if (!name) return name.error();
  if (request.parent_id.empty()) {
    return MakeError(Errc::kInvalidArgument, "parentId", "parentId is required");
  }
  if (auto ok = CheckAppProperties(request.app_properties); !ok) return ok.error();
  auto space = spaces_.GetWritableSpace(actor, space_id);
  if (!space) return space.error();

  auto session = LoadUpload(request.upload_key);
  if (!session) {
    if (session.error().code == Errc::kNotFound) return BadKey("is unknown");
    return session.error();
  }
  if (session->space_id != space->id) return BadKey("belongs to another space");
  if (session->state == UploadSession::State::kCommitted) return BadKey("is already committed");
  if (session->expire_time <= clock_.NowMillis()) return BadKey("has expired");

  // Multipart: assemble the parts in part order into one blob, outside any transaction (this
  // is the slow part), then let the transaction check that nothing changed meanwhile.
  BlobInfo content{session->blob_id, session->blob_size, session->blob_md5};
  std::vector<UploadPart> parts;
  if (session->multipart) {
    auto r = store_.View([&](MetadataTransaction& tx) -> Result<void> {
      auto p = tx.uploads().ListParts(session->key);
      if (!p) return p.error();
      parts = std::move(*p);
      return {};
    });
    if (!r) return r.error();
    if (parts.empty()) return BadKey("has no uploaded parts");
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].part_number != static_cast<int32_t>(i + 1)) {
        return BadKey("is missing part " + std::to_string(i + 1));
      }
      if (i + 1 < parts.size() && parts[i].size < kMinPartBytes) {
        return BadKey("has part " + std::to_string(i + 1) + " of " + std::to_string(parts[i].size) +
                      " bytes; every part but the last must hold at least " +
                      std::to_string(kMinPartBytes) + " bytes (100 KB)");
      }
    }
    auto writer = blobs_.NewWriter(!session->expected_md5.empty());
    if (!writer) return writer.error();
    std::string buffer(kCopyChunk, '\0');
    for (const auto& part : parts) {
      auto reader = blobs_.Open(part.blob_id);
      if (!reader) return reader.error();
      for (int64_t offset = 0; offset < (*reader)->size();) {
        auto n = (*reader)->ReadAt(offset, buffer.data(), buffer.size());
        if (!n) return n.error();
        if (*n == 0) break;
        if (auto ok = (*writer)->Append({buffer.data(), *n}); !ok) return ok.error();
        offset += static_cast<int64_t>(*n);
      }
    }
    auto blob = (*writer)->Commit();
    if (!blob) return blob.error();
    content = std::move(*blob);
  } else if (session->state != UploadSession::State::kUploaded) {
    return BadKey("has no uploaded content yet");
  }
  if (request.size && *request.size != content.size) {
    return MakeError(Errc::kInvalidArgument, "size",
                     "option.size is " + std::to_string(*request.size) +
                         " but the uploaded content has " + std::to_string(content.size) +
                         " bytes");
  }
  if (!session->expected_md5.empty() && content.md5 != session->expected_md5) {
    return MakeError(Errc::kInvalidArgument, "md5",
                     "the uploaded content does not match preCheckParam.md5");
  }
  for (auto& p : request.app_properties) p.app_id = actor.app_id;

  Dentry file;
  auto r = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto u = tx.uploads().Get(session->key);
    if (!u) return u.error();
    if (u->state == UploadSession::State::kCommitted) return BadKey("is already committed");
    if (u->multipart) {
      auto now_parts = tx.uploads().ListParts(u->key);
      if (!now_parts) return now_parts.error();
      const bool same =
          now_parts->size() == parts.size() &&
          std::equal(parts.begin(), parts.end(), now_parts->begin(),
                     [](const UploadPart& a, const UploadPart& b) {
                       return a.part_number == b.part_number && a.blob_id == b.blob_id;
                     });
      if (!same) return BadKey("parts changed during commit; retry");
    } else if (u->blob_id != content.id) {
      return BadKey("changed during commit; retry");
    }

    std::optional<Dentry> existing;
    std::string final_name = *name;
    std::string path;
    const std::string parent_id = request.parent_id;
    if (!request.overwrite_dentry_id.empty()) {
      auto target = LiveDentry(tx.dentries().Get(space->id, request.overwrite_dentry_id),
                               request.overwrite_dentry_id);
      if (!target) return target.error();
      if (target->is_folder()) {
        return MakeError(Errc::kInvalidArgument, "overwriteDentryId", "cannot overwrite a folder");
      }
      existing = std::move(*target);
    } else {
      auto placed =
          PlaceChild(tx, space->id, parent_id, *name, request.strategy, DentryType::kFile);
      if (!placed) return placed.error();
      if (placed->existing && request.strategy == ConflictStrategy::kReturnExisting) {
        // Nothing is stored; the key is spent and its reservation given back at once.
        file = std::move(*placed->existing);
        if (auto ok = tx.spaces().AdjustBytes(space->id, 0, -u->reserved_bytes); !ok) return ok;
        u->state = UploadSession::State::kCommitted;
        u->reserved_bytes = 0;
        return tx.uploads().Put(*u);
      }
      existing = std::move(placed->existing);
      final_name = placed->name;
      path = placed->path;
    }

    auto fresh = tx.spaces().Get(space->corp_id, space->id);
    if (!fresh) return fresh.error();
    auto totals = tx.spaces().Totals(fresh->corp_id, fresh->app_id);
    if (!totals) return totals.error();
    if (auto ok = CheckQuota(*fresh, *totals, content.size - u->reserved_bytes); !ok) return ok;

    const int64_t now = clock_.NowMillis();
    const std::string& acting = actor.acting_id();
    if (existing) {
      file = std::move(*existing);
      file.version += 1;
      file.size = content.size;
      file.blob_id = content.id;
      file.modifier_id = acting;
      file.modified_time = now;
      if (!request.app_properties.empty()) file.app_properties = request.app_properties;
      if (auto ok = tx.dentries().Update(file); !ok) return ok;
    } else {
      file = NewDentry(DentryType::kFile, space->id, parent_id, Placement{final_name, path, {}},
                       acting, now);
      file.size = content.size;
      file.blob_id = content.id;
      file.app_properties = request.app_properties;
      if (auto ok = tx.dentries().Insert(file); !ok) return ok;
    }
    if (auto ok = tx.dentries().InsertVersion(
            DentryVersion{file.id, file.version, content.size, content.id, acting, now});
        !ok) {
      return ok;
    }
    if (auto ok = tx.spaces().AdjustBytes(space->id, content.size, -u->reserved_bytes); !ok)
      return ok;
    u->state = UploadSession::State::kCommitted;
    u->reserved_bytes = 0;
    u->blob_id = content.id;
    if (u->multipart) {
      // The parts are assembled into the new blob; dropping their rows (the session is kept to
      // refuse replays) lets the collector reclaim their space.
      if (auto ok = tx.uploads().Delete(u->key); !ok) return ok;
    }
    return tx.uploads().Put(*u);
  });
  if (!r) return r.error();
  return file;
}

Result<SignedRequest> UploadService::DownloadInfo(const Actor& actor, std::string_view space_id,
                                                  std::string_view dentry_id,
                                                  std::optional<int64_t> version) {
  auto space = spaces_.GetSpace(actor, space_id);
  if (!space) return space.error();
  auto d = LiveDentry(store_.GetDentry(space->id, dentry_id), dentry_id);
  if (!d) return d.error();
  if (d->is_folder()) {
    return MakeError(Errc::kInvalidArgument, "dentryId", "a folder has no content to download");
  }
  const int64_t v = version.value_or(d->version);
  if (v < 1 || v > d->version) {
    return MakeError(Errc::kNotFound, "version", "version " + std::to_string(v) + " not found");
  }
  return signer_.Sign("GET", "download/" + space->id + "/" + d->id + "/" + std::to_string(v),
                      options_.url_ttl_seconds);
}

Result<Download> UploadService::OpenDownload(std::string_view resource,
                                             std::string_view authorization) {
  if (auto ok = signer_.Verify("GET", "download/" + std::string(resource), authorization); !ok) {
    return ok.error();
  }
  const auto parts = SplitPath(resource);
  const auto version = parts.size() == 3 ? ParseNumber(parts[2]) : std::nullopt;
  if (!version) return MakeError(Errc::kNotFound, "dentry", "no such download");
  auto d = LiveDentry(store_.GetDentry(parts[0], parts[1]), parts[1]);
  if (!d) return d.error();
  DentryVersion stored;
  auto r = store_.View([&](MetadataTransaction& tx) -> Result<void> {
    auto v = tx.dentries().GetVersion(d->id, *version);
    if (!v) return v.error();
    stored = std::move(*v);
    return {};
  });
  if (!r) return r.error();
  auto reader = blobs_.Open(stored.blob_id);
  if (!reader) return reader.error();
  const int64_t size = (*reader)->size();
  return Download{std::move(*reader), size, stored.blob_id, stored.modified_time, d->name};
}

Result<CollectStats> UploadService::Collect() {
  CollectStats stats;
  const int64_t now = clock_.NowMillis();
  for (;;) {
    auto keys = store_.ListExpiredUploads(now, 100);
    if (!keys) return keys.error();
    for (const auto& key : *keys) {
      auto r = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
        auto u = tx.uploads().Get(key);
        if (!u) return u.error().code == Errc::kNotFound ? Result<void>() : u.error();
        if (u->state != UploadSession::State::kCommitted && u->reserved_bytes > 0) {
          auto ok = tx.spaces().AdjustBytes(u->space_id, 0, -u->reserved_bytes);
          if (!ok && ok.error().code != Errc::kNotFound) return ok;  // Space may be gone.
        }
        return tx.uploads().Delete(key);
      });
      if (!r) return r.error();
      ++stats.expired_uploads;
    }
    if (keys->size() < 100) break;
  }
  const int64_t cutoff = now - options_.blob_grace_seconds * 1000;
  int64_t seen = 0;
  // At least one slice a pass, whatever collect_blobs_per_pass says.
  for (int slice = 0; slice < 256 && (slice == 0 || seen < options_.collect_blobs_per_pass);
       ++slice) {
    const char byte = static_cast<char>(next_blob_slice_);
    auto blob_ids = blobs_.List(HexEncode({&byte, 1}), cutoff);
    if (!blob_ids) return blob_ids.error();
    seen += static_cast<int64_t>(blob_ids->size());
    for (const auto& id : *blob_ids) {
      auto referenced = store_.IsBlobReferenced(id);
      if (!referenced) return referenced.error();
      if (*referenced) continue;
      auto removed = blobs_.Remove(id, cutoff);
      if (!removed) return removed.error();
      if (*removed) ++stats.blobs_removed;
    }
    // Only a slice gone through to its end counts: a failure retries it next pass.
    next_blob_slice_ = (next_blob_slice_ + 1) % 256;
  }
  auto swept = blobs_.SweepStaging(cutoff);
  if (!swept) return swept.error();
  stats.staging_removed = *swept;
  return stats;
}

}  // namespace spacestore::domain
