// GetSpace answered from memory stays exact: every commit, by this store or by another store
// on the same file (as `spacestore admin` or a second server is), is seen by the next read.
#include <string>

#include <gtest/gtest.h>

#include "domain/identity.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "storage/metadata/sqlite/write_seq.h"
#include "temp_dir.h"

namespace spacestore::storage::sqlite {
namespace {

domain::Space MakeSpace() {
  domain::Space s;
  s.id = "100";
  s.corp_id = "corp1";
  s.app_id = "app1";
  s.owner_id = "u1";
  s.creator_id = "u1";
  s.modifier_id = "u1";
  s.scene = "s";
  s.scene_id = "1";
  s.quota_bytes = 4096;
  s.create_time = 1000;
  s.modified_time = 1000;
  return s;
}

class SpaceViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = Open();
    admin_ = Open();
    ASSERT_TRUE(server_->CreateOrg(domain::Org{"corp1", "Corp One", 1 << 30, 1000}));
    ASSERT_TRUE(server_->CreateSpace(MakeSpace()));
  }

  std::unique_ptr<SqliteMetadataStore> Open() {
    auto store = SqliteMetadataStore::Open(dir_.File("metadata.db"));
    EXPECT_TRUE(store) << store.error().message;
    return std::move(*store);
  }

  std::optional<int64_t> Quota(SqliteMetadataStore& store) {
    auto space = store.GetSpace("corp1", "100");
    EXPECT_TRUE(space) << space.error().message;
    return space->quota_bytes;
  }

  static domain::SpaceUpdate QuotaUpdate(int64_t quota) {
    domain::SpaceUpdate update;
    update.quota_bytes = std::optional<int64_t>(quota);
    update.modifier_id = "u1";
    update.modified_time = 2000;
    return update;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteMetadataStore> server_;
  std::unique_ptr<SqliteMetadataStore> admin_;
};

TEST_F(SpaceViewTest, AWriteByThisStoreIsReadAtOnce) {
  EXPECT_EQ(Quota(*server_), 4096);
  EXPECT_EQ(Quota(*server_), 4096);  // Held now.
  ASSERT_TRUE(server_->UpdateSpace("corp1", "100", QuotaUpdate(8192)));
  EXPECT_EQ(Quota(*server_), 8192);
}

TEST_F(SpaceViewTest, AWriteByAnotherProcessOnTheFileIsReadAtOnce) {
  EXPECT_EQ(Quota(*server_), 4096);
  EXPECT_EQ(Quota(*server_), 4096);
  // Any write transaction on the file, even one to another table, retires what was held.
  ASSERT_TRUE(admin_->UpdateSpace("corp1", "100", QuotaUpdate(1)));
  EXPECT_EQ(Quota(*server_), 1);
  ASSERT_TRUE(admin_->UpdateSpace("corp1", "100", QuotaUpdate(2)));
  EXPECT_EQ(Quota(*server_), 2);
}

TEST_F(SpaceViewTest, AnotherOrgsSpaceIsNotFoundFromTheView) {
  EXPECT_EQ(Quota(*server_), 4096);
  auto other = server_->GetSpace("corp2", "100");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::kNotFound);
}

TEST_F(SpaceViewTest, ARemovedSpaceIsGoneAtOnce) {
  EXPECT_EQ(Quota(*server_), 4096);
  ASSERT_TRUE(admin_->DeleteSpace("corp1", "100"));
  auto gone = server_->GetSpace("corp1", "100");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
}

TEST_F(SpaceViewTest, AWriteThatSkipsTheWriteTransactionIsRefusedAndTheViewStaysExact) {
  EXPECT_EQ(Quota(*server_), 4096);
  EXPECT_EQ(Quota(*server_), 4096);  // Held now.
  // A code path that writes through a read-only call would commit without marking the
  // sequence, and the view would keep serving 4096 after it.
  auto write = [](domain::MetadataTransaction& tx) -> Result<void> {
    domain::Space changed = MakeSpace();
    changed.quota_bytes = 1;
    return tx.spaces().UpdateSettings(changed);
  };
  for (const Result<void>& r : {admin_->View(write), admin_->ReadOne(write)}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInternal);
  }
  EXPECT_EQ(Quota(*server_), 4096);
  EXPECT_EQ(Quota(*Open()), 4096);  // What the file holds, read by a store with no view.
}

TEST(WriteSeqTest, MarksEveryWriteAcrossMappingsOfOneFile) {
  testing::TempDir dir;
  auto a = WriteSeq::Open(dir.File("seq"));
  auto b = WriteSeq::Open(dir.File("seq"));  // Another process's mapping of the same file.
  ASSERT_TRUE(a && b);
  const uint64_t start = (*a)->Load();
  EXPECT_TRUE(WriteSeq::Stable(start));
  const uint64_t token = (*a)->BeginWrite();
  EXPECT_FALSE(WriteSeq::Stable((*b)->Load()));
  (*a)->EndWrite(token);
  const uint64_t after = (*b)->Load();
  EXPECT_TRUE(WriteSeq::Stable(after));
  EXPECT_GT(after, start);
}

TEST(WriteSeqTest, AWriterThatDiedMidWriteLeavesItOddUntilTheNextWriteEnds) {
  testing::TempDir dir;
  auto seq = WriteSeq::Open(dir.File("seq"));
  ASSERT_TRUE(seq);
  const uint64_t dead = (*seq)->BeginWrite();  // Never ended: its process died.
  const uint64_t next = (*seq)->BeginWrite();
  EXPECT_GT(next, dead);
  EXPECT_FALSE(WriteSeq::Stable(next));
  (*seq)->EndWrite(dead);  // Late, or from the dead writer's COMMIT path: changes nothing.
  EXPECT_EQ((*seq)->Load(), next);
  (*seq)->EndWrite(next);
  EXPECT_TRUE(WriteSeq::Stable((*seq)->Load()));
}

}  // namespace
}  // namespace spacestore::storage::sqlite
