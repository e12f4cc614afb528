// Thumbnails: any bytes given to the libvips renderer give a thumbnail that fits 256 x 256 or
// one of the three documented refusals; never a crash, a hang or another error. The seeds are
// tiny JPEG, PNG, GIF and WebP images, so mutations reach the decoders behind the sniff.
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/thumbnail.h"
#include "fuzz_check.h"
#include "storage/thumbnail/vips_thumbnailer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace domain = spacestore::domain;
  static const auto thumbnailer = spacestore::storage::VipsThumbnailer::Create("thumbnail_fuzz");
  FUZZ_CHECK(thumbnailer.has_value());
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  auto r = (*thumbnailer)->Render(content, domain::kThumbnailEdge);
  if (r) {
    FUZZ_CHECK(domain::SniffImageFormat(content).has_value());
    FUZZ_CHECK(r->width >= 1 && r->width <= domain::kThumbnailEdge);
    FUZZ_CHECK(r->height >= 1 && r->height <= domain::kThumbnailEdge);
    FUZZ_CHECK(!r->bytes.empty());
    FUZZ_CHECK(r->content_type == "image/jpeg" || r->content_type == "image/png");
    FUZZ_CHECK(domain::SniffImageFormat(r->bytes).has_value());
  } else {
    const std::string& subject = r.error().subject;
    FUZZ_CHECK(r.error().code == spacestore::Errc::kPreconditionFailed);
    FUZZ_CHECK(subject == domain::kSubjectThumbnailUnsupported ||
               subject == domain::kSubjectThumbnailTooLarge ||
               subject == domain::kSubjectThumbnailUndecodable);
  }
  return 0;
}
