// VipsThumbnailer: libvips behind the Thumbnailer port. vips_thumbnail_buffer does the work
// (shrink-on-load for JPEG and WebP, so a large photo is never decoded at full size); a header
// load with the format's own loader comes first, to refuse a decompression bomb by its declared
// size. Hand-written decoders were rejected: image parsers are where memory bugs live, and
// libvips' loaders (libjpeg-turbo, libspng, libnsgif, libwebp) are fuzzed upstream.
#include "storage/thumbnail/vips_thumbnailer.h"

#include <vips/vips.h>

#include <array>
#include <mutex>

namespace spacestore::storage {
namespace {

using domain::ImageFormat;

// The loaders left unblocked: one per sniffed format, buffers only. Type names: the block list
// does not take nicknames ("jpegload_buffer").
constexpr std::array<const char*, 4> kAllowedLoaders = {
    "VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", "VipsForeignLoadNsgifBuffer",
    "VipsForeignLoadWebpBuffer"};

struct ImageUnref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using ImagePtr = std::unique_ptr<VipsImage, ImageUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};

Error Failed(const char* subject, const char* message) {
  // The error text is process-wide in libvips and may hold another thread's message; ours is
  // fixed, and the buffer is emptied so it does not grow.
  vips_error_clear();
  return MakeError(Errc::kPreconditionFailed, subject, message);
}

Error Undecodable() {
  return Failed(domain::kSubjectThumbnailUndecodable, "the image cannot be decoded");
}

// The format's own loader, reading the header only (pixels are decoded on demand).
int LoadHeader(ImageFormat format, std::string_view content, VipsImage** out) {
  // The loaders take a non-const pointer but only read.
  void* data = const_cast<char*>(content.data());
  switch (format) {
    case ImageFormat::kJpeg:
      return vips_jpegload_buffer(data, content.size(), out, "fail_on", VIPS_FAIL_ON_ERROR,
                                  nullptr);
    case ImageFormat::kPng:
      return vips_pngload_buffer(data, content.size(), out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
    case ImageFormat::kGif:
      return vips_gifload_buffer(data, content.size(), out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
    case ImageFormat::kWebp:
      return vips_webpload_buffer(data, content.size(), out, "fail_on", VIPS_FAIL_ON_ERROR,
                                  nullptr);
  }
  return -1;
}

std::once_flag g_started_once;
bool g_started = false;

}  // namespace

Result<std::unique_ptr<VipsThumbnailer>> VipsThumbnailer::Create(const char* argv0) {
  std::call_once(g_started_once, [argv0] {
    if (VIPS_INIT(argv0) != 0) return;
    // libvips warns on stderr about every odd file it is given; stderr is the access log, and
    // the outcome is already in the Result.
    g_log_set_handler(
        "VIPS",
        static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
                                    G_LOG_LEVEL_DEBUG),
        [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    // Defence in depth behind the sniff: nothing untrusted, and no loader but the four.
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (const char* loader : kAllowedLoaders) vips_operation_block_set(loader, FALSE);
    g_started = true;
  });
  if (!g_started) {
    return MakeError(Errc::kUnavailable, "thumbnail", "libvips could not be started");
  }
  return std::unique_ptr<VipsThumbnailer>(new VipsThumbnailer());
}

void VipsThumbnailer::Shutdown() {
  if (!g_started) return;
  vips_shutdown();
  // libvips cannot start again in this process: a later Create answers kUnavailable.
  g_started = false;
}

Result<domain::ThumbnailImage> VipsThumbnailer::Render(std::string_view content,
                                                       int max_edge) const {
  if (static_cast<int64_t>(content.size()) > domain::kMaxThumbnailSourceBytes) {
    return Failed(domain::kSubjectThumbnailTooLarge, "the file is too large for a thumbnail");
  }
  const auto format = domain::SniffImageFormat(content);
  if (!format) {
    return Failed(domain::kSubjectThumbnailUnsupported,
                  "only JPEG, PNG, GIF and WebP images have thumbnails");
  }
  // Per-thread buffers libvips keeps for the calling thread go when the render is done: the
  // HTTP workers that call this live as long as the server.
  struct ThreadDone {
    ~ThreadDone() { vips_thread_shutdown(); }
  } thread_done;

  VipsImage* raw = nullptr;
  if (LoadHeader(*format, content, &raw) != 0) return Undecodable();
  ImagePtr header(raw);
  const int64_t pixels =
      static_cast<int64_t>(vips_image_get_width(raw)) * vips_image_get_height(raw);
  if (pixels <= 0) return Undecodable();
  if (pixels > domain::kMaxThumbnailPixels) {
    return Failed(domain::kSubjectThumbnailTooLarge, "the image has too many pixels");
  }
  header.reset();

  void* data = const_cast<char*>(content.data());
  raw = nullptr;
  if (vips_thumbnail_buffer(data, content.size(), &raw, max_edge, "height", max_edge, "size",
                            VIPS_SIZE_DOWN, "option_string", "fail_on=error", nullptr) != 0) {
    return Undecodable();
  }
  ImagePtr thumb(raw);
  raw = nullptr;
  if (vips_colourspace(thumb.get(), &raw, VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
    return Undecodable();
  }
  ImagePtr rgb(raw);

  const bool alpha = vips_image_hasalpha(rgb.get()) != 0;
  void* out = nullptr;
  size_t length = 0;
  // Encoding is where the pixels are actually decoded, so a corrupt body fails here.
  const int rc =
      alpha ? vips_pngsave_buffer(rgb.get(), &out, &length, "strip", TRUE, nullptr)
            : vips_jpegsave_buffer(rgb.get(), &out, &length, "Q", 80, "strip", TRUE, nullptr);
  std::unique_ptr<void, GFree> owned(out);
  if (rc != 0 || out == nullptr) return Undecodable();
  domain::ThumbnailImage image;
  image.bytes.assign(static_cast<const char*>(out), length);
  image.content_type = alpha ? "image/png" : "image/jpeg";
  image.width = vips_image_get_width(rgb.get());
  image.height = vips_image_get_height(rgb.get());
  return image;
}

}  // namespace spacestore::storage
