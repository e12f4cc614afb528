#include "storage/thumbnail/vips_thumbnailer.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <array>
#include <cstdint>
#include <string>

#include "storage/thumbnail/thumbnail_test_images.h"

namespace spacestore::storage {
namespace {

using domain::kSubjectThumbnailTooLarge;
using domain::kSubjectThumbnailUndecodable;
using domain::kSubjectThumbnailUnsupported;

class VipsThumbnailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = VipsThumbnailer::Create();
    ASSERT_TRUE(t) << t.error().message;
    thumbnailer_ = std::move(*t);
  }

  // Width and height of encoded bytes, decoded again by libvips.
  static std::pair<int, int> SizeOf(const std::string& bytes) {
    VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
    if (image == nullptr) return {0, 0};
    std::pair<int, int> size{vips_image_get_width(image), vips_image_get_height(image)};
    g_object_unref(image);
    return size;
  }

  void ExpectFailure(const std::string& content, const char* subject) {
    auto r = thumbnailer_->Render(content, 256);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kPreconditionFailed);
    EXPECT_EQ(r.error().subject, subject);
  }

  std::unique_ptr<VipsThumbnailer> thumbnailer_;
};

TEST_F(VipsThumbnailerTest, ShrinksJpegToFitKeepingAspect) {
  auto r = thumbnailer_->Render(testimages::Jpeg(640, 480), 256);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->content_type, "image/jpeg");
  EXPECT_EQ(r->width, 256);
  EXPECT_EQ(r->height, 192);
  EXPECT_EQ(SizeOf(r->bytes), std::make_pair(256, 192));
}

TEST_F(VipsThumbnailerTest, TallPngFitsTheHeight) {
  auto r = thumbnailer_->Render(testimages::Png(300, 900, false), 256);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->width, 85);
  EXPECT_EQ(r->height, 256);
  EXPECT_EQ(SizeOf(r->bytes), std::make_pair(85, 256));
}

TEST_F(VipsThumbnailerTest, PngWithAlphaStaysPngAndSmallImagesAreNotEnlarged) {
  auto r = thumbnailer_->Render(testimages::Png(100, 50, true), 256);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->content_type, "image/png");
  EXPECT_EQ(r->width, 100);
  EXPECT_EQ(r->height, 50);
  EXPECT_TRUE(r->bytes.starts_with("\x89PNG"));
}

TEST_F(VipsThumbnailerTest, RendersGifAndWebp) {
  auto gif = thumbnailer_->Render(testimages::Gif1x1(), 256);
  ASSERT_TRUE(gif) << gif.error().message;
  EXPECT_EQ(gif->width, 1);
  auto webp = thumbnailer_->Render(testimages::Webp(512, 512), 256);
  ASSERT_TRUE(webp) << webp.error().message;
  EXPECT_EQ(webp->width, 256);
  EXPECT_EQ(webp->height, 256);
}

TEST_F(VipsThumbnailerTest, TruncatedImagesAreUndecodable) {
  const std::string png = testimages::Png(400, 400, false);
  ExpectFailure(png.substr(0, png.size() / 2), kSubjectThumbnailUndecodable);
  const std::string jpeg = testimages::Jpeg(400, 400);
  ExpectFailure(jpeg.substr(0, jpeg.size() / 2), kSubjectThumbnailUndecodable);
  ExpectFailure(std::string("\x89PNG\r\n\x1A\n") + std::string(100, 'x'),
                kSubjectThumbnailUndecodable);
  ExpectFailure("\xFF\xD8\xFF garbage", kSubjectThumbnailUndecodable);
}

TEST_F(VipsThumbnailerTest, BombHeaderIsRefusedBeforeDecoding) {
  // A 100,000 x 100,000 canvas declared in a file of a few dozen bytes.
  ExpectFailure(testimages::PngHeaderOnly(100000, 100000), kSubjectThumbnailTooLarge);
  // Just past the pixel limit.
  ExpectFailure(testimages::PngHeaderOnly(10000, 5001), kSubjectThumbnailTooLarge);
}

TEST_F(VipsThumbnailerTest, NonImagesAndRiskyFormatsAreUnsupported) {
  ExpectFailure("hello, world", kSubjectThumbnailUnsupported);
  ExpectFailure("", kSubjectThumbnailUnsupported);
  ExpectFailure("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
                kSubjectThumbnailUnsupported);
  ExpectFailure("%PDF-1.4\n", kSubjectThumbnailUnsupported);
  ExpectFailure(std::string("II*\0", 4) + std::string(100, '\0'), kSubjectThumbnailUnsupported);
}

TEST_F(VipsThumbnailerTest, ContentPastTheByteLimitIsTooLarge) {
  std::string big = testimages::Jpeg(16, 16);
  big.resize(static_cast<size_t>(domain::kMaxThumbnailSourceBytes) + 1, '\0');
  ExpectFailure(big, kSubjectThumbnailTooLarge);
}

TEST_F(VipsThumbnailerTest, CreateIsIdempotent) {
  auto again = VipsThumbnailer::Create();
  ASSERT_TRUE(again);
  EXPECT_TRUE((*again)->Render(testimages::Png(8, 8, false), 256));
}

}  // namespace
}  // namespace spacestore::storage
