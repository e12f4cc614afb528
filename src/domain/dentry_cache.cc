#include "domain/dentry_cache.h"

#include <mutex>

namespace spacestore::domain {

DentryCache::DentryCache(size_t capacity) : capacity_(capacity) {}

const DentryCache::SpaceEntries* DentryCache::Current(const Space& space) const {
  const auto it = spaces_.find(std::string_view(space.id));
  if (it == spaces_.end() || it->second.generation != space.dentry_generation) return nullptr;
  return &it->second;
}

DentryCache::Entry DentryCache::Find(const Space& space, std::string_view id) const {
  std::shared_lock lock(mu_);
  const SpaceEntries* entries = Current(space);
  if (entries == nullptr) return nullptr;
  const auto it = entries->by_id.find(id);
  return it == entries->by_id.end() ? nullptr : it->second;
}

void DentryCache::FindAll(const Space& space, std::span<const std::string> ids,
                          std::vector<Entry>& out) const {
  out.assign(ids.size(), nullptr);
  std::shared_lock lock(mu_);
  const SpaceEntries* entries = Current(space);
  if (entries == nullptr) return;
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto it = entries->by_id.find(std::string_view(ids[i]));
    if (it != entries->by_id.end()) out[i] = it->second;
  }
}

void DentryCache::Add(const Space& space, std::span<const Entry> dentries) {
  if (dentries.empty() || dentries.size() > capacity_) return;
  std::unique_lock lock(mu_);
  auto it = spaces_.find(std::string_view(space.id));
  if (it != spaces_.end() && it->second.generation > space.dentry_generation) return;
  if (it != spaces_.end() && it->second.generation < space.dentry_generation) {
    size_ -= it->second.by_id.size();
    it->second.by_id.clear();
  }
  if (size_ + dentries.size() > capacity_) {
    spaces_.clear();
    size_ = 0;
    it = spaces_.end();
  }
  if (it == spaces_.end()) it = spaces_.emplace(space.id, SpaceEntries{}).first;
  SpaceEntries& entries = it->second;
  entries.generation = space.dentry_generation;
  for (const Entry& d : dentries) {
    if (entries.by_id.insert_or_assign(d->id, d).second) ++size_;
  }
}

size_t DentryCache::size() const {
  std::shared_lock lock(mu_);
  return size_;
}

}  // namespace spacestore::domain
