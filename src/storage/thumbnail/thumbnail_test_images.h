#pragma once

#include <cstdint>
#include <string>

// Small images made in memory for the thumbnail tests (libvips encodes them; the PNG header of
// a decompression bomb is written by hand). Test-only.
namespace spacestore::storage::testimages {

std::string Jpeg(int width, int height);
std::string Png(int width, int height, bool alpha);
std::string Webp(int width, int height);
// The classic 1 x 1 GIF89a.
std::string Gif1x1();
// A PNG signature and IHDR chunk (with its CRC) declaring `width` x `height`, and no pixels.
std::string PngHeaderOnly(uint32_t width, uint32_t height);

}  // namespace spacestore::storage::testimages
