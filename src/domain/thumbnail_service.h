#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/dentry.h"
#include "domain/dentry_service.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/thumbnail.h"
#include "domain/thumbnail_store.h"
#include "domain/thumbnailer.h"
#include "domain/transfer_grant.h"

namespace spacestore::domain {

struct ThumbnailServiceOptions {
  // How long a thumbnail URL works, in seconds (as download URLs: --url-ttl). Default: 900.
  int64_t url_ttl_seconds = 900;
  // The thumbnail's longest edge, in pixels. Default: kThumbnailEdge (256).
  int edge = kThumbnailEdge;
};

// A thumbnail as a reply shows it: its pixel size and the grant its URL is made from.
struct ThumbnailInfo {
  int32_t width = 0;
  int32_t height = 0;
  TransferGrant grant;  // Kind kThumbnail, for the dentry's current version.
};

// One GetThumbnails answer: the thumbnail, or why this id has none.
struct ThumbnailResult {
  std::string dentry_id;
  Result<ThumbnailInfo> thumbnail;
};

// ThumbnailService makes thumbnails of image files lazily: the first request for a content's
// thumbnail reads the content (at most kMaxThumbnailSourceBytes), has the Thumbnailer render it
// and caches the result (or the reason it failed) in the ThumbnailStore under the content's
// blob id, so every later request, from any file or version with the same content, is a cache
// read. Only content whose first bytes are a JPEG, PNG, GIF or WebP signature ever reaches the
// decoder. Two requests racing on an uncached content both render it; the second write replaces
// the first with the same bytes.
// Thread-safety: safe for concurrent use. Borrows the stores, the thumbnailer, the dentry
// service and the clock.
class ThumbnailService {
 public:
  ThumbnailService(MetadataStore& store, BlobStore& blobs, ThumbnailStore& cache,
                   const Thumbnailer& thumbnailer, DentryService& dentries, const Clock& clock,
                   ThumbnailServiceOptions options);

  // GetDentryThumbnails: up to kMaxBatchIds dentries of a space, each answered on its own: a
  // missing, foreign or deleted id is kNotFound ("dentry"); a folder or a file that is no
  // image kPreconditionFailed (kSubjectThumbnailUnsupported); too big or undecodable content
  // the other thumbnail subjects; a store failure kUnavailable. kInvalidArgument ("dentryIds")
  // for an empty or too long list, kNotFound ("space") and the space's access errors fail the
  // whole call.
  Result<std::vector<ThumbnailResult>> GetThumbnails(const Actor& actor, std::string_view space_id,
                                                     const std::vector<std::string>& ids);

  // The thumbnail of a dentry the caller has already read (withThumbnail on the reads), with
  // the errors of one GetThumbnails item but kNotFound.
  Result<ThumbnailInfo> ForDentry(const Dentry& dentry);

  // The thumbnail bytes a kThumbnail grant (a verified URL) names, rendered if not cached.
  // kNotFound ("dentry", "version") when the file or version is gone; the thumbnail errors
  // when it cannot be made.
  Result<ThumbnailImage> Open(const TransferGrant& grant);

 private:
  // The cached or freshly rendered thumbnail of `blob_id` (`size` bytes).
  Result<ThumbnailImage> Thumbnail(const std::string& blob_id, int64_t size);
  // Reads and renders `blob_id`; caches the result or a decoder's refusal.
  Result<ThumbnailImage> Render(const std::string& blob_id, int64_t size);

  MetadataStore& store_;
  BlobStore& blobs_;
  ThumbnailStore& cache_;
  const Thumbnailer& thumbnailer_;
  DentryService& dentries_;
  const Clock& clock_;
  const ThumbnailServiceOptions options_;
};

}  // namespace spacestore::domain
