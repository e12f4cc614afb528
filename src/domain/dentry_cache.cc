#include "domain/dentry_cache.h"

namespace spacestore::domain {

DentryCache::DentryCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

size_t DentryCache::Footprint(const Dentry& d) {
  // The object, its shared_ptr block and map node, and every string's bytes (the id twice: it
  // is also the key).
  size_t n = sizeof(Dentry) + 96 + 2 * d.id.size();
  for (const std::string* s : {&d.space_id, &d.parent_id, &d.uuid, &d.name, &d.path, &d.creator_id,
                               &d.modifier_id, &d.blob_id}) {
    n += s->size();
  }
  for (const AppProperty& p : d.app_properties) {
    n += sizeof(AppProperty) + p.app_id.size() + p.name.size() + p.value.size();
  }
  return n;
}

const DentryCache::SpaceEntries* DentryCache::Current(const Space& space) const {
  const auto it = spaces_.find(std::string_view(space.id));
  if (it == spaces_.end() || it->second.create_time != space.create_time ||
      it->second.generation != space.dentry_generation) {
    return nullptr;
  }
  return &it->second;
}

DentryCache::Entry DentryCache::Find(const Space& space, std::string_view id) const {
  ReaderMutexLock lock(mu_);
  const SpaceEntries* entries = Current(space);
  if (entries == nullptr) return nullptr;
  const auto it = entries->by_id.find(id);
  return it == entries->by_id.end() ? nullptr : it->second;
}

void DentryCache::FindAll(const Space& space, std::span<const std::string> ids,
                          std::vector<Entry>& out) const {
  out.assign(ids.size(), nullptr);
  ReaderMutexLock lock(mu_);
  const SpaceEntries* entries = Current(space);
  if (entries == nullptr) return;
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto it = entries->by_id.find(std::string_view(ids[i]));
    if (it != entries->by_id.end()) out[i] = it->second;
  }
}

void DentryCache::Add(const Space& space, std::span<const Entry> dentries) {
  std::vector<std::pair<const Entry*, size_t>> kept;  // Each with its footprint.
  size_t incoming = 0;
  for (const Entry& d : dentries) {
    const size_t n = Footprint(*d);
    if (n > capacity_bytes_ / 256) continue;  // Too big to be worth the room.
    kept.emplace_back(&d, n);
    incoming += n;
  }
  if (kept.empty() || incoming > capacity_bytes_) return;
  WriterMutexLock lock(mu_);
  auto it = spaces_.find(std::string_view(space.id));
  if (it != spaces_.end()) {
    SpaceEntries& old = it->second;
    const bool same_space = old.create_time == space.create_time;
    if (same_space && old.generation > space.dentry_generation) return;  // A slow reader.
    if (!same_space || old.generation < space.dentry_generation) {
      size_ -= old.by_id.size();
      bytes_ -= old.bytes;
      old.by_id.clear();
      old.bytes = 0;
    }
  }
  if (bytes_ + incoming > capacity_bytes_) {
    spaces_.clear();
    size_ = 0;
    bytes_ = 0;
    it = spaces_.end();
  }
  if (it == spaces_.end()) it = spaces_.emplace(space.id, SpaceEntries{}).first;
  SpaceEntries& entries = it->second;
  entries.create_time = space.create_time;
  entries.generation = space.dentry_generation;
  for (const auto& [d, n] : kept) {
    const auto [slot, inserted] = entries.by_id.try_emplace((*d)->id, *d);
    if (!inserted) {
      const size_t replaced = Footprint(*slot->second);
      entries.bytes -= replaced;
      bytes_ -= replaced;
      slot->second = *d;
    } else {
      ++size_;
    }
    entries.bytes += n;
    bytes_ += n;
  }
}

size_t DentryCache::size() const {
  ReaderMutexLock lock(mu_);
  return size_;
}

size_t DentryCache::bytes() const {
  ReaderMutexLock lock(mu_);
  return bytes_;
}

}  // namespace spacestore::domain
