#include "storage/metadata/memory/memory_metadata_store.h"

#include <algorithm>

namespace spacestore::storage {
namespace {

Error NotFound(std::string subject, std::string_view id) {
  return MakeError(Errc::kNotFound, subject, subject + " " + std::string(id) + " not found");
}

Error Exists(std::string subject, std::string_view id) {
  return MakeError(Errc::kAlreadyExists, subject,
                   subject + " " + std::string(id) + " already exists");
}

}  // namespace

// MetadataStore

Result<void> MemoryMetadataStore::CreateOrg(const domain::Org& org) {
  std::lock_guard lock(mu_);
  if (!orgs_.emplace(org.corp_id, org).second) return Exists("org", org.corp_id);
  return {};
}

Result<domain::Org> MemoryMetadataStore::GetOrg(std::string_view corp_id) {
  std::lock_guard lock(mu_);
  const auto it = orgs_.find(corp_id);
  if (it == orgs_.end()) return NotFound("org", corp_id);
  return it->second;
}

Result<std::vector<domain::Org>> MemoryMetadataStore::ListOrgs() {
  std::lock_guard lock(mu_);
  std::vector<domain::Org> out;
  for (const auto& [id, org] : orgs_) out.push_back(org);
  return out;
}

Result<void> MemoryMetadataStore::CreateApp(const domain::App& app) {
  std::lock_guard lock(mu_);
  if (!orgs_.contains(app.corp_id)) return NotFound("org", app.corp_id);
  const bool key_taken = std::any_of(
      apps_.begin(), apps_.end(), [&](const auto& kv) { return kv.second.app_key == app.app_key; });
  if (key_taken || apps_.contains(app.app_id)) return Exists("app", app.app_key);
  apps_.emplace(app.app_id, app);
  return {};
}

Result<domain::App> MemoryMetadataStore::GetApp(std::string_view app_id) {
  std::lock_guard lock(mu_);
  const auto it = apps_.find(app_id);
  if (it == apps_.end()) return NotFound("app", app_id);
  return it->second;
}

Result<domain::App> MemoryMetadataStore::FindAppByKey(std::string_view app_key) {
  std::lock_guard lock(mu_);
  for (const auto& [id, app] : apps_) {
    if (app.app_key == app_key) return app;
  }
  return NotFound("app", app_key);
}

Result<std::vector<domain::App>> MemoryMetadataStore::ListApps(std::string_view corp_id) {
  std::lock_guard lock(mu_);
  std::vector<domain::App> out;
  for (const auto& [id, app] : apps_) {
    if (corp_id.empty() || app.corp_id == corp_id) out.push_back(app);
  }
  return out;
}

Result<void> MemoryMetadataStore::CreateUser(const domain::User& user) {
  std::lock_guard lock(mu_);
  if (!orgs_.contains(user.corp_id)) return NotFound("org", user.corp_id);
  if (!users_.emplace(UserKey{user.corp_id, user.union_id}, user).second) {
    return Exists("user", user.union_id);
  }
  return {};
}

Result<domain::User> MemoryMetadataStore::GetUser(std::string_view corp_id,
                                                  std::string_view union_id) {
  std::lock_guard lock(mu_);
  const auto it = users_.find(UserKey{corp_id, union_id});
  if (it == users_.end()) return NotFound("user", union_id);
  return it->second;
}

Result<std::vector<domain::User>> MemoryMetadataStore::ListUsers(std::string_view corp_id) {
  std::lock_guard lock(mu_);
  std::vector<domain::User> out;
  for (const auto& [key, user] : users_) {
    if (corp_id.empty() || user.corp_id == corp_id) out.push_back(user);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.union_id < b.union_id; });
  return out;
}

Result<std::string> MemoryMetadataStore::GetOrCreateSetting(std::string_view key,
                                                            std::string_view value_if_absent) {
  std::lock_guard lock(mu_);
  auto it = settings_.find(key);
  if (it == settings_.end()) it = settings_.emplace(key, value_if_absent).first;
  return it->second;
}

