// The dentry aggregate in memory. Listings sort the matching rows on each call: the store is
// for tests and throwaway instances, where folders are small.
#include "storage/metadata/memory/memory_dentry_records.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "domain/folder_paths.h"

namespace spacestore::storage::memory {
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
bool AfterCursor(const domain::Dentry& d, const domain::Cursor& c, const domain::PageRange& r) {
  domain::Dentry at;
  at.id = c.id;
  at.name = c.text;
  at.modified_time = at.create_time = at.size = c.number;
  return r.descending ? Before(d, at, r.order) : Before(at, d, r.order);
}

bool IsLive(const domain::Dentry& d) { return d.status == domain::DentryStatus::kNormal; }

}  // namespace

std::vector<domain::Dentry> MemoryDentryRecords::Page(std::vector<domain::Dentry> rows,
                                                      const domain::PageRange& range) {
  if (range.after) {
    std::erase_if(rows,
                  [&](const domain::Dentry& d) { return !AfterCursor(d, *range.after, range); });
  }
  std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    return range.descending ? Before(b, a, range.order) : Before(a, b, range.order);
  });
  if (rows.size() > static_cast<size_t>(range.limit)) rows.resize(static_cast<size_t>(range.limit));
  return rows;
}

Result<std::vector<domain::Dentry>> MemoryDentryRecords::WithPaths(
    std::string_view space_id, std::vector<domain::Dentry> rows) {
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(rows); !ok) return ok.error();
  return rows;
}

std::vector<std::string> MemoryDentryRecords::Descendants(std::string_view space_id,
                                                          std::string_view root_id) const {
  std::unordered_map<std::string, std::vector<std::string>> children;
  for (const auto& [id, d] : state_.dentries) {
    if (d.space_id == space_id && IsLive(d)) children[d.parent_id].push_back(id);
  }
  std::vector<std::string> out;
  std::vector<std::string> pending = {std::string(root_id)};
  while (!pending.empty()) {
    const std::string folder = std::move(pending.back());
    pending.pop_back();
    const auto it = children.find(folder);
    if (it == children.end()) continue;
    for (const auto& id : it->second) {
      out.push_back(id);
      pending.push_back(id);
    }
  }
  return out;
}

// DentryRecords

Result<domain::Dentry> MemoryDentryRecords::Get(std::string_view space_id,
                                                std::string_view dentry_id) {
  const auto it = state_.dentries.find(dentry_id);
  if (it == state_.dentries.end() || it->second.space_id != space_id) {
    return NotFound("dentry", dentry_id);
  }
  domain::Dentry d = it->second;
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(d); !ok) return ok.error();
  return d;
}

Result<std::vector<domain::Dentry>> MemoryDentryRecords::GetMany(
    std::string_view space_id, const std::vector<std::string>& ids) {
  std::vector<domain::Dentry> out;
  for (const auto& id : ids) {
    const auto it = state_.dentries.find(id);
    if (it != state_.dentries.end() && it->second.space_id == space_id && IsLive(it->second)) {
      out.push_back(it->second);
    }
  }
  return WithPaths(space_id, std::move(out));
}

Result<std::optional<domain::Dentry>> MemoryDentryRecords::FindChild(std::string_view space_id,
                                                                     std::string_view parent_id,
                                                                     std::string_view name) {
  const auto it =
      state_.names.find({std::string(space_id), std::string(parent_id), std::string(name)});
  if (it == state_.names.end()) return std::optional<domain::Dentry>();
  domain::Dentry d = state_.dentries.at(it->second);
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(d); !ok) return ok.error();
  return std::optional<domain::Dentry>(std::move(d));
}

Result<void> MemoryDentryRecords::Insert(const domain::Dentry& d) {
  if (!state_.spaces.contains(d.space_id)) return NotFound("space", d.space_id);
  if (state_.dentries.contains(d.id) ||
      (IsLive(d) && state_.names.contains({d.space_id, d.parent_id, d.name}))) {
    return Exists("dentry", d.name);
  }
  undo_.Add([this, id = d.id] { state_.EraseDentry(id); });
  state_.PutDentry(d);
  return {};
}

