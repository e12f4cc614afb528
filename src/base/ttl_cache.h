#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/mutex.h"
#include "base/thread_annotations.h"

namespace spacestore {

// TtlCache remembers values for a short time, for hot reads whose answer rarely changes (an
// app's record, a user's membership) and that every request would otherwise fetch from the
// metadata store. It is never the source of truth: entries expire after `ttl_millis`, callers
// cache only what may be served that stale, and invariants are never checked against it.
// When full it is simply cleared, which bounds memory without bookkeeping.
// Thread-safety: thread-safe.
template <class V>
class TtlCache {
 public:
  TtlCache(int64_t ttl_millis, size_t max_entries)
      : ttl_millis_(ttl_millis), max_entries_(max_entries) {}

  // The value stored under `key` if it is younger than the TTL at `now_millis`.
  // Looked up by a view: a hit allocates nothing but the copy of the value.
  std::optional<V> Get(std::string_view key, int64_t now_millis) const {
    MutexLock lock(mu_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires <= now_millis) return std::nullopt;
    return it->second.value;
  }

  void Put(const std::string& key, V value, int64_t now_millis) {
    MutexLock lock(mu_);
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = Entry{std::move(value), now_millis + ttl_millis_};
  }

 private:
  struct Entry {
    V value;
    int64_t expires = 0;
  };
  // Hashes std::string and std::string_view alike, so that find takes a view.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  const int64_t ttl_millis_;
  const size_t max_entries_;
  mutable Mutex mu_;
  std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>> entries_ GUARDED_BY(mu_);
};

}  // namespace spacestore
