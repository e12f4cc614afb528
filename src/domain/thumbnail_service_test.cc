#include "domain/thumbnail_service.h"

#include <gtest/gtest.h>

#include <atomic>

#include "domain/dentry_service.h"
#include "storage/thumbnail/memory_thumbnail_store.h"
#include "upload_test_fixture.h"

namespace spacestore::domain {
namespace {

// Renders anything whose bytes say "bad" as undecodable and everything else as 4 x 3, and
// counts its calls: the service's caching is what is under test, not the decoder.
class CountingThumbnailer final : public Thumbnailer {
 public:
  Result<ThumbnailImage> Render(std::string_view content, int /*max_edge*/) const override {
    ++calls;
    if (content.find("bad") != std::string_view::npos) {
      return MakeError(Errc::kPreconditionFailed, kSubjectThumbnailUndecodable, "bad");
    }
    return ThumbnailImage{"jpeg-bytes", "image/jpeg", 4, 3};
  }
  mutable std::atomic<int> calls{0};
};

const std::string kPng = "\x89PNG\r\n\x1A\n-image";
const std::string kOtherPng = "\x89PNG\r\n\x1A\n-other";

class ThumbnailServiceTest : public UploadServiceTest {
 protected:
  Dentry File(const std::string& content, const std::string& name) {
    auto d = Commit(Upload(content, std::nullopt), name);
    EXPECT_TRUE(d) << d.error().message;
    return *d;
  }

  DentryService dentries_{store_, clock_, spaces_};
  storage::MemoryThumbnailStore cache_;
  CountingThumbnailer thumbnailer_;
  ThumbnailService thumbnails_{store_,
                               blobs_,
                               cache_,
                               thumbnailer_,
                               dentries_,
                               clock_,
                               ThumbnailServiceOptions{.url_ttl_seconds = 60}};
};

TEST_F(ThumbnailServiceTest, SameContentIsRenderedOnceWhateverTheFile) {
  const Dentry a = File(kPng, "a.png");
  const Dentry b = File(kPng, "b.png");
  auto first = thumbnails_.ForDentry(a);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->width, 4);
  EXPECT_EQ(first->height, 3);
  EXPECT_EQ(first->grant.kind, TransferGrant::Kind::kThumbnail);
  EXPECT_EQ(first->grant.dentry_id, a.id);
  EXPECT_EQ(first->grant.version, 1);
  EXPECT_EQ(first->grant.ttl_seconds, 60);
  ASSERT_TRUE(thumbnails_.ForDentry(b));
  ASSERT_TRUE(thumbnails_.Open(first->grant));
  EXPECT_EQ(thumbnailer_.calls, 1);
  ASSERT_TRUE(thumbnails_.ForDentry(File(kOtherPng, "c.png")));
  EXPECT_EQ(thumbnailer_.calls, 2);
}

TEST_F(ThumbnailServiceTest, DecoderRefusalsAreCachedAndNonImagesNeverDecoded) {
  const Dentry bad = File("\x89PNG\r\n\x1A\nbad", "bad.png");
  for (int i = 0; i < 2; ++i) {
    auto r = thumbnails_.ForDentry(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().subject, kSubjectThumbnailUndecodable);
  }
  EXPECT_EQ(thumbnailer_.calls, 1);
  auto text = thumbnails_.ForDentry(File("plain text", "a.png"));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().subject, kSubjectThumbnailUnsupported);
  EXPECT_EQ(thumbnailer_.calls, 1);
}

TEST_F(ThumbnailServiceTest, GetThumbnailsAnswersPerItem) {
  const Dentry png = File(kPng, "a.png");
  auto folder = dentries_.AddFolder(actor_, space_, "0", "pics", ConflictStrategy::kAutoRename, {});
  ASSERT_TRUE(folder);
  auto r = thumbnails_.GetThumbnails(actor_, space_, {png.id, folder->id, "404040404040"});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3U);
  EXPECT_TRUE((*r)[0].thumbnail);
  EXPECT_EQ((*r)[1].thumbnail.error().subject, kSubjectThumbnailUnsupported);
  EXPECT_EQ((*r)[2].thumbnail.error().code, Errc::kNotFound);
  auto none = thumbnails_.GetThumbnails(actor_, space_, {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kInvalidArgument);
}

TEST_F(ThumbnailServiceTest, OpenOfAGoneVersionIsNotFound) {
  const Dentry png = File(kPng, "a.png");
  auto info = thumbnails_.ForDentry(png);
  ASSERT_TRUE(info);
  TransferGrant missing = info->grant;
  missing.version = 2;
  EXPECT_EQ(thumbnails_.Open(missing).error().code, Errc::kNotFound);
  missing = info->grant;
  missing.dentry_id = "404040404040";
  EXPECT_EQ(thumbnails_.Open(missing).error().code, Errc::kNotFound);
}

TEST_F(ThumbnailServiceTest, CollectorRemovesThumbnailsWithTheirContent) {
  Collector collector{store_, blobs_, clock_, CollectorOptions{.blob_grace_seconds = 60}, &cache_};
  const Dentry kept = File(kPng, "kept.png");
  ASSERT_TRUE(thumbnails_.ForDentry(kept));
  // A thumbnail whose content is no longer stored (as a render racing the collector leaves).
  const std::string gone(64, 'e');
  ASSERT_TRUE(cache_.Put(gone, kThumbnailEdge, CachedThumbnail{}));
  clock_.AdvanceMillis(3'601'000);
  auto stats = collector.Collect();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->thumbnails_removed, 1);
  EXPECT_FALSE(*cache_.Get(gone, kThumbnailEdge));
  EXPECT_TRUE(*cache_.Get(kept.blob_id, kThumbnailEdge));
}

}  // namespace
}  // namespace spacestore::domain
