#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/shared_mutex.h"
#include "base/thread_annotations.h"
#include "domain/dentry.h"
#include "domain/space.h"

namespace spacestore::domain {

// DentryCache remembers NORMAL dentries read from the metadata store, so that GetDentry and
// GetDentries can answer again without a query.
//
// Why it is never stale: a space's entries are tagged with the space's dentry_generation as a
// reader saw it *before* reading the dentries, and are served only to a reader that has just
// seen exactly that generation in the store. Every dentry write moves the generation in its
// own transaction, so equal generations mean the dentries read then are the ones committed
// now. Several nodes sharing one database each keep their own cache and stay exact.
//
// A space is known by its id and create_time together, so a deleted space's entries never
// serve a later space that happens to get the same id.
//
// Memory is bounded: at most `capacity_bytes`, counted from each dentry's strings (paths and
// appProperties values have no small limit). A dentry over 1/256 of that is not kept. When an
// insert would pass the budget, everything is dropped and filling starts over (a cache, not a
// store; the common working set is small).
// Entries are immutable and shared: a reader keeps its shared_ptr however the cache changes.
// Thread-safety: thread-safe; lookups share a reader lock.
class DentryCache {
 public:
  using Entry = std::shared_ptr<const Dentry>;

  explicit DentryCache(size_t capacity_bytes);

  // The cached dentry `id` of `space` at the generation `space` carries; null when unknown.
  Entry Find(const Space& space, std::string_view id) const;
  // Find for each of `ids`, written to `out[i]` (resized to ids.size()).
  void FindAll(const Space& space, std::span<const std::string> ids, std::vector<Entry>& out) const;

  // Remembers `dentries`, all of `space`, read from the store after `space` (with its
  // generation) was. Dentries of an older generation than the cached one are ignored; a newer
  // generation replaces the space's entries.
  void Add(const Space& space, std::span<const Entry> dentries);

  size_t size() const;   // Dentries held, for tests.
  size_t bytes() const;  // Their approximate footprint, for tests.
  // The footprint a dentry is counted with.
  static size_t Footprint(const Dentry& d);

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using ById = std::unordered_map<std::string, Entry, StringHash, std::equal_to<>>;
  struct SpaceEntries {
    int64_t create_time = 0;  // With the id, which space this is.
    int64_t generation = 0;
    ById by_id;
    size_t bytes = 0;
  };

  const SpaceEntries* Current(const Space& space) const SHARED_LOCKS_REQUIRED(mu_);

  const size_t capacity_bytes_;
  mutable SharedMutex mu_;
  std::unordered_map<std::string, SpaceEntries, StringHash, std::equal_to<>> spaces_
      GUARDED_BY(mu_);
  size_t size_ GUARDED_BY(mu_) = 0;   // Dentries.
  size_t bytes_ GUARDED_BY(mu_) = 0;  // Their footprint.
};

}  // namespace spacestore::domain
