#pragma once

#include <filesystem>
#include <memory>

#include "domain/thumbnail_store.h"

namespace spacestore::storage {

// LocalThumbnailStore keeps thumbnails as files beside the blobs (docs/storage-format.md,
// "Thumbnails"):
//   <root>/<aa>/<blob id>.<edge>   one entry: a two-line text header, then the image bytes
//   <root>/<aa>/.<random>.tmp      an entry being written
// An entry is written to a temporary file (0600), fsynced and renamed into place, so a reader
// never sees part of one; the directory is not fsynced, as an entry lost in a crash is only
// rendered again. An entry that does not parse reads as missing.
// Thread-safety: thread-safe (the file system is the only shared state).
class LocalThumbnailStore final : public domain::ThumbnailStore {
 public:
  // Creates `root` (0700) if needed. kUnavailable if it cannot be created.
  static Result<std::unique_ptr<LocalThumbnailStore>> OpenDirectory(
      const std::filesystem::path& root);

  // ThumbnailStore
  Result<std::optional<domain::CachedThumbnail>> Get(std::string_view blob_id, int edge) override;
  Result<void> Put(std::string_view blob_id, int edge,
                   const domain::CachedThumbnail& entry) override;
  Result<void> Remove(std::string_view blob_id) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;

 private:
  explicit LocalThumbnailStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path PathOf(std::string_view blob_id, int edge) const;

  const std::filesystem::path root_;
};

}  // namespace spacestore::storage
