#pragma once

#include <memory>
#include <string_view>

#include "domain/thumbnailer.h"

namespace spacestore::storage {

// VipsThumbnailer renders thumbnails with libvips (Debian's libvips-dev, 8.14). Only this file's
// .cc includes vips; nothing else sees glib or vips types.
//
// Untrusted content meets the decoder only after three gates: the magic-number sniff
// (domain::SniffImageFormat: JPEG, PNG, GIF, WebP), libvips' own operation block list (every
// loader blocked but the four buffer loaders of those formats, and every operation libvips
// marks untrusted), and the header check (at most kMaxThumbnailPixels pixels, read before any
// pixel is decoded). Loaders run with fail_on=error, so a truncated or corrupt image is an error
// rather than a half-grey picture.
//
// The output fits max_edge x max_edge, is never enlarged, is converted to sRGB, and is a JPEG
// (quality 80, metadata stripped) or a PNG when the image has an alpha channel.
//
// Thread-safety: Render is safe to call concurrently. Create starts libvips once per process:
// the operation cache off (each content is rendered once and then cached by the domain, and a
// cache keyed by buffer address could hand back another content's image) and one worker thread
// per render (the machines this runs on have few cores, and HTTP workers render in parallel).
class VipsThumbnailer final : public domain::Thumbnailer {
 public:
  // Starts libvips (VIPS_INIT, once per process, whatever the number of calls) and returns a
  // thumbnailer. kUnavailable when libvips cannot start. `argv0` is the program's name.
  static Result<std::unique_ptr<VipsThumbnailer>> Create(const char* argv0 = "spacestore");
  // Stops libvips at process exit (after the last Render); a no-op if it never started. A
  // later Create answers kUnavailable.
  static void Shutdown();

  // Thumbnailer
  Result<domain::ThumbnailImage> Render(std::string_view content, int max_edge) const override;

 private:
  VipsThumbnailer() = default;
};

}  // namespace spacestore::storage
