// VersionService: ListDentryVersions and RevertDentryVersion.
//
// Listing is keyset pagination over (dentry, version) newest first: the token carries the last
// version number shown, so a page is one range scan however many versions a file has. The
// dentry and its page are read in one snapshot, so a page never mixes two states of the file.
// A revert re-reads the file, the version and the space's counters inside its one write
// transaction, so two concurrent reverts (or a revert and an upload) each get their own
// version number and the quota can never be passed.
#include "domain/version_service.h"

#include <charconv>
#include <optional>
#include <vector>

#include "domain/event_emitter.h"
#include "domain/placement.h"
#include "domain/quota.h"

namespace spacestore::domain {
namespace {

// The live file `dentry_id` of the space, read inside `tx`.
Result<Dentry> LiveFile(MetadataTransaction& tx, const std::string& space_id,
                        std::string_view dentry_id) {
  auto d = LiveDentry(tx.dentries().Get(space_id, dentry_id), dentry_id);
  if (!d) return d.error();
  if (d->is_folder()) {
    return MakeError(Errc::kInvalidArgument, "dentryId", "a folder has no versions");
  }
  return d;
}

// `file` as it was at `v`: that version's number, size, content, modifier and time.
Dentry AtVersion(const Dentry& file, const DentryVersion& v) {
  Dentry d = file;
  d.version = v.version;
  d.size = v.size;
  d.blob_id = v.blob_id;
  d.modifier_id = v.modifier_id;
  d.modified_time = v.modified_time;
  return d;
}

}  // namespace

// Token: "v." <last version shown> "." <dentry id>. The id ties the token to its file.
std::string EncodeVersionCursor(std::string_view dentry_id, int64_t last) {
  return "v." + std::to_string(last) + "." + std::string(dentry_id);
}

Result<int64_t> DecodeVersionCursor(std::string_view dentry_id, std::string_view token) {
  const Error bad = MakeError(Errc::kInvalidArgument, "nextToken", "nextToken is not valid");
  if (token.size() < 4 || token.substr(0, 2) != "v.") return bad;
  token.remove_prefix(2);
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || token.substr(dot + 1) != dentry_id) return bad;
  // Only the canonical form EncodeVersionCursor writes: no sign, no leading zeros.
  if (dot == 0 || token[0] < '1' || token[0] > '9') return bad;
  int64_t version = 0;
  const auto [p, ec] = std::from_chars(token.data(), token.data() + dot, version);
  if (ec != std::errc() || p != token.data() + dot) return bad;
  return version;
}

VersionService::VersionService(MetadataStore& store, const Clock& clock, SpaceService& spaces)
    : store_(store), clock_(clock), spaces_(spaces) {}

Result<DentryPage> VersionService::ListVersions(const Actor& actor, std::string_view space_id,
                                                std::string_view dentry_id,
                                                const VersionQuery& query) {
  if (query.limit < 1 || query.limit > kMaxVersionPageSize) {
    return MakeError(Errc::kInvalidArgument, "maxResults", "maxResults must be 1-100");
  }
  std::optional<int64_t> before;
  if (!query.cursor.empty()) {
    auto v = DecodeVersionCursor(dentry_id, query.cursor);
    if (!v) return v.error();
    before = *v;
  }
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kReadMetadata); !ok) return ok.error();
  const Space* space = &access->space();
  return store_.Snapshot([&](MetadataTransaction& tx) -> Result<DentryPage> {
    auto file = LiveFile(tx, space->id, dentry_id);
    if (!file) return file.error();
    // One row more than the page says whether another page follows.
    auto versions = tx.dentries().ListVersionsPage(file->id, before, query.limit + 1);
    if (!versions) return versions.error();
    DentryPage page;
    const bool more = std::ssize(*versions) > query.limit;
    if (more) versions->pop_back();
    page.dentries.reserve(versions->size());
    for (const auto& v : *versions) page.dentries.push_back(AtVersion(*file, v));
    if (more) page.next_cursor = EncodeVersionCursor(file->id, versions->back().version);
    return page;
  });
}

Result<Dentry> VersionService::Revert(const Actor& actor, std::string_view space_id,
                                      std::string_view dentry_id, int64_t version) {
  auto access = spaces_.OpenWritable(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kManageVersions); !ok) return ok.error();
  const Space* space = &access->space();
  return store_.Write([&](MetadataTransaction& tx) -> Result<Dentry> {
    auto file = LiveFile(tx, space->id, dentry_id);
    if (!file) return file.error();
    if (version < 1) {
      return MakeError(Errc::kNotFound, "version",
                       "version " + std::to_string(version) + " not found");
    }
    auto old = tx.dentries().GetVersion(file->id, version);
    if (!old) return old.error();
    // The new version is charged in full, like any upload: content is shared, quota is not.
    auto fresh = tx.spaces().Get(space->corp_id, space->id);
    if (!fresh) return fresh.error();
    auto totals = tx.spaces().Totals(fresh->corp_id, fresh->app_id);
    if (!totals) return totals.error();
    if (auto ok = CheckQuota(*fresh, *totals, old->size); !ok) return ok.error();

    const int64_t now = clock_.NowMillis();
    const std::string& acting = actor.acting_id();
    file->version += 1;
    file->size = old->size;
    file->blob_id = old->blob_id;
    file->modifier_id = acting;
    file->modified_time = now;
    if (auto ok = tx.dentries().Update(*file); !ok) return ok.error();
    if (auto ok = tx.dentries().InsertVersion(
            DentryVersion{file->id, file->version, old->size, old->blob_id, acting, now});
        !ok) {
      return ok.error();
    }
    if (auto ok = tx.spaces().AdjustBytes(space->id, old->size, 0); !ok) return ok.error();
    if (auto ok = EmitEvent(tx, actor, now, kEventDentryReverted, file->space_id, file->id,
                            With(DentryEventBody(*file), "revertedFrom", version));
        !ok) {
      return ok.error();
    }
    return std::move(*file);
  });
}

}  // namespace spacestore::domain