Result<void> MemoryDentryRecords::Update(const domain::Dentry& d) {
  const auto it = state_.dentries.find(d.id);
  if (it == state_.dentries.end() || it->second.space_id != d.space_id) {
    return NotFound("dentry", d.id);
  }
  if (IsLive(d)) {
    const auto clash = state_.names.find({d.space_id, d.parent_id, d.name});
    if (clash != state_.names.end() && clash->second != d.id) return Exists("dentry", d.name);
  }
  const domain::Dentry old = it->second;
  domain::Dentry updated = old;  // Immutable fields stay as stored.
  updated.parent_id = d.parent_id;
  updated.name = d.name;
  updated.size = d.size;
  updated.version = d.version;
  updated.status = d.status;
  updated.modifier_id = d.modifier_id;
  updated.modified_time = d.modified_time;
  updated.read_only = d.read_only;
  updated.blob_id = d.blob_id;
  updated.app_properties = d.app_properties;
  undo_.Add([this, old] { state_.PutDentry(old); });
  state_.PutDentry(updated);
  return {};
}

Result<std::vector<domain::Dentry>> MemoryDentryRecords::ListChildren(
    std::string_view space_id, std::string_view parent_id, const domain::PageRange& range) {
  std::vector<domain::Dentry> rows;
  for (const auto& [id, d] : state_.dentries) {
    if (d.space_id == space_id && d.parent_id == parent_id && IsLive(d)) rows.push_back(d);
  }
  return WithPaths(space_id, Page(std::move(rows), range));
}

Result<std::vector<domain::Dentry>> MemoryDentryRecords::ListAll(std::string_view space_id,
                                                                 const domain::PageRange& range) {
  std::vector<domain::Dentry> rows;
  for (const auto& [id, d] : state_.dentries) {
    if (d.space_id == space_id && IsLive(d)) rows.push_back(d);
  }
  return WithPaths(space_id, Page(std::move(rows), range));
}

Result<std::vector<domain::AncestorLink>> MemoryDentryRecords::Ancestry(
    std::string_view space_id, std::string_view folder_id) {
  std::vector<domain::AncestorLink> out;
  std::string id(folder_id);
  while (out.size() < static_cast<size_t>(domain::kMaxFolderDepth)) {
    const auto it = state_.dentries.find(id);
    if (it == state_.dentries.end() || it->second.space_id != space_id) break;
    const domain::Dentry& d = it->second;
    out.push_back(domain::AncestorLink{d.id, d.parent_id, d.name});
    if (d.parent_id == domain::kRootDentryId) break;
    id = d.parent_id;
  }
  return out;
}

Result<int64_t> MemoryDentryRecords::Rehome(std::string_view space_id, std::string_view root_id,
                                            std::string_view target_space_id,
                                            std::string_view target_parent_id,
                                            std::string_view name) {
  const auto root = state_.dentries.find(root_id);
  if (root == state_.dentries.end() || root->second.space_id != space_id) {
    return NotFound("dentry", root_id);
  }
  if (!state_.spaces.contains(target_space_id)) return NotFound("space", target_space_id);
  domain::Dentry moved = root->second;
  moved.space_id = target_space_id;
  moved.parent_id = target_parent_id;
  moved.name = name;
  if (IsLive(moved)) {
    const auto clash = state_.names.find({moved.space_id, moved.parent_id, moved.name});
    if (clash != state_.names.end() && clash->second != moved.id) return Exists("dentry", name);
  }
  const std::vector<std::string> ids = Descendants(space_id, root_id);
  for (const std::string& id : ids) {
    domain::Dentry d = state_.dentries.at(id);
    undo_.Add([this, d] { state_.PutDentry(d); });
    d.space_id = target_space_id;
    state_.PutDentry(d);
  }
  undo_.Add([this, old = root->second] { state_.PutDentry(old); });
  state_.PutDentry(moved);
  return static_cast<int64_t>(ids.size()) + 1;
}

Result<void> MemoryDentryRecords::InsertVersion(const domain::DentryVersion& v) {
  const std::pair<std::string, int64_t> key{v.dentry_id, v.version};
  if (state_.versions.contains(key)) return Exists("version", v.dentry_id);
  undo_.Remember(state_.versions, key);
  state_.versions.emplace(key, v);
  return {};
}

