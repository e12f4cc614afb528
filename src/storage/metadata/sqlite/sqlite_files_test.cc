// The database's files are owner-only whatever the process umask: metadata.db holds the app
// secrets' hashes and, by default, the signing keys (docs/security.md).
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"

namespace spacestore::storage::sqlite {
namespace {

namespace fs = std::filesystem;

TEST(SqliteFilesTest, DatabaseFilesAreOwnerOnlyWhateverTheUmask) {
  testing::TempDir dir;
  const std::string path = dir.File("metadata.db");
  const mode_t old_umask = ::umask(022);
  auto store = SqliteMetadataStore::Open(path);
  ::umask(old_umask);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->GetOrCreateSetting("probe", "value"));  // A write: -wal and -shm exist.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    ASSERT_TRUE(fs::exists(path + suffix)) << suffix;
    EXPECT_EQ(fs::status(path + suffix).permissions(),
              fs::perms::owner_read | fs::perms::owner_write)
        << suffix;
  }
}

}  // namespace
}  // namespace spacestore::storage::sqlite
