// Test images: a colour gradient, so encoders cannot shrink it to nothing.
#include "storage/thumbnail/thumbnail_test_images.h"

#include <vips/vips.h>
#include <zlib.h>

namespace spacestore::storage::testimages {
namespace {

VipsImage* Gradient(int width, int height, bool alpha) {
  VipsImage* x = nullptr;
  vips_xyz(&x, width, height, nullptr);  // Two bands: x and y.
  VipsImage* bands[3] = {nullptr, nullptr, nullptr};
  vips_extract_band(x, &bands[0], 0, nullptr);
  vips_extract_band(x, &bands[1], 1, nullptr);
  vips_linear1(bands[0], &bands[2], 0.5, 10.0, nullptr);
  VipsImage* joined = nullptr;
  vips_bandjoin(bands, &joined, 3, nullptr);
  VipsImage* out = nullptr;
  if (alpha) {
    VipsImage* with_alpha = nullptr;
    vips_bandjoin_const1(joined, &with_alpha, 128.0, nullptr);
    vips_cast_uchar(with_alpha, &out, nullptr);
    g_object_unref(with_alpha);
  } else {
    vips_cast_uchar(joined, &out, nullptr);
  }
  VipsImage* tagged = nullptr;
  vips_copy(out, &tagged, "interpretation", VIPS_INTERPRETATION_sRGB, nullptr);
  for (VipsImage* i : {x, bands[0], bands[1], bands[2], joined, out}) g_object_unref(i);
  return tagged;
}

std::string Take(void* buffer, size_t length) {
  std::string out(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return out;
}

}  // namespace

std::string Jpeg(int width, int height) {
  VipsImage* image = Gradient(width, height, false);
  void* buffer = nullptr;
  size_t length = 0;
  vips_jpegsave_buffer(image, &buffer, &length, nullptr);
  g_object_unref(image);
  return Take(buffer, length);
}

std::string Png(int width, int height, bool alpha) {
  VipsImage* image = Gradient(width, height, alpha);
  void* buffer = nullptr;
  size_t length = 0;
  vips_pngsave_buffer(image, &buffer, &length, nullptr);
  g_object_unref(image);
  return Take(buffer, length);
}

std::string Webp(int width, int height) {
  VipsImage* image = Gradient(width, height, false);
  void* buffer = nullptr;
  size_t length = 0;
  vips_webpsave_buffer(image, &buffer, &length, nullptr);
  g_object_unref(image);
  return Take(buffer, length);
}

std::string Gif1x1() {
  static const unsigned char kGif[] = {
      'G',  'I',  'F',  '8',  '9',  'a',  0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF,
      0xFF, 0x00, 0x00, 0x00, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00,
      0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B};
  return std::string(reinterpret_cast<const char*>(kGif), sizeof kGif);
}

std::string PngHeaderOnly(uint32_t width, uint32_t height) {
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  auto chunk = [&](const std::string& type, const std::string& data) {
    const std::string body = type + data;
    const auto crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
    return be32(static_cast<uint32_t>(data.size())) + body + be32(crc);
  };
  // 8-bit RGB, deflate, no filter, no interlace.
  const std::string ihdr = be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
  // A few deflated zero bytes: the start of a canvas that would inflate to gigabytes.
  const std::string idat("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9);
  return std::string("\x89PNG\r\n\x1A\n") + chunk("IHDR", ihdr) + chunk("IDAT", idat) +
         chunk("IEND", "");
}

}  // namespace spacestore::storage::testimages
