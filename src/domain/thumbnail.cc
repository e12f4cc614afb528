// Magic-number sniffing for thumbnails: the only gate between stored bytes and an image decoder,
// so it admits exactly four signatures and nothing the file name says.
#include "domain/thumbnail.h"

namespace spacestore::domain {

std::optional<ImageFormat> SniffImageFormat(std::string_view head) {
  using namespace std::string_view_literals;
  if (head.starts_with("\xFF\xD8\xFF"sv)) return ImageFormat::kJpeg;
  if (head.starts_with("\x89PNG\r\n\x1A\n"sv)) return ImageFormat::kPng;
  if (head.starts_with("GIF87a"sv) || head.starts_with("GIF89a"sv)) return ImageFormat::kGif;
  if (head.size() >= 12 && head.starts_with("RIFF"sv) && head.substr(8, 4) == "WEBP"sv) {
    return ImageFormat::kWebp;
  }
  return std::nullopt;
}

}  // namespace spacestore::domain
