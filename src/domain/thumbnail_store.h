#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/thumbnail.h"

namespace spacestore::domain {

// What is cached for one (content, edge): the thumbnail, or the reason it cannot be made (an
// error subject of thumbnail.h), so a corrupt image is decoded once, not on every listing.
struct CachedThumbnail {
  std::optional<ThumbnailImage> image;
  std::string failure;  // Empty when `image` is set.
};

// ThumbnailStore is the port for rendered thumbnails, keyed by the SHA-256 of the content they
// were made from (a blob id) and the edge size: the same content in many files or versions is
// rendered once. A cache: everything in it can be made again from the content, so a lost entry
// costs a render, never data. Adapters: storage/thumbnail/{local,memory}_thumbnail_store.
// Thread-safety: implementations are thread-safe.
class ThumbnailStore {
 public:
  virtual ~ThumbnailStore() = default;

  // The entry for (`blob_id`, `edge`), or nullopt. kUnavailable on I/O errors.
  virtual Result<std::optional<CachedThumbnail>> Get(std::string_view blob_id, int edge) = 0;
  // Stores (replaces) the entry for (`blob_id`, `edge`) durably and atomically: a reader sees
  // the old entry or the new, never part of one. kUnavailable on I/O errors.
  virtual Result<void> Put(std::string_view blob_id, int edge, const CachedThumbnail& entry) = 0;
  // Removes every entry of `blob_id` (all edges); removing none succeeds.
  virtual Result<void> Remove(std::string_view blob_id) = 0;
  // The blob ids that have entries and start with `prefix` (the collector's slices).
  virtual Result<std::vector<std::string>> List(std::string_view prefix) = 0;
};

}  // namespace spacestore::domain
