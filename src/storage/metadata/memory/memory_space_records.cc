// The space aggregate in memory.
#include "storage/metadata/memory/memory_space_records.h"

#include <algorithm>

#include "storage/metadata/memory/memory_open_records.h"
#include "storage/metadata/memory/memory_permission_records.h"

namespace spacestore::storage::memory {
namespace {

bool Matches(const domain::Space& s, std::string_view corp_id, const domain::SpaceFilter& f) {
  return s.corp_id == corp_id && (!f.owner_id || s.owner_id == *f.owner_id) &&
         (!f.kind || s.kind == *f.kind) && (!f.app_id || s.app_id == *f.app_id);
}

}  // namespace

// SpaceRecords

Result<void> MemorySpaceRecords::Insert(const domain::Space& space) {
  if (!state_.orgs.contains(space.corp_id)) return NotFound("org", space.corp_id);
  for (const auto& [id, s] : state_.spaces) {
    if (id == space.id || (s.corp_id == space.corp_id && s.app_id == space.app_id &&
                           s.scene == space.scene && s.scene_id == space.scene_id)) {
      return Exists("id", space.id);
    }
  }
  undo_.Remember(state_.spaces, space.id);
  undo_.Remember(state_.space_seq, space.id);
  domain::Space& stored = state_.spaces.emplace(space.id, space).first->second;
  stored.dentry_generation = 0;  // The store's own, as in a fresh row.
  stored.permission_generation = 0;
  state_.space_seq[space.id] = state_.next_seq++;
  return {};
}

Result<std::optional<domain::Space>> MemorySpaceRecords::FindByScene(std::string_view corp_id,
                                                                     std::string_view app_id,
                                                                     std::string_view scene,
                                                                     std::string_view scene_id) {
  for (const auto& [id, s] : state_.spaces) {
    if (s.corp_id == corp_id && s.app_id == app_id && s.scene == scene && s.scene_id == scene_id) {
      return std::optional<domain::Space>(s);
    }
  }
  return std::optional<domain::Space>();
}

Result<domain::Space> MemorySpaceRecords::Get(std::string_view corp_id, std::string_view space_id) {
  const auto it = state_.spaces.find(space_id);
  if (it == state_.spaces.end() || it->second.corp_id != corp_id) {
    return NotFound("space", space_id);
  }
  return it->second;
}

Result<std::vector<domain::Space>> MemorySpaceRecords::List(std::string_view corp_id,
                                                            const domain::SpaceFilter& filter) {
  std::vector<domain::Space> out;
  for (const auto& [id, s] : state_.spaces) {
    if (Matches(s, corp_id, filter)) out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    return state_.space_seq.at(a.id) < state_.space_seq.at(b.id);
  });
  return out;
}

Result<void> MemorySpaceRecords::UpdateSettings(const domain::Space& space) {
  const auto it = state_.spaces.find(space.id);
  if (it == state_.spaces.end() || it->second.corp_id != space.corp_id) {
    return NotFound("space", space.id);
  }
  undo_.Remember(state_.spaces, space.id);
  domain::Space& s = it->second;
  s.name = space.name;
  s.quota_bytes = space.quota_bytes;
  s.disabled = space.disabled;
  s.capabilities = space.capabilities;
  s.modifier_id = space.modifier_id;
  s.modified_time = space.modified_time;
  return {};
}

Result<void> MemorySpaceRecords::Delete(std::string_view corp_id, std::string_view space_id) {
  const auto it = state_.spaces.find(space_id);
  if (it == state_.spaces.end() || it->second.corp_id != corp_id) {
    return NotFound("space", space_id);
  }
  // Everything the space holds goes with it, so its blobs become unreferenced.
  const std::string id(space_id);
  std::vector<std::string> dentry_ids;
  for (const auto& [key, d] : state_.dentries) {
    if (d.space_id == id) dentry_ids.push_back(key);
  }
  for (const auto& dentry_id : dentry_ids) {
    std::erase_if(state_.versions, [&](const auto& kv) {
      if (kv.first.first != dentry_id) return false;
      undo_.Remember(state_.versions, kv.first);
      return true;
    });
    undo_.Remember(state_.recycled_by, dentry_id);
    state_.recycled_by.erase(dentry_id);
    undo_.Add([this, old = state_.dentries.at(dentry_id)] { state_.PutDentry(old); });
    state_.EraseDentry(dentry_id);
  }
  std::erase_if(state_.recycle_items, [&](const auto& kv) {
    if (kv.second.space_id != id) return false;
    undo_.Remember(state_.recycle_items, kv.first);
    return true;
  });
  std::erase_if(state_.uploads, [&](const auto& kv) {
    if (kv.second.space_id != id) return false;
    std::erase_if(state_.parts, [&](const auto& part) {
      if (part.first.first != kv.first) return false;
      undo_.Remember(state_.parts, part.first);
      return true;
    });
    undo_.Remember(state_.uploads, kv.first);
    return true;
  });
  MemoryPermissionRecords(state_, undo_).EraseSpaceGrants(id);
  MemoryOpenRecords(state_, undo_).EraseSpace(id);
  undo_.Remember(state_.space_seq, id);
  undo_.Remember(state_.spaces, id);
  state_.space_seq.erase(id);
  state_.spaces.erase(id);
  return {};
}

Result<void> MemorySpaceRecords::AdjustBytes(std::string_view space_id, int64_t used_delta,
                                             int64_t reserved_delta) {
  const auto it = state_.spaces.find(space_id);
  if (it == state_.spaces.end()) return NotFound("space", space_id);
  domain::Space& sp = it->second;
  if (sp.used_bytes + used_delta < 0 || sp.reserved_bytes + reserved_delta < 0) {
    return MakeError(Errc::kInternal, "space", "space byte counters would go negative");
  }
  undo_.Add([&sp, used_delta, reserved_delta] {
    sp.used_bytes -= used_delta;
    sp.reserved_bytes -= reserved_delta;
  });
  sp.used_bytes += used_delta;
  sp.reserved_bytes += reserved_delta;
  return {};
}

Result<domain::UsageTotals> MemorySpaceRecords::Totals(std::string_view corp_id,
                                                       std::string_view app_id) {
  const auto org = state_.orgs.find(corp_id);
  if (org == state_.orgs.end()) return NotFound("org", corp_id);
  domain::UsageTotals t;
  t.org_capacity = org->second.capacity_bytes;
  if (const auto app = state_.apps.find(app_id); app != state_.apps.end()) {
    t.app_quota = app->second.quota_bytes;
  }
  for (const auto& [id, sp] : state_.spaces) {
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

Result<int64_t> MemorySpaceRecords::SumUsedBytes(std::string_view corp_id,
                                                 std::string_view app_id) {
  int64_t sum = 0;
  for (const auto& [id, s] : state_.spaces) {
    if (s.corp_id == corp_id && (app_id.empty() || s.app_id == app_id)) sum += s.used_bytes;
  }
  return sum;
}

}  // namespace spacestore::storage::memory