Result<domain::CreatedSpace> MemoryMetadataStore::CreateSpace(const domain::Space& space) {
  std::lock_guard lock(mu_);
  if (!orgs_.contains(space.corp_id)) return NotFound("org", space.corp_id);
  for (const auto& [id, existing] : spaces_) {
    if (existing.corp_id == space.corp_id && existing.app_id == space.app_id &&
        existing.scene == space.scene && existing.scene_id == space.scene_id) {
      return domain::CreatedSpace{existing, false};
    }
  }
  if (spaces_.contains(space.id)) return Exists("id", space.id);
  domain::Space& stored = spaces_.emplace(space.id, space).first->second;
  stored.dentry_generation = 0;  // The store's own, as in a fresh row.
  space_seq_[space.id] = next_seq_++;
  return domain::CreatedSpace{stored, true};
}

Result<domain::Space> MemoryMetadataStore::GetSpace(std::string_view corp_id,
                                                    std::string_view space_id) {
  std::lock_guard lock(mu_);
  const auto it = spaces_.find(space_id);
  if (it == spaces_.end() || it->second.corp_id != corp_id) return NotFound("space", space_id);
  return it->second;
}

Result<std::vector<domain::Space>> MemoryMetadataStore::ListSpaces(
    std::string_view corp_id, const domain::SpaceFilter& filter) {
  std::lock_guard lock(mu_);
  std::vector<domain::Space> out;
  for (const auto& [id, s] : spaces_) {
    if (s.corp_id != corp_id) continue;
    if (filter.owner_id && s.owner_id != *filter.owner_id) continue;
    if (filter.kind && s.kind != *filter.kind) continue;
    if (filter.app_id && s.app_id != *filter.app_id) continue;
    out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    return space_seq_.at(a.id) < space_seq_.at(b.id);
  });
  return out;
}

Result<domain::Space> MemoryMetadataStore::UpdateSpace(std::string_view corp_id,
                                                       std::string_view space_id,
                                                       const domain::SpaceUpdate& update) {
  std::lock_guard lock(mu_);
  const auto it = spaces_.find(space_id);
  if (it == spaces_.end() || it->second.corp_id != corp_id) return NotFound("space", space_id);
  domain::Space& s = it->second;
  if (update.quota_bytes) s.quota_bytes = *update.quota_bytes;
  if (update.disabled) s.disabled = *update.disabled;
  s.modifier_id = update.modifier_id;
  s.modified_time = update.modified_time;
  return s;
}

Result<void> MemoryMetadataStore::DeleteSpace(std::string_view corp_id, std::string_view space_id) {
  std::lock_guard lock(mu_);
  const auto it = spaces_.find(space_id);
  if (it == spaces_.end() || it->second.corp_id != corp_id) return NotFound("space", space_id);
  // Everything the space holds goes with it, so its blobs become unreferenced.
  std::vector<std::string> ids;
  for (const auto& [id, d] : dentries_) {
    if (d.space_id == space_id) ids.push_back(id);
  }
  for (const auto& id : ids) {
    std::erase_if(versions_, [&](const auto& kv) { return kv.first.first == id; });
    EraseDentryLocked(id);
  }
  for (auto u = uploads_.begin(); u != uploads_.end();) {
    if (u->second.space_id != space_id) {
      ++u;
      continue;
    }
    std::erase_if(parts_, [&](const auto& kv) { return kv.first.first == u->first; });
    u = uploads_.erase(u);
  }
  space_seq_.erase(it->first);
  spaces_.erase(it);
  return {};
}

Result<int64_t> MemoryMetadataStore::SumUsedBytes(std::string_view corp_id,
                                                  std::string_view app_id) {
  std::lock_guard lock(mu_);
  int64_t sum = 0;
  for (const auto& [id, s] : spaces_) {
    if (s.corp_id == corp_id && (app_id.empty() || s.app_id == app_id)) sum += s.used_bytes;
  }
  return sum;
}

}  // namespace spacestore::storage

// ---- Transactions and dentries ----

namespace spacestore::storage {

void MemoryMetadataStore::BumpGenerationLocked(const std::string& space_id) {
  if (const auto it = spaces_.find(space_id); it != spaces_.end()) ++it->second.dentry_generation;
}

void MemoryMetadataStore::PutDentryLocked(const domain::Dentry& d) {
  EraseDentryLocked(d.id);
  BumpGenerationLocked(d.space_id);
  dentries_[d.id] = d;
  if (d.status == domain::DentryStatus::kNormal) names_[{d.space_id, d.parent_id, d.name}] = d.id;
}

void MemoryMetadataStore::EraseDentryLocked(const std::string& id) {
  const auto it = dentries_.find(id);
  if (it == dentries_.end()) return;
  const domain::Dentry& old = it->second;
  BumpGenerationLocked(old.space_id);
  const auto name = names_.find({old.space_id, old.parent_id, old.name});
  if (name != names_.end() && name->second == id) names_.erase(name);
  dentries_.erase(it);
}

// The transaction view: applies writes directly (the store's mutex is held throughout) and
// records how to undo each one, so a failed transaction leaves no trace.
class MemoryMetadataStore::Txn final : public domain::MetadataTransaction {
 public:
  explicit Txn(MemoryMetadataStore& s) : s_(s) {}

