// The deletion aggregate (recycle items, subtree recycle, restore and purge) on every backend.
#include <algorithm>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

using domain::DentryType;
using domain::MetadataTransaction;
using domain::RecycleItem;

// Space "100" holding:
//   /f (folder "1") with /f/a (file "2", versions 1 and 2) and /f/g (folder "3") with /f/g/b
//   (file "4"); and /c (file "5").
template <class Factory>
class RecycleContract : public TransactionContract<Factory> {
 protected:
  void SetUp() override {
    TransactionContract<Factory>::SetUp();
    ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "f", 10, DentryType::kFolder)));
    ASSERT_TRUE(this->Insert(MakeDentry("2", "1", "a", 20)));
    ASSERT_TRUE(this->Insert(MakeDentry("3", "1", "g", 30, DentryType::kFolder)));
    ASSERT_TRUE(this->Insert(MakeDentry("4", "3", "b", 40)));
    ASSERT_TRUE(this->Insert(MakeDentry("5", "0", "c", 50)));
    AddVersion("2", 1, 7);
    AddVersion("2", 2, 20);
    AddVersion("4", 1, 40);
    AddVersion("5", 1, 50);
  }

  void AddVersion(const std::string& id, int64_t version, int64_t size) {
    ASSERT_TRUE(this->store_->Transact([&](MetadataTransaction& tx) {
      return tx.dentries().InsertVersion({id, version, size, "blob-" + id, "u1", 1});
    }));
  }

  RecycleItem Item(const std::string& id, int64_t time, const std::string& space = "100",
                   const std::string& app = "app1") {
    RecycleItem item;
    item.id = id;
    item.corp_id = "corp1";
    item.app_id = app;
    item.space_id = space;
    item.dentry_id = "1";
    item.type = DentryType::kFolder;
    item.original_name = "f";
    item.original_parent_id = "0";
    item.original_path = "/f";
    item.size = 60;
    item.dentry_count = 4;
    item.operator_id = "u1";
    item.operator_time = time;
    return item;
  }

  template <class F>
  auto Tx(F&& fn) {
    return this->store_->Write(std::forward<F>(fn));
  }

  domain::DentryStatus Status(const std::string& id) {
    auto d = this->store_->GetDentry("100", id);
    EXPECT_TRUE(d) << id;
    return d ? d->status : domain::DentryStatus::kExpired;
  }
};
TYPED_TEST_SUITE(RecycleContract, Backends);

TYPED_TEST(RecycleContract, MeasuresTheNormalSubtree) {
  auto t =
      this->Tx([](MetadataTransaction& tx) { return tx.dentries().MeasureSubtree("100", "1"); });
  ASSERT_TRUE(t);
  EXPECT_EQ(t->dentries, 4);
  EXPECT_EQ(t->file_bytes, 20 + 40);         // Current sizes of a and b.
  EXPECT_EQ(t->version_bytes, 7 + 20 + 40);  // Every version.
  auto none =
      this->Tx([](MetadataTransaction& tx) { return tx.dentries().MeasureSubtree("100", "9"); });
  ASSERT_TRUE(none);
  EXPECT_EQ(none->dentries, 0);
  auto other =
      this->Tx([](MetadataTransaction& tx) { return tx.dentries().MeasureSubtree("999", "1"); });
  ASSERT_TRUE(other);
  EXPECT_EQ(other->dentries, 0);  // Another space's id is not this subtree.
}

