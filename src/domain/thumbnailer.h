#pragma once

#include <string_view>

#include "base/result.h"
#include "domain/thumbnail.h"

namespace spacestore::domain {

// Thumbnailer is the port that turns an image's bytes into a thumbnail. Adapter:
// storage/thumbnail/vips_thumbnailer (libvips). The domain has already sniffed the format and
// checked the byte limit; an adapter checks both again (it is the one that decodes).
// Thread-safety: implementations are safe to call concurrently.
class Thumbnailer {
 public:
  virtual ~Thumbnailer() = default;

  // A thumbnail of the first frame of `content`, fitted into `max_edge` x `max_edge` (never
  // enlarged). kPreconditionFailed with subject kSubjectThumbnailUnsupported (not one of
  // ImageFormat), kSubjectThumbnailTooLarge (more than kMaxThumbnailSourceBytes bytes, or a
  // header declaring more than kMaxThumbnailPixels pixels) or kSubjectThumbnailUndecodable
  // (truncated, corrupt or otherwise refused by the decoder). Never throws or aborts on
  // untrusted content.
  virtual Result<ThumbnailImage> Render(std::string_view content, int max_edge) const = 0;
};

}  // namespace spacestore::domain