  void Rollback() {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
    undo_.clear();
  }

  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override {
    const auto it = s_.spaces_.find(space_id);
    if (it == s_.spaces_.end() || it->second.corp_id != corp_id) return NotFound("space", space_id);
    return it->second;
  }

  Result<void> AdjustSpaceBytes(std::string_view space_id, int64_t used_delta,
                                int64_t reserved_delta) override {
    const auto it = s_.spaces_.find(space_id);
    if (it == s_.spaces_.end()) return NotFound("space", space_id);
    domain::Space& sp = it->second;
    if (sp.used_bytes + used_delta < 0 || sp.reserved_bytes + reserved_delta < 0) {
      return MakeError(Errc::kInternal, "space", "space byte counters would go negative");
    }
    undo_.push_back([&sp, used_delta, reserved_delta] {
      sp.used_bytes -= used_delta;
      sp.reserved_bytes -= reserved_delta;
    });
    sp.used_bytes += used_delta;
    sp.reserved_bytes += reserved_delta;
    return {};
  }

  Result<domain::UsageTotals> Totals(std::string_view corp_id, std::string_view app_id) override {
    const auto org = s_.orgs_.find(corp_id);
    if (org == s_.orgs_.end()) return NotFound("org", corp_id);
    domain::UsageTotals t;
    t.org_capacity = org->second.capacity_bytes;
    if (const auto app = s_.apps_.find(app_id); app != s_.apps_.end()) {
      t.app_quota = app->second.quota_bytes;
    }
    for (const auto& [id, sp] : s_.spaces_) {
      if (sp.corp_id != corp_id) continue;
      t.org_used += sp.used_bytes;
      t.org_reserved += sp.reserved_bytes;
      if (sp.app_id == app_id) {
        t.app_used += sp.used_bytes;
        t.app_reserved += sp.reserved_bytes;
      }
    }
    return t;
  }

  Result<domain::Dentry> GetDentry(std::string_view space_id, std::string_view dentry_id) override {
    const auto it = s_.dentries_.find(dentry_id);
    if (it == s_.dentries_.end() || it->second.space_id != space_id) {
      return NotFound("dentry", dentry_id);
    }
    return it->second;
  }

  Result<std::optional<domain::Dentry>> FindChild(std::string_view space_id,
                                                  std::string_view parent_id,
                                                  std::string_view name) override {
    const auto it =
        s_.names_.find({std::string(space_id), std::string(parent_id), std::string(name)});
    if (it == s_.names_.end()) return std::optional<domain::Dentry>();
    return std::optional<domain::Dentry>(s_.dentries_.at(it->second));
  }

  Result<void> InsertDentry(const domain::Dentry& d) override {
    if (!s_.spaces_.contains(d.space_id)) return NotFound("space", d.space_id);
    if (s_.dentries_.contains(d.id) || (d.status == domain::DentryStatus::kNormal &&
                                        s_.names_.contains({d.space_id, d.parent_id, d.name}))) {
      return Exists("dentry", d.name);
    }
    undo_.push_back([this, id = d.id] { s_.EraseDentryLocked(id); });
    s_.PutDentryLocked(d);
    return {};
  }

  Result<void> UpdateDentry(const domain::Dentry& d) override {
    const auto it = s_.dentries_.find(d.id);
    if (it == s_.dentries_.end() || it->second.space_id != d.space_id) {
      return NotFound("dentry", d.id);
    }
    const domain::Dentry old = it->second;
    if (d.status == domain::DentryStatus::kNormal) {
      const auto clash = s_.names_.find({d.space_id, d.parent_id, d.name});
      if (clash != s_.names_.end() && clash->second != d.id) return Exists("dentry", d.name);
    }
    domain::Dentry updated = old;  // Immutable fields stay as stored.
    updated.parent_id = d.parent_id;
    updated.name = d.name;
    updated.path = d.path;
    updated.size = d.size;
    updated.version = d.version;
    updated.status = d.status;
    updated.modifier_id = d.modifier_id;
    updated.modified_time = d.modified_time;
    updated.read_only = d.read_only;
    updated.blob_id = d.blob_id;
    updated.app_properties = d.app_properties;
    undo_.push_back([this, old] { s_.PutDentryLocked(old); });
    s_.PutDentryLocked(updated);
    return {};
  }