TYPED_TEST(RecycleContract, RecycleMarksTheSubtreeAndRestoreFlipsItBack) {
  const auto gen0 = this->store_->GetSpace("corp1", "100")->dentry_generation;
  auto marked = this->Tx([&](MetadataTransaction& tx) -> Result<int64_t> {
    if (auto ok = tx.recycle().Insert(this->Item("it1", 100)); !ok) return ok.error();
    return tx.recycle().RecycleSubtree("100", "1", "it1");
  });
  ASSERT_TRUE(marked);
  EXPECT_EQ(*marked, 4);
  for (const char* id : {"1", "2", "3", "4"}) {
    EXPECT_EQ(this->Status(id), domain::DentryStatus::kDeleted) << id;
  }
  EXPECT_EQ(this->Status("5"), domain::DentryStatus::kNormal);
  EXPECT_GT(this->store_->GetSpace("corp1", "100")->dentry_generation, gen0);
  // Recycled rows leave listings and lookups by name; their versions still count.
  auto top = this->store_->ListChildren("100", "0", {});
  ASSERT_TRUE(top);
  ASSERT_EQ(top->dentries.size(), 1u);
  EXPECT_EQ(top->dentries[0].id, "5");
  EXPECT_EQ(*this->store_->SumVersionBytes("100"), 7 + 20 + 40 + 50);
  // The name is free again: a new /f can be made while the old one is in the bin.
  ASSERT_TRUE(this->Insert(MakeDentry("6", "0", "f", 60, DentryType::kFolder)));
  auto clash =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().RestoreRows("100", "it1"); });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(this->Status("1"), domain::DentryStatus::kDeleted);  // Rolled back.
  ASSERT_TRUE(this->store_->Transact([](MetadataTransaction& tx) -> Result<void> {
    auto d = tx.dentries().Get("100", "6");
    if (!d) return d.error();
    d->name = "f2";
    return tx.dentries().Update(*d);
  }));
  auto restored =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().RestoreRows("100", "it1"); });
  ASSERT_TRUE(restored);
  EXPECT_EQ(*restored, 4);
  for (const char* id : {"1", "2", "3", "4"}) {
    EXPECT_EQ(this->Status(id), domain::DentryStatus::kNormal) << id;
  }
}

TYPED_TEST(RecycleContract, RecycleLeavesAnotherItemsRowsAlone) {
  // /f/g/b goes first as its own item; recycling /f later takes only what is still NORMAL.
  ASSERT_TRUE(this->Tx([&](MetadataTransaction& tx) -> Result<int64_t> {
    return tx.recycle().RecycleSubtree("100", "4", "inner");
  }));
  auto marked = this->Tx(
      [](MetadataTransaction& tx) { return tx.recycle().RecycleSubtree("100", "1", "outer"); });
  ASSERT_TRUE(marked);
  EXPECT_EQ(*marked, 3);
  ASSERT_TRUE(
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().RestoreRows("100", "outer"); }));
  EXPECT_EQ(this->Status("3"), domain::DentryStatus::kNormal);
  EXPECT_EQ(this->Status("4"), domain::DentryStatus::kDeleted);  // Still "inner"'s.
  auto purged =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().PurgeRows("100", "inner"); });
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 40);
  EXPECT_FALSE(this->store_->GetDentry("100", "4"));
  EXPECT_TRUE(this->store_->GetDentry("100", "3"));
}

TYPED_TEST(RecycleContract, PurgeSubtreeDeletesRowsAndVersions) {
  auto bytes =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().PurgeSubtree("100", "1"); });
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, 7 + 20 + 40);
  for (const char* id : {"1", "2", "3", "4"}) {
    auto d = this->store_->GetDentry("100", id);
    ASSERT_FALSE(d) << id;
    EXPECT_EQ(d.error().code, Errc::kNotFound);
  }
  EXPECT_TRUE(this->store_->ListVersions("2")->empty());
  EXPECT_EQ(*this->store_->SumVersionBytes("100"), 50);
  EXPECT_FALSE(*this->store_->IsBlobReferenced("blob-2"));
  EXPECT_TRUE(*this->store_->IsBlobReferenced("blob-5"));
  // A file alone.
  auto one =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().PurgeSubtree("100", "5"); });
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, 50);
}

TYPED_TEST(RecycleContract, PurgeRowsDeletesOnlyTheItemsRows) {
  ASSERT_TRUE(this->Tx(
      [](MetadataTransaction& tx) { return tx.recycle().RecycleSubtree("100", "1", "it1"); }));
  auto bytes =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().PurgeRows("100", "it1"); });
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, 7 + 20 + 40);
  EXPECT_FALSE(this->store_->GetDentry("100", "1"));
  EXPECT_TRUE(this->store_->GetDentry("100", "5"));
  auto again =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().PurgeRows("100", "it1"); });
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

