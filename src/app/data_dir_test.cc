#include "app/data_dir.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace spacestore::app {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

void Touch(const fs::path& path, mode_t mode) {
  std::ofstream(path) << "x";
  ::chmod(path.c_str(), mode);
}

TEST(DataDirTest, CreatesAMissingDirOwnerOnly) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "a" / "data";
  auto r = PrepareDataDir(dir.string());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(ModeOf(dir), 0700);
  EXPECT_EQ(r->tightened, 0);
}

TEST(DataDirTest, RefusesADirOrDatabaseOthersCanWrite) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  fs::create_directory(dir);
  for (const mode_t mode : {0777, 0775, 0757, 0770}) {
    ::chmod(dir.c_str(), mode);
    auto r = PrepareDataDir(dir.string());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kPermissionDenied);
    EXPECT_NE(r.error().message.find("writable by group or others"), std::string::npos);
    EXPECT_NE(r.error().message.find("chmod 0700 " + dir.string()), std::string::npos);
    EXPECT_EQ(ModeOf(dir), mode);  // Refused, not repaired.
  }
  ::chmod(dir.c_str(), 0700);
  Touch(dir / "metadata.db", 0664);
  auto r = PrepareDataDir(dir.string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("metadata.db"), std::string::npos);
  Touch(dir / "metadata.db", 0600);
  Touch(dir / "metadata.db-wal", 0606);
  EXPECT_FALSE(PrepareDataDir(dir.string()));
  Touch(dir / "metadata.db-wal", 0600);
  EXPECT_TRUE(PrepareDataDir(dir.string()));
}

TEST(DataDirTest, RefusesAFile) {
  testing::TempDir tmp;
  Touch(tmp.path() / "data", 0600);
  auto r = PrepareDataDir((tmp.path() / "data").string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not a directory"), std::string::npos);
}

TEST(DataDirTest, TightensAnOlderLayoutOnce) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  fs::create_directories(dir / "blobs" / "ab" / "cd");
  fs::create_directories(dir / "staging");
  for (const auto& d :
       {dir, dir / "blobs", dir / "blobs" / "ab", dir / "blobs" / "ab" / "cd", dir / "staging"}) {
    ::chmod(d.c_str(), 0755);
  }
  Touch(dir / "metadata.db", 0644);
  Touch(dir / "metadata.db-wal", 0644);
  Touch(dir / "blobs" / "ab" / "cd" / "abcd", 0644);
  auto r = PrepareDataDir(dir.string());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->tightened, 8);
  EXPECT_EQ(ModeOf(dir), 0700);
  EXPECT_EQ(ModeOf(dir / "blobs" / "ab" / "cd"), 0700);
  EXPECT_EQ(ModeOf(dir / "metadata.db"), 0600);
  EXPECT_EQ(ModeOf(dir / "metadata.db-wal"), 0600);
  EXPECT_EQ(ModeOf(dir / "blobs" / "ab" / "cd" / "abcd"), 0600);
  auto again = PrepareDataDir(dir.string());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->tightened, 0);
  // A database made readable again (by hand, say) is tightened without a walk.
  ::chmod((dir / "metadata.db").c_str(), 0640);
  again = PrepareDataDir(dir.string());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->tightened, 1);
  EXPECT_EQ(ModeOf(dir / "metadata.db"), 0600);
}

}  // namespace
}  // namespace spacestore::app
