// ThumbnailService: lazy thumbnails cached by content. The cache key is the blob id (SHA-256),
// not the dentry, so renames, moves, copies and identical uploads share one rendering, and a
// new version gets its own. Failures that depend only on the content (too many pixels, corrupt
// bytes) are cached too: a decompression bomb or a broken file is examined once. Whether the
// content is an image at all is decided from its first bytes on every request instead: that
// read is cheap, and caching it would leave an entry behind for every non-image file listed
// withThumbnail.
#include "domain/thumbnail_service.h"

#include "domain/memory_only.h"

#include <utility>

#include "domain/placement.h"

namespace spacestore::domain {
namespace {

Error Unsupported(std::string message) {
  return MakeError(Errc::kPreconditionFailed, kSubjectThumbnailUnsupported, std::move(message));
}

Error TooLarge() {
  return MakeError(Errc::kPreconditionFailed, kSubjectThumbnailTooLarge,
                   "the file is larger than thumbnails are made for (32 MiB)");
}

// Reads `n` bytes at `offset`; fewer only at the end of the blob.
Result<std::string> ReadBytes(BlobReader& reader, int64_t offset, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    auto r = reader.ReadAt(offset + static_cast<int64_t>(got), out.data() + got, n - got);
    if (!r) return r.error();
    if (*r == 0) break;
    got += *r;
  }
  out.resize(got);
  return out;
}

}  // namespace

ThumbnailService::ThumbnailService(MetadataStore& store, BlobStore& blobs, ThumbnailStore& cache,
                                   const Thumbnailer& thumbnailer, DentryService& dentries,
                                   const Clock& clock, ThumbnailServiceOptions options)
    : store_(store),
      blobs_(blobs),
      cache_(cache),
      thumbnailer_(thumbnailer),
      dentries_(dentries),
      clock_(clock),
      options_(options) {}

Result<std::vector<ThumbnailResult>> ThumbnailService::GetThumbnails(
    const Actor& actor, std::string_view space_id, const std::vector<std::string>& ids) {
  auto found = dentries_.GetDentries(actor, space_id, ids);
  if (!found) return found.error();
  std::vector<ThumbnailResult> out;
  out.reserve(found->size());
  for (auto& item : *found) {
    if (!item.dentry) {
      out.push_back({item.dentry_id, item.dentry.error()});
      continue;
    }
    out.push_back({item.dentry_id, ForDentry(**item.dentry)});
  }
  return out;
}

Result<ThumbnailInfo> ThumbnailService::ForDentry(const Dentry& dentry) {
  if (dentry.is_folder()) return Unsupported("a folder has no thumbnail");
  // Reading the cache, the blob and rendering all wait: never on a thread that must not.
  if (MemoryOnly::Refuse()) {
    return MakeError(Errc::kUnavailable, "thumbnail", "not rendered from memory");
  }
  auto image = Thumbnail(dentry.blob_id, dentry.size);
  if (!image) return image.error();
  ThumbnailInfo info;
  info.width = image->width;
  info.height = image->height;
  info.grant.kind = TransferGrant::Kind::kThumbnail;
  info.grant.space_id = dentry.space_id;
  info.grant.dentry_id = dentry.id;
  info.grant.version = dentry.version;
  info.grant.issued_at = clock_.NowMillis();
  info.grant.ttl_seconds = options_.url_ttl_seconds;
  return info;
}

Result<ThumbnailImage> ThumbnailService::Open(const TransferGrant& grant) {
  auto d = LiveDentry(store_.GetDentry(grant.space_id, grant.dentry_id), grant.dentry_id);
  if (!d) return d.error();
  if (d->is_folder()) return Unsupported("a folder has no thumbnail");
  auto stored = store_.Read(
      [&](MetadataTransaction& tx) { return tx.dentries().GetVersion(d->id, grant.version); });
  if (!stored) return stored.error();
  return Thumbnail(stored->blob_id, stored->size);
}

Result<ThumbnailImage> ThumbnailService::Thumbnail(const std::string& blob_id, int64_t size) {
  if (size == 0) return Unsupported("an empty file has no thumbnail");
  if (size > kMaxThumbnailSourceBytes) return TooLarge();
  auto cached = cache_.Get(blob_id, options_.edge);
  if (!cached) return cached.error();
  if (*cached) {
    if ((*cached)->image) return std::move(*(*cached)->image);
    return MakeError(Errc::kPreconditionFailed, (*cached)->failure,
                     "the image cannot be made into a thumbnail");
  }
  return Render(blob_id, size);
}

Result<ThumbnailImage> ThumbnailService::Render(const std::string& blob_id, int64_t size) {
  auto reader = blobs_.Open(blob_id);
  if (!reader) return reader.error();
  // The signature first: a file that is no image is not read whole.
  auto head = ReadBytes(**reader, 0, kImageSniffBytes);
  if (!head) return head.error();
  if (!SniffImageFormat(*head)) {
    return Unsupported("only JPEG, PNG, GIF and WebP images have thumbnails");
  }
  auto content = ReadBytes(**reader, 0, static_cast<size_t>(size));
  if (!content) return content.error();
  auto image = thumbnailer_.Render(*content, options_.edge);
  CachedThumbnail entry;
  if (image) {
    entry.image = *image;
  } else if (image.error().code == Errc::kPreconditionFailed) {
    entry.failure = image.error().subject;
  } else {
    return image.error();
  }
  // A cache that cannot be written (a full disk) costs a render next time, not this answer.
  static_cast<void>(cache_.Put(blob_id, options_.edge, entry));
  return image;
}

}  // namespace spacestore::domain