TYPED_TEST(RecycleContract, ItemsAreKeptPerOrgAndListedNewestFirst) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("200", "s", "2")));
  ASSERT_TRUE(this->Tx([&](MetadataTransaction& tx) -> Result<void> {
    for (const auto& item : {this->Item("a", 100), this->Item("b", 300), this->Item("c", 200),
                             this->Item("d", 300, "200", "app2")}) {
      if (auto ok = tx.recycle().Insert(item); !ok) return ok;
    }
    return {};
  }));
  auto dup =
      this->Tx([&](MetadataTransaction& tx) { return tx.recycle().Insert(this->Item("a", 1)); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
  auto got = this->Tx([](MetadataTransaction& tx) { return tx.recycle().Get("corp1", "b"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->original_path, "/f");
  EXPECT_EQ(got->size, 60);
  EXPECT_EQ(got->dentry_count, 4);
  EXPECT_EQ(got->type, DentryType::kFolder);
  auto foreign = this->Tx([](MetadataTransaction& tx) { return tx.recycle().Get("corp2", "b"); });
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Errc::kNotFound);
  EXPECT_EQ(foreign.error().subject, "recycleItem");

  auto ids = [&](domain::RecycleFilter f, std::optional<domain::RecycleCursor> after, int limit) {
    auto rows =
        this->Tx([&](MetadataTransaction& tx) { return tx.recycle().List(f, after, limit); });
    EXPECT_TRUE(rows);
    std::string out;
    for (const auto& r : *rows) out += r.id;
    return out;
  };
  EXPECT_EQ(ids({"corp1", {}, {}}, {}, 10), "dbca");
  EXPECT_EQ(ids({"corp1", {}, {}}, {}, 2), "db");
  EXPECT_EQ(ids({"corp1", {}, {}}, domain::RecycleCursor{300, "b"}, 10), "ca");
  EXPECT_EQ(ids({"corp1", std::string("app1"), {}}, {}, 10), "bca");
  EXPECT_EQ(ids({"corp1", {}, std::string("200")}, {}, 10), "d");
  EXPECT_EQ(ids({"corp2", {}, {}}, {}, 10), "");

  ASSERT_TRUE(this->Tx([](MetadataTransaction& tx) { return tx.recycle().Delete("b"); }));
  auto gone = this->Tx([](MetadataTransaction& tx) { return tx.recycle().Delete("b"); });
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
  // Deleting a space takes its items along.
  ASSERT_TRUE(this->store_->DeleteSpace("corp1", "200"));
  EXPECT_EQ(ids({"corp1", {}, {}}, {}, 10), "ca");
}

TYPED_TEST(RecycleContract, AFailedTransactionLeavesRowsAndItemsAsTheyWere) {
  auto r = this->store_->Transact([&](MetadataTransaction& tx) -> Result<void> {
    if (auto ok = tx.recycle().Insert(this->Item("it1", 100)); !ok) return ok;
    if (auto ok = tx.recycle().RecycleSubtree("100", "1", "it1"); !ok) return ok.error();
    if (auto ok = tx.recycle().PurgeSubtree("100", "5"); !ok) return ok.error();
    return MakeError(Errc::kConflict, "test", "roll back");
  });
  ASSERT_FALSE(r);
  for (const char* id : {"1", "2", "3", "4", "5"}) {
    EXPECT_EQ(this->Status(id), domain::DentryStatus::kNormal) << id;
  }
  EXPECT_EQ(*this->store_->SumVersionBytes("100"), 7 + 20 + 40 + 50);
  auto item = this->Tx([](MetadataTransaction& tx) { return tx.recycle().Get("corp1", "it1"); });
  EXPECT_FALSE(item);
  // Nothing is left claiming the rows: restoring the rolled-back item restores nothing.
  auto restored =
      this->Tx([](MetadataTransaction& tx) { return tx.recycle().RestoreRows("100", "it1"); });
  ASSERT_TRUE(restored);
  EXPECT_EQ(*restored, 0);
}

}  // namespace
}  // namespace spacestore::contract