  Result<void> InsertVersion(const domain::DentryVersion& v) override {
    const std::pair<std::string, int64_t> key{v.dentry_id, v.version};
    if (s_.versions_.contains(key)) return Exists("version", v.dentry_id);
    undo_.push_back([this, key] { s_.versions_.erase(key); });
    s_.versions_.emplace(key, v);
    return {};
  }

  Result<domain::DentryVersion> GetVersion(std::string_view dentry_id, int64_t version) override {
    const auto it = s_.versions_.find({std::string(dentry_id), version});
    if (it == s_.versions_.end()) return NotFound("version", std::to_string(version));
    return it->second;
  }

  Result<domain::UploadSession> GetUpload(std::string_view key) override {
    const auto it = s_.uploads_.find(key);
    if (it == s_.uploads_.end()) return NotFound("upload", key);
    return it->second;
  }

  Result<void> PutUpload(const domain::UploadSession& u) override {
    Remember(s_.uploads_, u.key);
    s_.uploads_[u.key] = u;
    return {};
  }

  Result<void> DeleteUpload(std::string_view key) override {
    Remember(s_.uploads_, std::string(key));
    s_.uploads_.erase(std::string(key));
    for (auto it = s_.parts_.lower_bound({std::string(key), 0});
         it != s_.parts_.end() && it->first.first == key;) {
      Remember(s_.parts_, it->first);
      it = s_.parts_.erase(it);
    }
    return {};
  }

  Result<void> PutUploadPart(const domain::UploadPart& p) override {
    const std::pair<std::string, int32_t> key{p.upload_key, p.part_number};
    Remember(s_.parts_, key);
    s_.parts_[key] = p;
    return {};
  }

