#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spacestore::domain {

// Thumbnails: small previews of image files, rendered from a file version's content on first
// request and cached with the content (docs/api/dingtalk-v1.md, "Thumbnails";
// docs/storage-format.md, "Thumbnails").

// The longest edge of a thumbnail, in pixels: an image is shrunk to fit 256 x 256, keeping its
// aspect ratio, and never enlarged.
inline constexpr int32_t kThumbnailEdge = 256;
// The largest content rendered: bigger files are refused before a byte is read (32 MiB).
inline constexpr int64_t kMaxThumbnailSourceBytes = int64_t{32} << 20;
// The most pixels (width x height of the first frame, from the header) an image may declare;
// more is refused before any pixel is decoded, so a small file claiming a huge canvas (a
// decompression bomb) costs nothing. 50 megapixels is a large camera's full frame.
inline constexpr int64_t kMaxThumbnailPixels = 50'000'000;

// The error subjects of a thumbnail that cannot be made (code kPreconditionFailed): not an
// image type that is rendered (folders included), past the size or pixel limit, or content
// that does not decode.
inline constexpr const char* kSubjectThumbnailUnsupported = "thumbnailUnsupported";
inline constexpr const char* kSubjectThumbnailTooLarge = "thumbnailTooLarge";
inline constexpr const char* kSubjectThumbnailUndecodable = "thumbnailUndecodable";

// The image formats thumbnails are made from. Anything else (SVG, PDF, TIFF, HEIF, RAW, ...:
// formats whose decoders run external programs, parse scripts or have a long record of
// exploits) is never handed to a decoder.
enum class ImageFormat { kJpeg, kPng, kGif, kWebp };

// How many leading bytes SniffImageFormat needs.
inline constexpr size_t kImageSniffBytes = 12;

// The format `head` (the first bytes of the content) starts like, by magic number only
// (JPEG FF D8 FF, PNG's 8-byte signature, GIF87a/GIF89a, RIFF....WEBP); nullopt for anything
// else. The file name plays no part.
std::optional<ImageFormat> SniffImageFormat(std::string_view head);

// A rendered thumbnail: the encoded bytes, their media type and the pixel size.
// Plain data; thread-compatible.
struct ThumbnailImage {
  std::string bytes;
  std::string content_type;  // "image/jpeg" or "image/png".
  int32_t width = 0;
  int32_t height = 0;
};

}  // namespace spacestore::domain
