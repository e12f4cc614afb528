// MemoryThumbnailStore: a map under one mutex, ordered so that Remove and List walk one blob
// id's or one prefix's entries.
#include "storage/thumbnail/memory_thumbnail_store.h"

namespace spacestore::storage {

Result<std::optional<domain::CachedThumbnail>> MemoryThumbnailStore::Get(std::string_view blob_id,
                                                                         int edge) {
  MutexLock lock(mu_);
  auto it = entries_.find({std::string(blob_id), edge});
  if (it == entries_.end()) return std::optional<domain::CachedThumbnail>();
  return std::optional<domain::CachedThumbnail>(it->second);
}

Result<void> MemoryThumbnailStore::Put(std::string_view blob_id, int edge,
                                       const domain::CachedThumbnail& entry) {
  MutexLock lock(mu_);
  entries_[{std::string(blob_id), edge}] = entry;
  return {};
}

Result<void> MemoryThumbnailStore::Remove(std::string_view blob_id) {
  MutexLock lock(mu_);
  auto it = entries_.lower_bound({std::string(blob_id), 0});
  while (it != entries_.end() && it->first.first == blob_id) it = entries_.erase(it);
  return {};
}

Result<std::vector<std::string>> MemoryThumbnailStore::List(std::string_view prefix) {
  MutexLock lock(mu_);
  std::vector<std::string> out;
  for (auto it = entries_.lower_bound({std::string(prefix), 0});
       it != entries_.end() && it->first.first.starts_with(prefix); ++it) {
    if (out.empty() || out.back() != it->first.first) out.push_back(it->first.first);
  }
  return out;
}

}  // namespace spacestore::storage
