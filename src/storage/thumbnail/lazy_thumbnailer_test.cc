#include "storage/thumbnail/lazy_thumbnailer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/thumbnail/thumbnail_test_images.h"
#include "storage/thumbnail/thumbnailer_module.h"
#include "temp_dir.h"

namespace spacestore::storage {
namespace {

// The module this build made (bin/, beside the spacestore binary).
std::filesystem::path Module() { return SPACESTORE_THUMBNAILER_MODULE; }

TEST(LazyThumbnailerTest, LoadsTheModuleOnTheFirstRenderAndRendersThroughIt) {
  int failures = 0;
  LazyThumbnailer thumbnailer(Module(), [&](const std::string&) { ++failures; });
  EXPECT_FALSE(thumbnailer.loaded());

  auto image = thumbnailer.Render(testimages::Jpeg(400, 300), 100);
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_TRUE(thumbnailer.loaded());
  EXPECT_EQ(image->content_type, "image/jpeg");
  EXPECT_EQ(image->width, 100);
  EXPECT_EQ(image->height, 75);
  EXPECT_EQ(failures, 0);
}

TEST(LazyThumbnailerTest, TheModuleKeepsTheRendererChecks) {
  LazyThumbnailer thumbnailer(Module());
  auto r = thumbnailer.Render("plain text, not an image", 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kPreconditionFailed);
  EXPECT_EQ(r.error().subject, domain::kSubjectThumbnailUnsupported);
}

TEST(LazyThumbnailerTest, ConcurrentFirstRendersLoadOnceAndAllSucceed) {
  std::atomic<int> failures = 0;
  LazyThumbnailer thumbnailer(Module(), [&](const std::string&) { ++failures; });
  const std::string png = testimages::Png(64, 64, /*alpha=*/true);
  std::atomic<int> rendered = 0;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto image = thumbnailer.Render(png, 32);
      if (image && image->content_type == "image/png" && image->width == 32) ++rendered;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(rendered, 4);
  EXPECT_EQ(failures, 0);
}

TEST(LazyThumbnailerTest, AMissingModuleAnswersUnavailableAndIsReportedOnce) {
  testing::TempDir dir;
  std::vector<std::string> reported;
  LazyThumbnailer thumbnailer(dir.path() / kThumbnailerModuleFile,
                              [&](const std::string& message) { reported.push_back(message); });
  for (int i = 0; i < 3; ++i) {
    auto r = thumbnailer.Render(testimages::Gif1x1(), 100);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kUnavailable);
  }
  EXPECT_FALSE(thumbnailer.loaded());
  ASSERT_EQ(reported.size(), 1U);
  EXPECT_NE(reported[0].find(kThumbnailerModuleFile), std::string::npos) << reported[0];
}

TEST(LazyThumbnailerTest, AFileThatIsNotTheModuleAnswersUnavailable) {
  testing::TempDir dir;
  const auto path = dir.path() / kThumbnailerModuleFile;
  std::ofstream(path) << "not a shared object";
  int failures = 0;
  LazyThumbnailer thumbnailer(path, [&](const std::string&) { ++failures; });
  auto r = thumbnailer.Render(testimages::Gif1x1(), 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnavailable);
  EXPECT_EQ(failures, 1);
}

TEST(LazyThumbnailerTest, ShutdownBeforeAnyRenderLoadsNothing) {
  int failures = 0;
  LazyThumbnailer thumbnailer(Module(), [&](const std::string&) { ++failures; });
  thumbnailer.Shutdown();
  auto r = thumbnailer.Render(testimages::Gif1x1(), 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnavailable);
  EXPECT_FALSE(thumbnailer.loaded());
  EXPECT_EQ(failures, 0);
}

TEST(LazyThumbnailerTest, TheModuleIsLookedForBesideTheExecutable) {
  const auto exe = std::filesystem::read_symlink("/proc/self/exe");
  EXPECT_EQ(LazyThumbnailer::ModuleBesideExecutable(), exe.parent_path() / kThumbnailerModuleFile);
  // The build puts this test, and the spacestore binary, beside the module.
  EXPECT_EQ(exe.parent_path(), Module().parent_path());
}

}  // namespace
}  // namespace spacestore::storage