  Result<std::vector<domain::UploadPart>> ListUploadParts(std::string_view key) override {
    std::vector<domain::UploadPart> out;
    for (auto it = s_.parts_.lower_bound({std::string(key), 0});
         it != s_.parts_.end() && it->first.first == key; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

 private:
  // Records the current state of map[key] (present or absent) so Rollback can restore it.
  template <class Map, class Key>
  void Remember(Map& map, const Key& key) {
    const auto it = map.find(key);
    if (it == map.end()) {
      undo_.push_back([&map, key] { map.erase(key); });
    } else {
      undo_.push_back([&map, key, old = it->second] { map[key] = old; });
    }
  }

  MemoryMetadataStore& s_;
  std::vector<std::function<void()>> undo_;
};

Result<void> MemoryMetadataStore::Transact(
    const std::function<Result<void>(domain::MetadataTransaction&)>& fn) {
  std::lock_guard lock(mu_);
  Txn txn(*this);
  try {
    auto r = fn(txn);
    if (!r) txn.Rollback();
    return r;
  } catch (...) {
    txn.Rollback();  // Like SQLite's ROLLBACK when the transaction object unwinds.
    throw;
  }
}

Result<void> MemoryMetadataStore::View(
    const std::function<Result<void>(domain::MetadataTransaction&)>& fn) {
  return Transact(fn);  // One mutex serves both; a view that wrote would simply commit.
}

Result<domain::Dentry> MemoryMetadataStore::GetDentry(std::string_view space_id,
                                                      std::string_view dentry_id) {
  std::lock_guard lock(mu_);
  const auto it = dentries_.find(dentry_id);
  if (it == dentries_.end() || it->second.space_id != space_id) {
    return NotFound("dentry", dentry_id);
  }
  return it->second;
}

Result<std::vector<domain::Dentry>> MemoryMetadataStore::GetDentries(
    std::string_view space_id, const std::vector<std::string>& ids) {
  std::lock_guard lock(mu_);
  std::vector<domain::Dentry> out;
  for (const auto& id : ids) {
    const auto it = dentries_.find(id);
    if (it != dentries_.end() && it->second.space_id == space_id &&
        it->second.status == domain::DentryStatus::kNormal) {
      out.push_back(it->second);
    }
  }
  return out;
}

namespace {

// Compares two dentries by `order`, ties broken by id (names are unique among siblings).
bool Before(const domain::Dentry& a, const domain::Dentry& b, domain::DentryOrder order) {
  switch (order) {
    case domain::DentryOrder::kModifiedTime:
      return std::tie(a.modified_time, a.id) < std::tie(b.modified_time, b.id);
    case domain::DentryOrder::kCreateTime:
      return std::tie(a.create_time, a.id) < std::tie(b.create_time, b.id);
    case domain::DentryOrder::kSize:
      return std::tie(a.size, a.id) < std::tie(b.size, b.id);
    case domain::DentryOrder::kName:
      return a.name < b.name;
  }
  return false;
}

// Whether `d` sorts after the cursor position in the listing's direction.
bool AfterCursor(const domain::Dentry& d, const domain::Cursor& c, const domain::ListQuery& q) {
  domain::Dentry at;
  at.id = c.id;
  at.name = c.text;
  at.modified_time = at.create_time = at.size = c.number;
  return q.descending ? Before(d, at, q.order) : Before(at, d, q.order);
}

}  // namespace

Result<domain::DentryPage> MemoryMetadataStore::PageLocked(std::vector<domain::Dentry> rows,
                                                           const domain::ListQuery& query) {
  std::optional<domain::Cursor> cursor;
  if (!query.cursor.empty()) {
    auto c = domain::DecodeCursor(query.order, query.cursor);
    if (!c) return c.error();
    cursor = std::move(*c);
  }
  if (cursor) {
    std::erase_if(rows, [&](const domain::Dentry& d) { return !AfterCursor(d, *cursor, query); });
  }
  std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    return query.descending ? Before(b, a, query.order) : Before(a, b, query.order);
  });
  domain::DentryPage page;
  if (rows.size() > static_cast<size_t>(query.limit)) {
    rows.resize(static_cast<size_t>(query.limit));
    page.next_cursor = domain::EncodeCursor(query.order, rows.back());
  }
  page.dentries = std::move(rows);
  return page;
}

Result<domain::DentryPage> MemoryMetadataStore::ListChildren(std::string_view space_id,
                                                             std::string_view parent_id,
                                                             const domain::ListQuery& query) {
  std::lock_guard lock(mu_);
  std::vector<domain::Dentry> rows;
  for (const auto& [id, d] : dentries_) {
    if (d.space_id == space_id && d.parent_id == parent_id &&
        d.status == domain::DentryStatus::kNormal) {
      rows.push_back(d);
    }
  }
  return PageLocked(std::move(rows), query);
}

Result<domain::DentryPage> MemoryMetadataStore::ListAll(std::string_view space_id,
                                                        const domain::ListQuery& query) {
  std::lock_guard lock(mu_);
  std::vector<domain::Dentry> rows;
  for (const auto& [id, d] : dentries_) {
    if (d.space_id == space_id && d.status == domain::DentryStatus::kNormal) rows.push_back(d);
  }
  domain::ListQuery by_time = query;
  by_time.order = domain::DentryOrder::kModifiedTime;
  return PageLocked(std::move(rows), by_time);
}

Result<std::vector<domain::DentryVersion>> MemoryMetadataStore::ListVersions(
    std::string_view dentry_id) {
  std::lock_guard lock(mu_);
  std::vector<domain::DentryVersion> out;
  for (const auto& [key, v] : versions_) {
    if (key.first == dentry_id) out.push_back(v);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> MemoryMetadataStore::ListExpiredUploads(int64_t now_millis,
                                                                         int limit) {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [key, u] : uploads_) {
    if (u.expire_time < now_millis && std::ssize(out) < limit) out.push_back(key);
  }
  return out;
}

Result<bool> MemoryMetadataStore::IsBlobReferenced(std::string_view blob_id) {
  std::lock_guard lock(mu_);
  for (const auto& [k, v] : versions_) {
    if (v.blob_id == blob_id) return true;
  }
  for (const auto& [k, u] : uploads_) {
    if (u.blob_id == blob_id) return true;
  }
  for (const auto& [k, p] : parts_) {
    if (p.blob_id == blob_id) return true;
  }
  return false;
}

Result<int64_t> MemoryMetadataStore::SumVersionBytes(std::string_view space_id) {
  std::lock_guard lock(mu_);
  int64_t sum = 0;
  for (const auto& [key, v] : versions_) {
    const auto d = dentries_.find(v.dentry_id);
    if (d != dentries_.end() && d->second.space_id == space_id) sum += v.size;
  }
  return sum;
}

}  // namespace spacestore::storage