Result<domain::DentryVersion> MemoryDentryRecords::GetVersion(std::string_view dentry_id,
                                                              int64_t version) {
  const auto it = state_.versions.find({std::string(dentry_id), version});
  if (it == state_.versions.end()) return NotFound("version", std::to_string(version));
  return it->second;
}

Result<std::vector<domain::DentryVersion>> MemoryDentryRecords::ListVersions(
    std::string_view dentry_id) {
  std::vector<domain::DentryVersion> out;
  for (auto it = state_.versions.lower_bound({std::string(dentry_id), 0});
       it != state_.versions.end() && it->first.first == dentry_id; ++it) {
    out.push_back(it->second);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<domain::DentryVersion>> MemoryDentryRecords::ListVersionsPage(
    std::string_view dentry_id, std::optional<int64_t> before, int limit) {
  std::vector<domain::DentryVersion> out;
  const auto first = state_.versions.lower_bound({std::string(dentry_id), 0});
  // Walks back from the first version numbered `before` or above (or past the file's last).
  auto it = before ? state_.versions.lower_bound({std::string(dentry_id), *before})
                   : state_.versions.upper_bound(
                         {std::string(dentry_id), std::numeric_limits<int64_t>::max()});
  while (it != first && std::ssize(out) < limit) {
    --it;
    out.push_back(it->second);
  }
  return out;
}

Result<int64_t> MemoryDentryRecords::SumVersionBytes(std::string_view space_id) {
  int64_t sum = 0;
  for (const auto& [key, v] : state_.versions) {
    const auto d = state_.dentries.find(v.dentry_id);
    if (d != state_.dentries.end() && d->second.space_id == space_id) sum += v.size;
  }
  return sum;
}

Result<bool> MemoryDentryRecords::IsBlobReferenced(std::string_view blob_id) {
  return std::any_of(state_.versions.begin(), state_.versions.end(),
                     [&](const auto& kv) { return kv.second.blob_id == blob_id; });
}

Result<std::vector<domain::DentryVersion>> MemoryDentryRecords::ListSpaceVersions(
    std::string_view space_id, std::string_view after_dentry_id, int64_t after_version, int limit) {
  std::vector<domain::DentryVersion> out;
  for (auto it = state_.versions.upper_bound({std::string(after_dentry_id), after_version});
       it != state_.versions.end() && std::ssize(out) < limit; ++it) {
    const auto d = state_.dentries.find(it->second.dentry_id);
    if (d != state_.dentries.end() && d->second.space_id == space_id) out.push_back(it->second);
  }
  return out;
}

Result<std::vector<domain::Dentry>> MemoryDentryRecords::ListSubtree(std::string_view space_id,
                                                                     std::string_view root_id) {
  std::vector<domain::Dentry> out;
  const auto root = state_.dentries.find(root_id);
  if (root == state_.dentries.end() || root->second.space_id != space_id ||
      root->second.status != domain::DentryStatus::kNormal) {
    return out;
  }
  out.push_back(root->second);
  // Breadth first over the name index (NORMAL rows only): a folder's children follow it.
  const std::string space(space_id);
  for (size_t next = 0; next < out.size(); ++next) {
    if (!out[next].is_folder()) continue;
    const std::string parent = out[next].id;
    for (auto it = state_.names.lower_bound({space, parent, ""});
         it != state_.names.end() && std::get<0>(it->first) == space &&
         std::get<1>(it->first) == parent;
         ++it) {
      out.push_back(state_.dentries.at(it->second));
    }
  }
  return out;
}

Result<domain::SubtreeTotals> MemoryDentryRecords::MeasureSubtree(std::string_view space_id,
                                                                  std::string_view root_id) {
  auto rows = ListSubtree(space_id, root_id);
  if (!rows) return rows.error();
  domain::SubtreeTotals totals{std::ssize(*rows), 0, 0};
  for (const auto& d : *rows) {
    if (d.is_folder()) continue;
    totals.file_bytes += d.size;
    for (auto v = state_.versions.lower_bound({d.id, 0});
         v != state_.versions.end() && v->first.first == d.id; ++v) {
      totals.version_bytes += v->second.size;
    }
  }
  return totals;
}

}  // namespace spacestore::storage::memory
