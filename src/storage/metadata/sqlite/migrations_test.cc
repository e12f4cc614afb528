// Schema versions turn away binaries that would write the file without marking its write
// sequence: such a binary knows at most kLastUnmarkedVersion migrations, and refuses a file at a
// higher version.
#include "storage/metadata/sqlite/migrations.h"

#include <string>

#include <gtest/gtest.h>

#include "sqlite_exec.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"

namespace spacestore::storage::sqlite {
namespace {

// The last schema version of binaries whose writes did not all mark the write sequence.
constexpr int kLastUnmarkedVersion = 9;

TEST(MigrationsTest, AFileOpenedByThisBinaryIsPastEveryBinaryThatDoesNotMark) {
  testing::TempDir dir;
  auto store = SqliteMetadataStore::Open(dir.File("metadata.db"));
  ASSERT_TRUE(store) << store.error().message;
  auto version = (*store)->SchemaVersion();
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, static_cast<int>(Migrations().size()));
  EXPECT_GT(*version, kLastUnmarkedVersion);
}

TEST(MigrationsTest, AFileAtAVersionThisBinaryDoesNotKnowIsRefused) {
  testing::TempDir dir;
  const std::string path = dir.File("metadata.db");
  ASSERT_TRUE(SqliteMetadataStore::Open(path));
  // What an older binary meets: a file one version past the migrations it knows.
  spacestore::testing::ExecSql(path,
                               "PRAGMA user_version = " + std::to_string(Migrations().size() + 1));
  auto refused = SqliteMetadataStore::Open(path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kInternal);
  EXPECT_NE(refused.error().message.find("newer than this binary"), std::string::npos);
}

}  // namespace
}  // namespace spacestore::storage::sqlite
