// Transactions on every backend: atomic writes, rollback of every aggregate, reads.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

TYPED_TEST_SUITE(TransactionContract, Backends);

TYPED_TEST(TransactionContract, FailedTransactionLeavesNoTrace) {
  auto r = this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.dentries().Insert(MakeDentry("1", "0", "a", 10)));
    EXPECT_TRUE(tx.spaces().AdjustBytes("100", 50, 7));
    domain::UploadSession u;
    u.key = "k1";
    u.space_id = "100";
    EXPECT_TRUE(tx.uploads().Put(u));
    // Reads inside the transaction see its writes.
    EXPECT_TRUE(tx.dentries().Get("100", "1"));
    EXPECT_EQ(tx.spaces().Get("corp1", "100")->used_bytes, 50);
    return MakeError(Errc::kConflict, "", "abort");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_FALSE(this->store_->GetDentry("100", "1"));
  auto space = this->store_->GetSpace("corp1", "100");
  EXPECT_EQ(space->used_bytes, 0);
  EXPECT_EQ(space->reserved_bytes, 0);
  auto upload = this->store_->Transact([](domain::MetadataTransaction& tx) -> Result<void> {
    return tx.uploads().Get("k1").error();
  });
  EXPECT_EQ(upload.error().code, Errc::kNotFound);
}

TYPED_TEST(TransactionContract, FailedTransactionUndoesEveryAggregate) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    if (auto ok = tx.dentries().InsertVersion({"1", 1, 10, "blob-1", "u1", 10}); !ok) return ok;
    domain::UploadSession u;
    u.key = "k1";
    u.space_id = "100";
    if (auto ok = tx.uploads().Put(u); !ok) return ok;
    return tx.uploads().PutPart({"k1", 1, "blobP1", 5});
  }));
  auto r = this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.identity().InsertOrg(Org{"corp9", "Nine", 1, 1}));
    EXPECT_TRUE(
        tx.identity().InsertApp(App{"app9", "key9", "h", "corp9", "A", {}, {}, 1, 1, {}, {}}));
    EXPECT_TRUE(tx.identity().InsertUser(User{"u9", "corp9", "U", 1}));
    EXPECT_TRUE(tx.identity().InsertSetting("k", "v"));
    EXPECT_TRUE(tx.spaces().Delete("corp1", "100"));
    EXPECT_FALSE(tx.dentries().Get("100", "1"));
    return MakeError(Errc::kConflict, "", "abort");
  });
  ASSERT_FALSE(r);
  EXPECT_FALSE(this->store_->GetOrg("corp9"));
  EXPECT_FALSE(this->store_->FindAppByKey("key9"));
  EXPECT_FALSE(this->store_->GetUser("corp9", "u9"));
  EXPECT_EQ(this->store_->GetOrCreateSetting("k", "other").value(), "other");
  EXPECT_TRUE(this->store_->GetSpace("corp1", "100"));
  EXPECT_TRUE(this->store_->GetDentry("100", "1"));
  EXPECT_EQ(this->store_->ListVersions("1")->size(), 1u);
  EXPECT_TRUE(this->store_->IsBlobReferenced("blobP1").value());
  auto page = this->store_->ListChildren("100", "0", {});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->dentries.size(), 1u);
}

TYPED_TEST(TransactionContract, ReadsSeeWhatWasCommitted) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  auto one = this->store_->Read(
      [](domain::MetadataTransaction& tx) { return tx.dentries().Get("100", "1"); });
  ASSERT_TRUE(one);
  EXPECT_EQ(one->name, "a");
  auto both = this->store_->Snapshot([](domain::MetadataTransaction& tx) -> Result<int64_t> {
    auto space = tx.spaces().Get("corp1", "100");
    if (!space) return space.error();
    auto d = tx.dentries().Get("100", "1");
    if (!d) return d.error();
    return space->dentry_generation;
  });
  ASSERT_TRUE(both);
  EXPECT_EQ(*both, this->store_->GetSpace("corp1", "100")->dentry_generation);
  auto missing = this->store_->Read(
      [](domain::MetadataTransaction& tx) { return tx.dentries().Get("100", "nope"); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace spacestore::contract
