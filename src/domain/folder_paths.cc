// Paths from parent chains. The alternative, a path stored per row, makes a rename or move of a
// folder rewrite every row below it (100,000 rows for a large tree); computing it on read costs
// one indexed walk per distinct parent, which a listing page (one parent) hardly notices.
#include "domain/folder_paths.h"

#include <algorithm>

namespace spacestore::domain {

Result<std::string> FolderPaths::Of(std::string_view folder_id) {
  if (folder_id == kRootDentryId) return std::string();
  if (const auto it = folders_.find(std::string(folder_id)); it != folders_.end()) {
    return it->second;
  }
  auto chain = records_.Ancestry(space_id_, folder_id);
  if (!chain) return chain.error();
  // Top-down: each folder's path is its parent's plus its name; every prefix is remembered, so
  // the next walk that reaches one of these folders is answered from memory.
  std::string path;
  std::reverse(chain->begin(), chain->end());
  for (const AncestorLink& link : *chain) {
    if (const auto known = folders_.find(link.id); known != folders_.end()) {
      path = known->second;
      continue;
    }
    path.append("/").append(link.name);
    folders_.emplace(link.id, path);
  }
  if (chain->empty()) folders_.emplace(std::string(folder_id), path);
  return path;
}

Result<void> FolderPaths::Fill(Dentry& d) {
  auto parent = Of(d.parent_id);
  if (!parent) return parent.error();
  d.path = std::move(*parent);
  d.path.append("/").append(d.name);
  return {};
}

Result<void> FolderPaths::Fill(std::span<Dentry> dentries) {
  for (Dentry& d : dentries) {
    if (auto ok = Fill(d); !ok) return ok;
  }
  return {};
}

Result<bool> IsInSubtree(DentryRecords& records, std::string_view space_id,
                         std::string_view folder_id, std::string_view dentry_id) {
  if (folder_id == kRootDentryId) return false;
  auto chain = records.Ancestry(space_id, folder_id);
  if (!chain) return chain.error();
  return std::any_of(chain->begin(), chain->end(),
                     [&](const AncestorLink& link) { return link.id == dentry_id; });
}

}  // namespace spacestore::domain
