// UploadService: upload authorization, commit and download grants.
//
// Quota is exact because every check and every counter change happens inside a metadata
// transaction: Authorize reserves a known size (space.reserved_bytes), Commit swaps that
// reservation for the real size after re-checking every limit, and the Collector releases what
// expired sessions still hold. Content is made durable in the blob store (staging file,
// write-back, rename, filesystem sync) before the transaction that references it, so a committed
// file's bytes are always on disk; a crash in between leaves only an unreferenced blob for the
// collector.
#include "domain/upload_service.h"

#include <algorithm>

#include "base/ids.h"
#include "domain/app_property_service.h"
#include "domain/dentry_service.h"
#include "domain/event_emitter.h"
#include "domain/name_rules.h"
#include "domain/placement.h"
#include "domain/quota.h"

namespace spacestore::domain {
namespace {

constexpr size_t kUploadKeyChars = 32;
constexpr size_t kMaxPartsPerCall = 30;
constexpr size_t kCopyChunk = 1 << 20;

Error BadKey(std::string why) {
  return MakeError(Errc::kInvalidArgument, "uploadKey", "uploadKey " + std::move(why));
}

// A space the actor may not see: unknown to it, or another user's. (A disabled space or an
// actor outside the org are answered as such: they say nothing about the key.)
bool IsHiddenSpace(const Error& error) {
  return error.code == Errc::kNotFound ||
         (error.code == Errc::kPermissionDenied && error.subject == "space");
}

bool IsMd5Hex(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Where a commit puts its file: an existing file that gets a new version, or a new name and
// path; `keep` when kReturnExisting found the name taken and nothing is to be stored.
struct Target {
  std::optional<Dentry> existing;
  std::string name;
  std::string path;
  bool keep = false;
};

// Resolves the commit's target inside `tx`: the overwritten dentry, or the placement of `name`
// under the conflict strategy.
Result<Target> ResolveTarget(MetadataTransaction& tx, const Space& space,
                             const CommitRequest& request, const std::string& name) {
  if (!request.overwrite_dentry_id.empty()) {
    auto target = LiveDentry(tx.dentries().Get(space.id, request.overwrite_dentry_id),
                             request.overwrite_dentry_id);
    if (!target) return target.error();
    if (target->is_folder()) {
      return MakeError(Errc::kInvalidArgument, "overwriteDentryId", "cannot overwrite a folder");
    }
    return Target{std::move(*target), name, "", false};
  }
  auto placed =
      PlaceChild(tx, space.id, request.parent_id, name, request.strategy, DentryType::kFile);
  if (!placed) return placed.error();
  const bool keep = placed->existing && request.strategy == ConflictStrategy::kReturnExisting;
  return Target{std::move(placed->existing), placed->name, placed->path, keep};
}

// Checks inside the commit's transaction that the session still holds what was read before it.
Result<UploadSession> RecheckSession(MetadataTransaction& tx, const UploadSession& read,
                                     const std::vector<UploadPart>& parts,
                                     const std::string& blob_id) {
  auto u = tx.uploads().Get(read.key);
  if (!u) return u.error();
  if (u->state == UploadSession::State::kCommitted) return BadKey("is already committed");
  if (!u->multipart) {
    if (u->blob_id != blob_id) return BadKey("changed during commit; retry");
    return u;
  }
  auto now_parts = tx.uploads().ListParts(u->key);
  if (!now_parts) return now_parts.error();
  const bool same = std::equal(parts.begin(), parts.end(), now_parts->begin(), now_parts->end(),
                               [](const UploadPart& a, const UploadPart& b) {
                                 return a.part_number == b.part_number && a.blob_id == b.blob_id;
                               });
  if (!same) return BadKey("parts changed during commit; retry");
  return u;
}

// Spends the upload key: its reservation is given back (`stored` bytes are charged instead) and
// it is kept, committed, only to refuse replays; a multipart upload's part rows go, so the
// collector can reclaim their blobs.
Result<void> SpendKey(MetadataTransaction& tx, UploadSession u, const std::string& space_id,
                      int64_t stored, const std::string& blob_id) {
  if (auto ok = tx.spaces().AdjustBytes(space_id, stored, -u.reserved_bytes); !ok) return ok;
  u.state = UploadSession::State::kCommitted;
  u.reserved_bytes = 0;
  if (!blob_id.empty()) u.blob_id = blob_id;
  if (u.multipart) {
    if (auto ok = tx.uploads().Delete(u.key); !ok) return ok;
  }
  return tx.uploads().Put(u);
}

}  // namespace

struct UploadService::Content {
  BlobInfo blob;
  std::vector<UploadPart> parts;  // Multipart: the parts assembled into `blob`.
};

UploadService::UploadService(MetadataStore& store, BlobStore& blobs, const Clock& clock,
                             SpaceService& spaces, UploadOptions options)
    : store_(store), blobs_(blobs), clock_(clock), spaces_(spaces), options_(options) {}

TransferGrant UploadService::Grant(TransferGrant grant) const {
  grant.issued_at = clock_.NowMillis();
  grant.ttl_seconds = options_.url_ttl_seconds;
  return grant;
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
  auto access = spaces_.OpenWritable(actor, space_id);
  if (!access) return access.error();
  // The folder is known here only when preCheckParam names it; CommitFile checks it again.
  if (auto ok = check.parent_id ? access->RequireOn(*check.parent_id, Capability::kUpload)
                                : access->RequireSomewhere(Capability::kUpload);
      !ok) {
    return ok.error();
  }
  const Space* space = &access->space();

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
  UploadTicket ticket{session.key, std::nullopt};
  if (!multipart) {
    TransferGrant grant;
    grant.upload_key = session.key;
    grant.max_bytes = session.declared_size;
    ticket.grant = Grant(std::move(grant));
  }
  return ticket;
}

Result<std::vector<TransferGrant>> UploadService::PartGrants(
    const Actor& actor, std::string_view upload_key, const std::vector<int64_t>& part_numbers) {
  if (part_numbers.empty() || part_numbers.size() > kMaxPartsPerCall) {
    return MakeError(Errc::kInvalidArgument, "partNumbers", "partNumbers must hold 1-30 numbers");
  }
  for (const int64_t n : part_numbers) {
    if (n < 1 || n > kMaxPartNumber) {
      return MakeError(Errc::kInvalidArgument, "partNumbers", "part numbers must be 1-10000");
    }
  }
  auto session = store_.Read([&](MetadataTransaction& tx) { return tx.uploads().Get(upload_key); });
  if (!session) {
    if (session.error().code == Errc::kNotFound) return BadKey("is unknown");
    return session.error();
  }
  if (session->corp_id != actor.corp_id) return BadKey("is unknown");
  // Whoever may not use the key's space learns nothing about the key, not even that it exists:
  // the answer is the one for a key that never did.
  auto space = spaces_.OpenWritable(actor, session->space_id);
  if (!space && IsHiddenSpace(space.error())) return BadKey("is unknown");
  if (!space && space.error().subject != "disabled") return space.error();
  if (!session->multipart) return BadKey("is not a multipart upload");
  if (session->state == UploadSession::State::kCommitted) return BadKey("is already committed");
  if (session->expire_time <= clock_.NowMillis()) return BadKey("has expired");
  if (!space) return space.error();  // Disabled: the key's state is no secret to this user.
  // As at init: the folder is checked at commit.
  if (auto ok = space->RequireSomewhere(Capability::kUpload); !ok) return ok.error();
  std::vector<TransferGrant> out;
  for (const int64_t n : part_numbers) {
    TransferGrant grant;
    grant.upload_key = session->key;
    grant.part_number = static_cast<int32_t>(n);
    grant.max_bytes = kMaxPartBytes;
    out.push_back(Grant(std::move(grant)));
  }
  return out;
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
  auto access = spaces_.OpenWritable(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(request.overwrite_dentry_id.empty()
                                      ? std::string_view(request.parent_id)
                                      : std::string_view(request.overwrite_dentry_id),
                                  Capability::kUpload);
      !ok) {
    return ok.error();
  }
  const Space* space = &access->space();
  auto session = LoadCommittable(*space, request.upload_key);
  if (!session) return session.error();
  auto content = GatherContent(*session);
  if (!content) return content.error();
  if (request.size && *request.size != content->blob.size) {
    return MakeError(Errc::kInvalidArgument, "size",
                     "option.size is " + std::to_string(*request.size) +
                         " but the uploaded content has " + std::to_string(content->blob.size) +
                         " bytes");
  }
  if (!session->expected_md5.empty() && content->blob.md5 != session->expected_md5) {
    return MakeError(Errc::kInvalidArgument, "md5",
                     "the uploaded content does not match preCheckParam.md5");
  }
  for (auto& p : request.app_properties) p.app_id = actor.app_id;
  return RecordFile(actor, *space, *session, *content, request, *name);
}

// The session behind `key`, if it belongs to the space and can still be committed.
Result<UploadSession> UploadService::LoadCommittable(const Space& space, std::string_view key) {
  auto session = store_.Read([&](MetadataTransaction& tx) { return tx.uploads().Get(key); });
  if (!session) {
    if (session.error().code == Errc::kNotFound) return BadKey("is unknown");
    return session.error();
  }
  // A key of another space is answered as unknown: the caller may not be allowed to see it.
  if (session->space_id != space.id) return BadKey("is unknown");
  if (session->state == UploadSession::State::kCommitted) return BadKey("is already committed");
  if (session->expire_time <= clock_.NowMillis()) return BadKey("has expired");
  return session;
}

// The uploaded content: the single body's blob, or the parts assembled into one blob.
Result<UploadService::Content> UploadService::GatherContent(const UploadSession& session) {
  if (!session.multipart) {
    if (session.state != UploadSession::State::kUploaded) {
      return BadKey("has no uploaded content yet");
    }
    return Content{BlobInfo{session.blob_id, session.blob_size, session.blob_md5}, {}};
  }
  auto parts =
      store_.Read([&](MetadataTransaction& tx) { return tx.uploads().ListParts(session.key); });
  if (!parts) return parts.error();
  if (parts->empty()) return BadKey("has no uploaded parts");
  for (size_t i = 0; i < parts->size(); ++i) {
    const UploadPart& part = (*parts)[i];
    if (part.part_number != static_cast<int32_t>(i + 1)) {
      return BadKey("is missing part " + std::to_string(i + 1));
    }
    if (i + 1 < parts->size() && part.size < kMinPartBytes) {
      return BadKey("has part " + std::to_string(i + 1) + " of " + std::to_string(part.size) +
                    " bytes; every part but the last must hold at least " +
                    std::to_string(kMinPartBytes) + " bytes (100 KB)");
    }
  }
  auto blob = AssembleParts(session, *parts);
  if (!blob) return blob.error();
  return Content{std::move(*blob), std::move(*parts)};
}

// Copies the parts, in order, into one new blob. Runs outside any transaction (this is the slow
// part); the commit's transaction then checks that the parts did not change meanwhile.
Result<BlobInfo> UploadService::AssembleParts(const UploadSession& session,
                                              const std::vector<UploadPart>& parts) {
  auto writer = blobs_.NewWriter(!session.expected_md5.empty());
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
  return (*writer)->Commit();
}

// The commit's one transaction: re-check the session, resolve the target, check the quota,
// write the file or its next version, and spend the key.
Result<Dentry> UploadService::RecordFile(const Actor& actor, const Space& space,
                                         const UploadSession& session, const Content& content,
                                         const CommitRequest& request, const std::string& name) {
  return store_.Write([&](MetadataTransaction& tx) -> Result<Dentry> {
    auto u = RecheckSession(tx, session, content.parts, content.blob.id);
    if (!u) return u.error();
    auto target = ResolveTarget(tx, space, request, name);
    if (!target) return target.error();
    if (target->keep) {
      // Nothing is stored; the key is spent and its reservation given back at once.
      if (auto ok = SpendKey(tx, *u, space.id, 0, ""); !ok) return ok.error();
      return std::move(*target->existing);
    }
    auto fresh = tx.spaces().Get(space.corp_id, space.id);
    if (!fresh) return fresh.error();
    auto totals = tx.spaces().Totals(fresh->corp_id, fresh->app_id);
    if (!totals) return totals.error();
    if (auto ok = CheckQuota(*fresh, *totals, content.blob.size - u->reserved_bytes); !ok) {
      return ok.error();
    }

    const int64_t now = clock_.NowMillis();
    const std::string& acting = actor.acting_id();
    Dentry file;
    const bool created = !target->existing;
    if (!created) {
      file = std::move(*target->existing);
      file.version += 1;
      file.size = content.blob.size;
      file.blob_id = content.blob.id;
      file.modifier_id = acting;
      file.modified_time = now;
      // The caller's properties are upserted: another app's are never replaced or dropped.
      if (auto ok = UpsertAppProperties(file.app_properties, request.app_properties); !ok) {
        return ok.error();
      }
      if (auto ok = tx.dentries().Update(file); !ok) return ok.error();
    } else {
      file = NewDentry(DentryType::kFile, space.id, request.parent_id,
                       Placement{target->name, target->path, {}}, acting, now);
      file.size = content.blob.size;
      file.blob_id = content.blob.id;
      file.app_properties = request.app_properties;
      if (auto ok = tx.dentries().Insert(file); !ok) return ok.error();
    }
    if (auto ok = tx.dentries().InsertVersion(
            DentryVersion{file.id, file.version, content.blob.size, content.blob.id, acting, now});
        !ok) {
      return ok.error();
    }
    if (auto ok = SpendKey(tx, *u, space.id, content.blob.size, content.blob.id); !ok) {
      return ok.error();
    }
    if (auto ok = EmitEvent(tx, actor, now, created ? kEventDentryCreated : kEventDentryUpdated,
                            file.space_id, file.id, DentryEventBody(file));
        !ok) {
      return ok.error();
    }
    return file;
  });
}

Result<TransferGrant> UploadService::DownloadGrant(const Actor& actor, std::string_view space_id,
                                                   std::string_view dentry_id,
                                                   std::optional<int64_t> version) {
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kDownload); !ok) return ok.error();
  const Space* space = &access->space();
  auto d = LiveDentry(store_.GetDentry(space->id, dentry_id), dentry_id);
  if (!d) return d.error();
  if (d->is_folder()) {
    return MakeError(Errc::kInvalidArgument, "dentryId", "a folder has no content to download");
  }
  const int64_t v = version.value_or(d->version);
  if (v < 1 || v > d->version) {
    return MakeError(Errc::kNotFound, "version", "version " + std::to_string(v) + " not found");
  }
  TransferGrant grant;
  grant.kind = TransferGrant::Kind::kDownload;
  grant.space_id = space->id;
  grant.dentry_id = d->id;
  grant.version = v;
  return Grant(std::move(grant));
}

}  // namespace spacestore::domain
