// The deletion aggregate in memory. A subtree is walked breadth-first over the name index,
// which holds exactly the NORMAL children of each folder.
#include "storage/metadata/memory/memory_recycle_records.h"

#include <algorithm>

namespace spacestore::storage::memory {
namespace {

bool Newer(const domain::RecycleItem& a, const domain::RecycleItem& b) {
  return std::tie(a.operator_time, a.id) > std::tie(b.operator_time, b.id);
}

}  // namespace

std::vector<std::string> MemoryRecycleRecords::Subtree(std::string_view space_id,
                                                       std::string_view root_id) const {
  std::vector<std::string> out;
  const auto root = state_.dentries.find(root_id);
  if (root == state_.dentries.end() || root->second.space_id != space_id ||
      root->second.status != domain::DentryStatus::kNormal) {
    return out;
  }
  out.emplace_back(root_id);
  const std::string space(space_id);
  for (size_t i = 0; i < out.size(); ++i) {
    if (!state_.dentries.at(out[i]).is_folder()) continue;
    const std::string parent = out[i];  // out grows below; keep a copy.
    for (auto n = state_.names.lower_bound({space, parent, ""});
         n != state_.names.end() && std::get<0>(n->first) == space &&
         std::get<1>(n->first) == parent;
         ++n) {
      out.push_back(n->second);
    }
  }
  return out;
}

std::vector<std::string> MemoryRecycleRecords::Owned(std::string_view space_id,
                                                     std::string_view item_id) const {
  std::vector<std::string> out;
  for (const auto& [dentry_id, owner] : state_.recycled_by) {
    if (owner != item_id) continue;
    const auto d = state_.dentries.find(dentry_id);
    if (d != state_.dentries.end() && d->second.space_id == space_id) out.push_back(dentry_id);
  }
  return out;
}

int64_t MemoryRecycleRecords::Purge(const std::vector<std::string>& ids) {
  int64_t bytes = 0;
  for (const auto& id : ids) {
    for (auto v = state_.versions.lower_bound({id, 0});
         v != state_.versions.end() && v->first.first == id;) {
      bytes += v->second.size;
      undo_.Remember(state_.versions, v->first);
      v = state_.versions.erase(v);
    }
    undo_.Remember(state_.recycled_by, id);
    state_.recycled_by.erase(id);
    undo_.Add([this, old = state_.dentries.at(id)] { state_.PutDentry(old); });
    state_.EraseDentry(id);
  }
  return bytes;
}

// RecycleRecords

Result<void> MemoryRecycleRecords::Insert(const domain::RecycleItem& item) {
  if (!state_.spaces.contains(item.space_id)) return NotFound("space", item.space_id);
  if (state_.recycle_items.contains(item.id)) return Exists("recycleItem", item.id);
  undo_.Remember(state_.recycle_items, item.id);
  state_.recycle_items.emplace(item.id, item);
  return {};
}

Result<domain::RecycleItem> MemoryRecycleRecords::Get(std::string_view corp_id,
                                                      std::string_view item_id) {
  const auto it = state_.recycle_items.find(item_id);
  if (it == state_.recycle_items.end() || it->second.corp_id != corp_id) {
    return NotFound("recycleItem", item_id);
  }
  return it->second;
}

Result<std::vector<domain::RecycleItem>> MemoryRecycleRecords::List(
    const domain::RecycleFilter& filter, const std::optional<domain::RecycleCursor>& after,
    int limit) {
  std::vector<domain::RecycleItem> rows;
  domain::RecycleItem at;
  if (after) {
    at.operator_time = after->operator_time;
    at.id = after->id;
  }
  for (const auto& [id, item] : state_.recycle_items) {
    if (item.corp_id != filter.corp_id) continue;
    if (filter.app_id && item.app_id != *filter.app_id) continue;
    if (filter.space_id && item.space_id != *filter.space_id) continue;
    if (after && !Newer(at, item)) continue;
    rows.push_back(item);
  }
  std::sort(rows.begin(), rows.end(), Newer);
  if (rows.size() > static_cast<size_t>(limit)) rows.resize(static_cast<size_t>(limit));
  return rows;
}

Result<void> MemoryRecycleRecords::Delete(std::string_view item_id) {
  const auto it = state_.recycle_items.find(item_id);
  if (it == state_.recycle_items.end()) return NotFound("recycleItem", item_id);
  undo_.Remember(state_.recycle_items, it->first);
  state_.recycle_items.erase(it);
  return {};
}

Result<int64_t> MemoryRecycleRecords::RecycleSubtree(std::string_view space_id,
                                                     std::string_view root_id,
                                                     std::string_view item_id) {
  const auto ids = Subtree(space_id, root_id);
  for (const auto& id : ids) {
    undo_.Remember(state_.recycled_by, id);
    state_.recycled_by.insert_or_assign(id, std::string(item_id));
    domain::Dentry d = state_.dentries.at(id);
    undo_.Add([this, old = d] { state_.PutDentry(old); });
    d.status = domain::DentryStatus::kDeleted;
    state_.PutDentry(d);
  }
  return std::ssize(ids);
}

Result<int64_t> MemoryRecycleRecords::RestoreRows(std::string_view space_id,
                                                  std::string_view item_id) {
  const auto ids = Owned(space_id, item_id);
  for (const auto& id : ids) {
    domain::Dentry d = state_.dentries.at(id);
    if (state_.names.contains({d.space_id, d.parent_id, d.name})) return Exists("dentry", d.name);
    undo_.Remember(state_.recycled_by, id);
    state_.recycled_by.erase(id);
    undo_.Add([this, old = d] { state_.PutDentry(old); });
    d.status = domain::DentryStatus::kNormal;
    state_.PutDentry(d);
  }
  return std::ssize(ids);
}

Result<int64_t> MemoryRecycleRecords::PurgeSubtree(std::string_view space_id,
                                                   std::string_view root_id) {
  return Purge(Subtree(space_id, root_id));
}

Result<int64_t> MemoryRecycleRecords::PurgeRows(std::string_view space_id,
                                                std::string_view item_id) {
  return Purge(Owned(space_id, item_id));
}

}  // namespace spacestore::storage::memory
