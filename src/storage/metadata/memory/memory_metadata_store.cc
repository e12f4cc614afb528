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
  spaces_.emplace(space.id, space);
  space_seq_[space.id] = next_seq_++;
  return domain::CreatedSpace{space, true};
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
