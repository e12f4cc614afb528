#include "storage/thumbnail/local_thumbnail_store.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "storage/thumbnail/memory_thumbnail_store.h"
#include "temp_dir.h"

namespace spacestore::storage {
namespace {

const std::string kBlobA(64, 'a');
const std::string kBlobB = "ab" + std::string(62, '0');
const std::string kBlobC(64, 'c');

domain::CachedThumbnail Image(std::string bytes) {
  domain::CachedThumbnail entry;
  entry.image = domain::ThumbnailImage{std::move(bytes), "image/jpeg", 256, 192};
  return entry;
}

domain::CachedThumbnail Failure() {
  domain::CachedThumbnail entry;
  entry.failure = domain::kSubjectThumbnailUndecodable;
  return entry;
}

// The behaviour both stores share.
void CheckStore(domain::ThumbnailStore& store) {
  auto missing = store.Get(kBlobA, 256);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  ASSERT_TRUE(store.Put(kBlobA, 256, Image(std::string("\xFF\xD8\xFF\n\0bytes", 11))));
  ASSERT_TRUE(store.Put(kBlobA, 64, Failure()));
  ASSERT_TRUE(store.Put(kBlobB, 256, Image("b")));
  ASSERT_TRUE(store.Put(kBlobC, 256, Image("c")));

  auto got = store.Get(kBlobA, 256);
  ASSERT_TRUE(got && *got && (*got)->image);
  EXPECT_EQ((*got)->image->bytes, std::string("\xFF\xD8\xFF\n\0bytes", 11));
  EXPECT_EQ((*got)->image->content_type, "image/jpeg");
  EXPECT_EQ((*got)->image->width, 256);
  EXPECT_EQ((*got)->image->height, 192);
  auto failed = store.Get(kBlobA, 64);
  ASSERT_TRUE(failed && *failed);
  EXPECT_FALSE((*failed)->image);
  EXPECT_EQ((*failed)->failure, domain::kSubjectThumbnailUndecodable);

  // Replacing an entry.
  ASSERT_TRUE(store.Put(kBlobA, 256, Image("new")));
  EXPECT_EQ((*store.Get(kBlobA, 256))->image->bytes, "new");

  auto listed = store.List("a");
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, (std::vector<std::string>{kBlobA, kBlobB}));
  EXPECT_EQ(store.List("")->size(), 3U);

  ASSERT_TRUE(store.Remove(kBlobA));
  EXPECT_FALSE(*store.Get(kBlobA, 256));
  EXPECT_FALSE(*store.Get(kBlobA, 64));
  EXPECT_TRUE(*store.Get(kBlobB, 256));
  EXPECT_TRUE(store.Remove(kBlobA));  // Removing nothing succeeds.
  EXPECT_EQ(*store.List("a"), (std::vector<std::string>{kBlobB}));
}

TEST(ThumbnailStoreTest, Memory) {
  MemoryThumbnailStore store;
  CheckStore(store);
}

TEST(ThumbnailStoreTest, Local) {
  testing::TempDir dir;
  auto store = LocalThumbnailStore::OpenDirectory(dir.path() / "thumbnails");
  ASSERT_TRUE(store);
  CheckStore(**store);
}

TEST(ThumbnailStoreTest, LocalFilesAreOwnerOnlyAndNoTemporaryIsLeft) {
  testing::TempDir dir;
  const auto root = dir.path() / "thumbnails";
  auto store = LocalThumbnailStore::OpenDirectory(root);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->Put(kBlobA, 256, Image("x")));
  struct stat st {};
  ASSERT_EQ(::stat(root.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700U);
  ASSERT_EQ(::stat((root / "aa").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700U);
  ASSERT_EQ(::stat((root / "aa" / (kBlobA + ".256")).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root / "aa"),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(ThumbnailStoreTest, LocalDamagedEntryReadsAsMissing) {
  testing::TempDir dir;
  const auto root = dir.path() / "thumbnails";
  auto store = LocalThumbnailStore::OpenDirectory(root);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->Put(kBlobA, 256, Image("x")));
  std::ofstream(root / "aa" / (kBlobA + ".256"), std::ios::trunc) << "spacestore-thumb";
  auto got = (*store)->Get(kBlobA, 256);
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
  // Ids that are not blob ids never name a path.
  EXPECT_FALSE(*(*store)->Get("../../etc/passwd", 256));
  EXPECT_FALSE((*store)->Put("../x", 256, Image("x")));
}

}  // namespace
}  // namespace spacestore::storage
