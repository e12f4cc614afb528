#pragma once

#include <map>
#include <string>
#include <utility>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "domain/thumbnail_store.h"

namespace spacestore::storage {

// MemoryThumbnailStore keeps thumbnails in process memory, for the memory blob backend and
// tests. Entries live as long as the store.
// Thread-safety: thread-safe (one mutex).
class MemoryThumbnailStore final : public domain::ThumbnailStore {
 public:
  // ThumbnailStore
  Result<std::optional<domain::CachedThumbnail>> Get(std::string_view blob_id, int edge) override;
  Result<void> Put(std::string_view blob_id, int edge,
                   const domain::CachedThumbnail& entry) override;
  Result<void> Remove(std::string_view blob_id) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

 private:
  Mutex mu_;
  std::map<std::pair<std::string, int>, domain::CachedThumbnail> entries_ GUARDED_BY(mu_);
};

}  // namespace spacestore::storage
