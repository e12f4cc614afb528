// The identity aggregate in memory.
#include "storage/metadata/memory/memory_identity_records.h"

#include <algorithm>

#include "storage/metadata/memory/memory_permission_records.h"

namespace spacestore::storage::memory {

// IdentityRecords

Result<void> MemoryIdentityRecords::InsertOrg(const domain::Org& org) {
  if (state_.orgs.contains(org.corp_id)) return Exists("org", org.corp_id);
  undo_.Remember(state_.orgs, org.corp_id);
  state_.orgs.emplace(org.corp_id, org);
  return {};
}

Result<domain::Org> MemoryIdentityRecords::GetOrg(std::string_view corp_id) {
  const auto it = state_.orgs.find(corp_id);
  if (it == state_.orgs.end()) return NotFound("org", corp_id);
  return it->second;
}

Result<std::vector<domain::Org>> MemoryIdentityRecords::ListOrgs() {
  std::vector<domain::Org> out;
  for (const auto& [id, org] : state_.orgs) out.push_back(org);
  return out;
}

Result<void> MemoryIdentityRecords::InsertApp(const domain::App& app) {
  if (!state_.orgs.contains(app.corp_id)) return NotFound("org", app.corp_id);
  const bool key_taken = std::any_of(state_.apps.begin(), state_.apps.end(), [&](const auto& kv) {
    return kv.second.app_key == app.app_key;
  });
  if (key_taken || state_.apps.contains(app.app_id)) return Exists("app", app.app_key);
  undo_.Remember(state_.apps, app.app_id);
  state_.apps.emplace(app.app_id, app);
  return {};
}

Result<domain::App> MemoryIdentityRecords::GetApp(std::string_view app_id) {
  const auto it = state_.apps.find(app_id);
  if (it == state_.apps.end()) return NotFound("app", app_id);
  return it->second;
}

Result<domain::App> MemoryIdentityRecords::FindAppByKey(std::string_view app_key) {
  for (const auto& [id, app] : state_.apps) {
    if (app.app_key == app_key) return app;
  }
  return NotFound("app", app_key);
}

Result<std::vector<domain::App>> MemoryIdentityRecords::ListApps(std::string_view corp_id) {
  std::vector<domain::App> out;
  for (const auto& [id, app] : state_.apps) {
    if (corp_id.empty() || app.corp_id == corp_id) out.push_back(app);
  }
  return out;
}

Result<void> MemoryIdentityRecords::InsertUser(const domain::User& user) {
  if (!state_.orgs.contains(user.corp_id)) return NotFound("org", user.corp_id);
  const MemoryState::UserKey key{user.corp_id, user.union_id};
  if (state_.users.contains(key)) return Exists("user", user.union_id);
  undo_.Remember(state_.users, key);
  state_.users.emplace(key, user);
  return {};
}

Result<domain::User> MemoryIdentityRecords::GetUser(std::string_view corp_id,
                                                    std::string_view union_id) {
  const auto it = state_.users.find(MemoryState::UserKey{corp_id, union_id});
  if (it == state_.users.end()) return NotFound("user", union_id);
  return it->second;
}

Result<void> MemoryIdentityRecords::SetUserPassword(std::string_view corp_id,
                                                    std::string_view union_id,
                                                    std::string_view password_hash) {
  const MemoryState::UserKey key{std::string(corp_id), std::string(union_id)};
  const auto it = state_.users.find(key);
  if (it == state_.users.end()) return NotFound("user", union_id);
  undo_.Remember(state_.users, key);
  it->second.password_hash = std::string(password_hash);
  return {};
}

Result<std::vector<domain::User>> MemoryIdentityRecords::ListUsers(std::string_view corp_id) {
  std::vector<domain::User> out;
  for (const auto& [key, user] : state_.users) {
    if (corp_id.empty() || user.corp_id == corp_id) out.push_back(user);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.union_id < b.union_id; });
  return out;
}

Result<void> MemoryIdentityRecords::DeleteUser(std::string_view corp_id,
                                               std::string_view union_id) {
  const MemoryState::UserKey key{std::string(corp_id), std::string(union_id)};
  if (!state_.users.contains(key)) return NotFound("user", union_id);
  undo_.Remember(state_.users, key);
  state_.users.erase(key);
  // What made it a member goes in the same transaction (the permission aggregate's tables).
  MemoryPermissionRecords permissions(state_, undo_);
  permissions.EraseUserMemberships(corp_id, union_id);
  if (auto removed = permissions.RemoveMemberGrants(corp_id, domain::MemberType::kUser, union_id);
      !removed) {
    return removed.error();
  }
  return permissions.TouchOrg(corp_id);
}

Result<std::optional<std::string>> MemoryIdentityRecords::GetSetting(std::string_view key) {
  const auto it = state_.settings.find(key);
  if (it == state_.settings.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Result<void> MemoryIdentityRecords::InsertSetting(std::string_view key, std::string_view value) {
  if (state_.settings.contains(key)) return Exists("setting", key);
  undo_.Remember(state_.settings, std::string(key));
  state_.settings.emplace(key, value);
  return {};
}

Result<bool> MemoryIdentityRecords::AcquireLease(std::string_view name, std::string_view holder,
                                                 int64_t now_millis, int64_t until_millis) {
  const auto it = state_.leases.find(name);
  if (it != state_.leases.end() && it->second.holder != holder &&
      it->second.expires_at > now_millis) {
    return false;
  }
  undo_.Remember(state_.leases, std::string(name));
  state_.leases.insert_or_assign(std::string(name),
                                 MemoryState::Lease{std::string(holder), until_millis});
  return true;
}

Result<bool> MemoryIdentityRecords::HoldsLease(std::string_view name, std::string_view holder,
                                               int64_t now_millis) {
  const auto it = state_.leases.find(name);
  return it != state_.leases.end() && it->second.holder == holder &&
         it->second.expires_at > now_millis;
}

Result<void> MemoryIdentityRecords::ReleaseLease(std::string_view name, std::string_view holder) {
  const auto it = state_.leases.find(name);
  if (it == state_.leases.end() || it->second.holder != holder) return {};
  undo_.Remember(state_.leases, std::string(name));
  state_.leases.erase(std::string(name));
  return {};
}

}  // namespace spacestore::storage::memory
