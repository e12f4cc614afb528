// MetadataStore's conveniences: each one transaction over the aggregate primitives. What every
// backend would otherwise write again lives here once: the idempotent space create, the
// read-then-write of settings, and the page tokens (decoded before a listing, encoded after).
#include "domain/metadata_store.h"

namespace spacestore::domain {
namespace {

// The rows to read for `query`: one more than the page holds, which tells whether a next page
// exists. kInvalidArgument (subject "nextToken") for a token of another order.
Result<PageRange> RangeOf(const ListQuery& query, DentryOrder order) {
  PageRange range{order, query.descending, query.limit + 1, std::nullopt};
  if (!query.cursor.empty()) {
    auto cursor = DecodeCursor(order, query.cursor);
    if (!cursor) return cursor.error();
    range.after = std::move(*cursor);
  }
  return range;
}

// Turns the extra row of a page into the next page's token.
DentryPage PageOf(std::vector<Dentry> rows, int limit, DentryOrder order) {
  DentryPage page;
  if (rows.size() > static_cast<size_t>(limit)) {
    rows.resize(static_cast<size_t>(limit));
    page.next_cursor = EncodeCursor(order, rows.back());
  }
  page.dentries = std::move(rows);
  return page;
}

}  // namespace

// ---- Identity ----

Result<void> MetadataStore::CreateOrg(const Org& org) {
  return Write([&](MetadataTransaction& tx) { return tx.identity().InsertOrg(org); });
}

Result<Org> MetadataStore::GetOrg(std::string_view corp_id) {
  return Read([&](MetadataTransaction& tx) { return tx.identity().GetOrg(corp_id); });
}

Result<std::vector<Org>> MetadataStore::ListOrgs() {
  return Read([&](MetadataTransaction& tx) { return tx.identity().ListOrgs(); });
}

Result<void> MetadataStore::CreateApp(const App& app) {
  return Write([&](MetadataTransaction& tx) { return tx.identity().InsertApp(app); });
}

Result<App> MetadataStore::GetApp(std::string_view app_id) {
  return Read([&](MetadataTransaction& tx) { return tx.identity().GetApp(app_id); });
}

Result<App> MetadataStore::FindAppByKey(std::string_view app_key) {
  return Read([&](MetadataTransaction& tx) { return tx.identity().FindAppByKey(app_key); });
}

Result<std::vector<App>> MetadataStore::ListApps(std::string_view corp_id) {
  return Read([&](MetadataTransaction& tx) { return tx.identity().ListApps(corp_id); });
}

Result<void> MetadataStore::CreateUser(const User& user) {
  return Write([&](MetadataTransaction& tx) { return tx.identity().InsertUser(user); });
}

Result<User> MetadataStore::GetUser(std::string_view corp_id, std::string_view union_id) {
  return Read([&](MetadataTransaction& tx) { return tx.identity().GetUser(corp_id, union_id); });
}

Result<std::vector<User>> MetadataStore::ListUsers(std::string_view corp_id) {
  return Read([&](MetadataTransaction& tx) { return tx.identity().ListUsers(corp_id); });
}

Result<std::string> MetadataStore::GetOrCreateSetting(std::string_view key,
                                                      std::string_view value_if_absent) {
  return Write([&](MetadataTransaction& tx) -> Result<std::string> {
    auto stored = tx.identity().GetSetting(key);
    if (!stored) return stored.error();
    if (*stored) return std::move(**stored);
    if (auto ok = tx.identity().InsertSetting(key, value_if_absent); !ok) return ok.error();
    return std::string(value_if_absent);
  });
}

// ---- Spaces ----

Result<CreatedSpace> MetadataStore::CreateSpace(const Space& space, const SpaceStep& then) {
  return Write([&](MetadataTransaction& tx) -> Result<CreatedSpace> {
    auto existing =
        tx.spaces().FindByScene(space.corp_id, space.app_id, space.scene, space.scene_id);
    if (!existing) return existing.error();
    if (*existing) return CreatedSpace{std::move(**existing), false};
    if (auto ok = tx.spaces().Insert(space); !ok) return ok.error();
    CreatedSpace out{space, true};
    out.space.dentry_generation = 0;  // The store's own, as in a fresh row.
    if (then) {
      if (auto ok = then(tx, out.space); !ok) return ok.error();
    }
    return out;
  });
}

Result<Space> MetadataStore::GetSpace(std::string_view corp_id, std::string_view space_id) {
  return Read([&](MetadataTransaction& tx) { return tx.spaces().Get(corp_id, space_id); });
}

Result<std::vector<Space>> MetadataStore::ListSpaces(std::string_view corp_id,
                                                     const SpaceFilter& filter) {
  return Read([&](MetadataTransaction& tx) { return tx.spaces().List(corp_id, filter); });
}

Result<Space> MetadataStore::UpdateSpace(std::string_view corp_id, std::string_view space_id,
                                         const SpaceUpdate& update, const SpaceStep& then) {
  return Write([&](MetadataTransaction& tx) -> Result<Space> {
    auto space = tx.spaces().Get(corp_id, space_id);
    if (!space) return space;
    if (update.quota_bytes) space->quota_bytes = *update.quota_bytes;
    if (update.disabled) space->disabled = *update.disabled;
    space->modifier_id = update.modifier_id;
    space->modified_time = update.modified_time;
    if (auto ok = tx.spaces().UpdateSettings(*space); !ok) return ok.error();
    if (then) {
      if (auto ok = then(tx, *space); !ok) return ok.error();
    }
    return space;
  });
}

Result<void> MetadataStore::DeleteSpace(std::string_view corp_id, std::string_view space_id,
                                        const SpaceStep& then) {
  return Write([&](MetadataTransaction& tx) -> Result<void> {
    if (!then) return tx.spaces().Delete(corp_id, space_id);
    auto space = tx.spaces().Get(corp_id, space_id);
    if (!space) return space.error();
    if (auto ok = tx.spaces().Delete(corp_id, space_id); !ok) return ok;
    return then(tx, *space);
  });
}

Result<int64_t> MetadataStore::SumUsedBytes(std::string_view corp_id, std::string_view app_id) {
  return Read([&](MetadataTransaction& tx) { return tx.spaces().SumUsedBytes(corp_id, app_id); });
}

// ---- Dentries and versions ----

Result<Dentry> MetadataStore::GetDentry(std::string_view space_id, std::string_view dentry_id) {
  return Read([&](MetadataTransaction& tx) { return tx.dentries().Get(space_id, dentry_id); });
}

Result<std::vector<Dentry>> MetadataStore::GetDentries(std::string_view space_id,
                                                       const std::vector<std::string>& ids) {
  return Read([&](MetadataTransaction& tx) { return tx.dentries().GetMany(space_id, ids); });
}

Result<DentryPage> MetadataStore::ListChildren(std::string_view space_id,
                                               std::string_view parent_id, const ListQuery& query) {
  auto range = RangeOf(query, query.order);
  if (!range) return range.error();
  auto rows = Read([&](MetadataTransaction& tx) {
    return tx.dentries().ListChildren(space_id, parent_id, *range);
  });
  if (!rows) return rows.error();
  return PageOf(std::move(*rows), query.limit, query.order);
}

Result<DentryPage> MetadataStore::ListAll(std::string_view space_id, const ListQuery& query) {
  auto range = RangeOf(query, DentryOrder::kModifiedTime);
  if (!range) return range.error();
  auto rows =
      Read([&](MetadataTransaction& tx) { return tx.dentries().ListAll(space_id, *range); });
  if (!rows) return rows.error();
  return PageOf(std::move(*rows), query.limit, DentryOrder::kModifiedTime);
}

Result<std::vector<DentryVersion>> MetadataStore::ListVersions(std::string_view dentry_id) {
  return Read([&](MetadataTransaction& tx) { return tx.dentries().ListVersions(dentry_id); });
}

Result<int64_t> MetadataStore::SumVersionBytes(std::string_view space_id) {
  return Read([&](MetadataTransaction& tx) { return tx.dentries().SumVersionBytes(space_id); });
}

// ---- Uploads and collection ----

Result<std::vector<std::string>> MetadataStore::ListExpiredUploads(int64_t now_millis, int limit) {
  return Read([&](MetadataTransaction& tx) { return tx.uploads().ListExpired(now_millis, limit); });
}

Result<int64_t> MetadataStore::CountOpenUploads(int64_t now_millis) {
  return Read([&](MetadataTransaction& tx) { return tx.uploads().CountOpen(now_millis); });
}

Result<bool> MetadataStore::IsBlobReferenced(std::string_view blob_id) {
  return Snapshot([&](MetadataTransaction& tx) -> Result<bool> {
    auto by_version = tx.dentries().IsBlobReferenced(blob_id);
    if (!by_version || *by_version) return by_version;
    return tx.uploads().IsBlobReferenced(blob_id);
  });
}

}  // namespace spacestore::domain
