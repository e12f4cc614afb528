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

// Renders three times with the module at `path`, each refused with kUnavailable and nothing
// loaded; returns the load failures reported.
std::vector<std::string> RefusedRenders(const std::filesystem::path& path) {
  std::vector<std::string> reported;
  LazyThumbnailer thumbnailer(path,
                              [&](const std::string& message) { reported.push_back(message); });
  for (int i = 0; i < 3; ++i) {
    auto r = thumbnailer.Render(testimages::Gif1x1(), 100);
    EXPECT_FALSE(r);
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::kUnavailable);
    }
  }
  EXPECT_FALSE(thumbnailer.loaded());
  return reported;
}

TEST(LazyThumbnailerTest, AMissingModuleAnswersUnavailableAndIsReportedOnce) {
  testing::TempDir dir;
  const auto reported = RefusedRenders(dir.path() / kThumbnailerModuleFile);
  ASSERT_EQ(reported.size(), 1U);
  EXPECT_NE(reported[0].find(kThumbnailerModuleFile), std::string::npos) << reported[0];
}

TEST(LazyThumbnailerTest, AFileThatIsNotTheModuleAnswersUnavailable) {
  testing::TempDir dir;
  const auto path = dir.path() / kThumbnailerModuleFile;
  std::ofstream(path) << "not a shared object";
  EXPECT_EQ(RefusedRenders(path).size(), 1U);
}

// The module's bytes, as a string.
std::string ModuleBytes() {
  std::ifstream in(Module(), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(LazyThumbnailerTest, LoadsTheFileOpenedAtStartThoughAnUpgradeReplacedIt) {
  // A name for this build's module beside it (a hard link: the same file, so the process maps
  // it once), then an install that renames something else over that name after the start.
  const auto path = Module().parent_path() / "lazy-thumbnailer-test-module.so";
  std::filesystem::remove(path);
  std::filesystem::create_hard_link(Module(), path);
  int failures = 0;
  LazyThumbnailer thumbnailer(path, [&](const std::string&) { ++failures; });
  const auto installed = Module().parent_path() / "lazy-thumbnailer-test-new.so";
  std::ofstream(installed) << "a module from a later build";
  std::filesystem::rename(installed, path);

  auto image = thumbnailer.Render(testimages::Jpeg(40, 30), 20);
  std::filesystem::remove(path);
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_TRUE(thumbnailer.loaded());
  EXPECT_EQ(failures, 0);
}

TEST(LazyThumbnailerTest, AModuleFromAnotherBuildIsRefusedBeforeItLoads) {
  // This build's module with one byte of its build id changed: what another build of the same
  // code, copied over the file in place, looks like.
  std::string bytes = ModuleBytes();
  const std::string hex(ThumbnailerModuleBuildId());
  std::string id;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    id.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  const size_t at = bytes.find(id);
  ASSERT_NE(at, std::string::npos);
  bytes[at] = static_cast<char>(bytes[at] ^ 1);
  testing::TempDir dir;
  const auto path = dir.path() / kThumbnailerModuleFile;
  std::ofstream(path, std::ios::binary) << bytes;

  const auto reported = RefusedRenders(path);
  ASSERT_EQ(reported.size(), 1U);
  EXPECT_NE(reported[0].find("another build"), std::string::npos) << reported[0];
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
