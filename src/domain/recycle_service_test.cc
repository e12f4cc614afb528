#include "domain/recycle_service.h"

#include <gtest/gtest.h>

#include "domain/dentry_service.h"
#include "domain/placement.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class RecycleServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateOrg(Org{"corp2", "c2", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u2", "corp2", "u2", 0}));
    auto space = spaces_.AddSpace(u1_, {});
    ASSERT_TRUE(space);
    space_id_ = space->id;
    AddSpaceParams other;
    other.scene = "other";
    other.scene_id = "1";
    auto second = spaces_.AddSpace(u1_, other);
    ASSERT_TRUE(second);
    other_space_ = second->id;
    // /docs/a.txt (10 + 5 bytes over two versions), /docs/sub/b.txt (20), /c.txt (30).
    docs_ = Folder(kRootDentryId, "docs");
    a_ = File(docs_, "a.txt", {5, 10});
    sub_ = Folder(docs_, "sub");
    b_ = File(sub_, "b.txt", {20});
    c_ = File(kRootDentryId, "c.txt", {30});
  }

  std::string Folder(const std::string& parent, const std::string& name,
                     const std::string& space = "") {
    auto d = dentries_.AddFolder(u1_, space.empty() ? space_id_ : space, parent, name,
                                 ConflictStrategy::kFail, {});
    EXPECT_TRUE(d);
    return d ? d->id : "";
  }

  // A file with one stored version per size (the last is current), charged to the space.
  std::string File(const std::string& parent, const std::string& name,
                   const std::vector<int64_t>& sizes) {
    Dentry d;
    EXPECT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      auto placed =
          PlaceChild(tx, space_id_, parent, name, ConflictStrategy::kFail, DentryType::kFile);
      if (!placed) return placed.error();
      d = NewDentry(DentryType::kFile, space_id_, parent, *placed, "u1", clock_.NowMillis());
      d.size = sizes.back();
      d.version = std::ssize(sizes);
      d.blob_id = "blob-" + name;
      if (auto ok = tx.dentries().Insert(d); !ok) return ok;
      int64_t total = 0;
      for (size_t i = 0; i < sizes.size(); ++i) {
        total += sizes[i];
        DentryVersion v{d.id, static_cast<int64_t>(i + 1), sizes[i], d.blob_id, "u1", 0};
        if (auto ok = tx.dentries().InsertVersion(v); !ok) return ok;
      }
      return tx.spaces().AdjustBytes(space_id_, total, 0);
    }));
    return d.id;
  }

  int64_t Used() { return store_.GetSpace("corp1", space_id_)->used_bytes; }
  bool Live(const std::string& id) { return dentries_.GetDentry(u1_, space_id_, id).has_value(); }
  std::string SpaceBin() {
    auto bin = recycle_.GetRecycleBin(u1_, RecycleScope::kSpace, space_id_);
    EXPECT_TRUE(bin);
    return bin->id();
  }
  RecycleItem OnlyItem() {
    auto page = recycle_.ListRecycleItems(u1_, SpaceBin(), 50, "");
    EXPECT_TRUE(page);
    EXPECT_EQ(page->items.size(), 1u);
    return page->items.empty() ? RecycleItem{} : page->items.front();
  }
  void ExpectError(const Error& e, Errc code, const std::string& subject) {
    EXPECT_EQ(e.code, code) << e.message;
    EXPECT_EQ(e.subject, subject) << e.message;
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  DentryService dentries_{store_, clock_, spaces_};
  TaskService tasks_{store_, clock_};
  RecycleService recycle_{store_, clock_, spaces_, tasks_};
  const Actor u1_{"corp1", "app1", "u1"};
  const Actor stranger_{"corp2", "app9", "u2"};
  std::string space_id_, other_space_, docs_, a_, sub_, b_, c_;
};

TEST_F(RecycleServiceTest, PermanentDeleteRemovesTheSubtreeAndReleasesEveryVersion) {
  ASSERT_EQ(Used(), 65);
  auto r = recycle_.DeleteDentry(u1_, space_id_, docs_, false);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->async);
  EXPECT_EQ(Used(), 30);
  EXPECT_EQ(*store_.SumVersionBytes(space_id_), 30);
  for (const auto& id : {docs_, a_, sub_, b_}) {
    EXPECT_FALSE(store_.GetDentry(space_id_, id)) << id;  // Rows gone, not just hidden.
  }
  EXPECT_FALSE(*store_.IsBlobReferenced("blob-a.txt"));  // The collector may take it.
  EXPECT_TRUE(Live(c_));
  EXPECT_TRUE(recycle_.ListRecycleItems(u1_, SpaceBin(), 50, "")->items.empty());
}

TEST_F(RecycleServiceTest, RootForeignAndMissingIdsAreRefused) {
  ExpectError(recycle_.DeleteDentry(u1_, space_id_, kRootDentryId, false).error(),
              Errc::kInvalidArgument, "dentryId");
  ExpectError(recycle_.DeleteDentry(u1_, space_id_, "nope", true).error(), Errc::kNotFound,
              "dentry");
  // A dentry of another space, named through this one, is not found and stays.
  ExpectError(recycle_.DeleteDentry(u1_, other_space_, a_, false).error(), Errc::kNotFound,
              "dentry");
  ExpectError(recycle_.DeleteDentry(stranger_, space_id_, a_, false).error(), Errc::kNotFound,
              "space");
  EXPECT_TRUE(Live(a_));
  // Deleting twice: the second finds nothing live.
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, c_, true));
  ExpectError(recycle_.DeleteDentry(u1_, space_id_, c_, true).error(), Errc::kNotFound, "dentry");
}

TEST_F(RecycleServiceTest, RecycleKeepsQuotaAndRecordsTheItem) {
  clock_.AdvanceMillis(5000);
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, docs_, true));
  EXPECT_EQ(Used(), 65);  // Recycled content counts until purged.
  for (const auto& id : {docs_, a_, sub_, b_}) EXPECT_FALSE(Live(id)) << id;
  const RecycleItem item = OnlyItem();
  EXPECT_EQ(item.dentry_id, docs_);
  EXPECT_EQ(item.space_id, space_id_);
  EXPECT_EQ(item.type, DentryType::kFolder);
  EXPECT_EQ(item.original_name, "docs");
  EXPECT_EQ(item.original_path, "/docs");
  EXPECT_EQ(item.size, 30);  // Current sizes of a.txt and b.txt.
  EXPECT_EQ(item.dentry_count, 4);
  EXPECT_EQ(item.operator_id, "u1");
  EXPECT_EQ(item.operator_time, clock_.NowMillis());
  // A nested file's item has its full original path.
  ASSERT_TRUE(recycle_.RestoreRecycleItem(u1_, SpaceBin(), item.id, ConflictStrategy::kFail));
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, b_, true));
  EXPECT_EQ(OnlyItem().original_path, "/docs/sub/b.txt");
  EXPECT_EQ(OnlyItem().size, 20);
}

TEST_F(RecycleServiceTest, RestorePutsBackExactlyTheItemsRows) {
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, b_, true));  // An item of its own.
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, docs_, true));
  auto page = recycle_.ListRecycleItems(u1_, SpaceBin(), 50, "");
  ASSERT_EQ(page->items.size(), 2u);
  const auto docs_item = std::find_if(page->items.begin(), page->items.end(),
                                      [&](const RecycleItem& i) { return i.dentry_id == docs_; });
  ASSERT_NE(docs_item, page->items.end());
  auto r =
      recycle_.RestoreRecycleItem(u1_, SpaceBin(), docs_item->id, ConflictStrategy::kAutoRename);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->dentry_id, docs_);
  EXPECT_EQ(r->space_id, space_id_);
  for (const auto& id : {docs_, a_, sub_}) EXPECT_TRUE(Live(id)) << id;
  EXPECT_FALSE(Live(b_));  // Still in the bin as its own item.
  EXPECT_EQ(OnlyItem().dentry_id, b_);
  ExpectError(recycle_.GetRecycleItem(u1_, SpaceBin(), docs_item->id).error(), Errc::kNotFound,
              "recycleItem");
  EXPECT_EQ(Used(), 65);
}

TEST_F(RecycleServiceTest, RestoreIntoAnOccupiedPlaceFollowsTheStrategy) {
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, c_, true));
  const std::string item = OnlyItem().id;
  const std::string twin = File(kRootDentryId, "c.txt", {3});

  ExpectError(recycle_.RestoreRecycleItem(u1_, SpaceBin(), item, ConflictStrategy::kFail).error(),
              Errc::kAlreadyExists, "dentry");
  auto kept = recycle_.RestoreRecycleItem(u1_, SpaceBin(), item, ConflictStrategy::kReturnExisting);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->dentry_id, twin);  // Nothing restored; the item stays.
  EXPECT_EQ(OnlyItem().id, item);

  auto renamed = recycle_.RestoreRecycleItem(u1_, SpaceBin(), item, ConflictStrategy::kAutoRename);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, c_)->name, "c (1).txt");
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, twin)->name, "c.txt");

  // OVERWRITE: the occupant goes to the bin in its turn; nothing is lost.
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, twin, true));
  const std::string twin_item = OnlyItem().id;
  const std::string third = File(kRootDentryId, "c.txt", {4});
  auto over = recycle_.RestoreRecycleItem(u1_, SpaceBin(), twin_item, ConflictStrategy::kOverwrite);
  ASSERT_TRUE(over);
  EXPECT_TRUE(Live(twin));
  EXPECT_FALSE(Live(third));
  EXPECT_EQ(OnlyItem().dentry_id, third);
  EXPECT_EQ(Used(), 65 + 3 + 4);
}

TEST_F(RecycleServiceTest, RestoreWhenTheParentIsGoneRecreatesTheFolders) {
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, b_, true));
  const std::string item = OnlyItem().id;
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, docs_, false));  // /docs/sub is gone.
  auto r = recycle_.RestoreRecycleItem(u1_, SpaceBin(), item, ConflictStrategy::kAutoRename);
  ASSERT_TRUE(r);
  auto b = dentries_.GetDentry(u1_, space_id_, b_);
  ASSERT_TRUE(b);
  auto sub = dentries_.GetDentry(u1_, space_id_, b->parent_id);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->name, "sub");
  EXPECT_NE(sub->id, sub_);  // A new folder.
  auto docs = dentries_.GetDentry(u1_, space_id_, sub->parent_id);
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->name, "docs");
  EXPECT_EQ(docs->parent_id, kRootDentryId);
  EXPECT_EQ(Used(), 30 + 20);

  // A parent that is itself in the bin counts as gone too; an existing folder of the path is
  // reused rather than doubled.
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, b_, true));
  const std::string again = OnlyItem().id;
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, sub->id, true));
  ASSERT_TRUE(recycle_.RestoreRecycleItem(u1_, SpaceBin(), again, ConflictStrategy::kAutoRename));
  auto moved = dentries_.GetDentry(u1_, space_id_, b_);
  auto parent = dentries_.GetDentry(u1_, space_id_, moved->parent_id);
  EXPECT_EQ(parent->name, "sub");
  EXPECT_EQ(parent->parent_id, docs->id);
}

TEST_F(RecycleServiceTest, PurgeReleasesQuotaAndClearEmptiesTheBin) {
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, docs_, true));
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, c_, true));
  auto page = recycle_.ListRecycleItems(u1_, SpaceBin(), 50, "");
  ASSERT_EQ(page->items.size(), 2u);
  ASSERT_TRUE(recycle_.DeleteRecycleItem(u1_, SpaceBin(), page->items[0].id));
  ExpectError(recycle_.DeleteRecycleItem(u1_, SpaceBin(), page->items[0].id).error(),
              Errc::kNotFound, "recycleItem");
  ASSERT_TRUE(recycle_.ClearRecycleBin(u1_, SpaceBin()));
  EXPECT_EQ(Used(), 0);
  EXPECT_EQ(*store_.SumVersionBytes(space_id_), 0);
  EXPECT_TRUE(recycle_.ListRecycleItems(u1_, SpaceBin(), 50, "")->items.empty());
  EXPECT_TRUE(recycle_.ClearRecycleBin(u1_, SpaceBin()));  // Empty: nothing to do.
}

TEST_F(RecycleServiceTest, BatchPurgeIsAllOrNothing) {
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, c_, true));
  const std::string item = OnlyItem().id;
  ExpectError(recycle_.DeleteRecycleItems(u1_, SpaceBin(), {item, "unknown"}).error(),
              Errc::kNotFound, "recycleItem");
  EXPECT_EQ(OnlyItem().id, item);
  ExpectError(recycle_.DeleteRecycleItems(u1_, SpaceBin(), {}).error(), Errc::kInvalidArgument,
              "recycleItemIds");
  ExpectError(
      recycle_.DeleteRecycleItems(u1_, SpaceBin(), std::vector<std::string>(51, item)).error(),
      Errc::kInvalidArgument, "recycleItemIds");
  ASSERT_TRUE(recycle_.DeleteRecycleItems(u1_, SpaceBin(), {item, item}));
  EXPECT_EQ(Used(), 35);
}

TEST_F(RecycleServiceTest, BinsFollowTheirScope) {
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, c_, true));
  const std::string item = OnlyItem().id;
  auto org = recycle_.GetRecycleBin(u1_, RecycleScope::kOrg, "corp1");
  auto app = recycle_.GetRecycleBin(u1_, RecycleScope::kApp, "app1");
  auto other = recycle_.GetRecycleBin(u1_, RecycleScope::kSpace, other_space_);
  ASSERT_TRUE(org && app && other);
  EXPECT_NE(org->id(), app->id());
  EXPECT_EQ(recycle_.GetRecycleBin(u1_, RecycleScope::kOrg, "corp1")->id(), org->id());
  EXPECT_TRUE(recycle_.GetRecycleItem(u1_, org->id(), item));
  EXPECT_TRUE(recycle_.GetRecycleItem(u1_, app->id(), item));
  ExpectError(recycle_.GetRecycleItem(u1_, other->id(), item).error(), Errc::kNotFound,
              "recycleItem");
  EXPECT_TRUE(recycle_.ListRecycleItems(u1_, other->id(), 50, "")->items.empty());

  ExpectError(recycle_.GetRecycleBin(u1_, RecycleScope::kOrg, "corp2").error(),
              Errc::kPermissionDenied, "org");
  ExpectError(recycle_.GetRecycleBin(u1_, RecycleScope::kApp, "app9").error(),
              Errc::kPermissionDenied, "app");
  ExpectError(recycle_.GetRecycleBin(u1_, RecycleScope::kSpace, "nope").error(), Errc::kNotFound,
              "space");
  ExpectError(recycle_.GetRecycleBin(u1_, RecycleScope::kSpace, "").error(), Errc::kInvalidArgument,
              "scopeId");
  // Another org's token sees neither the bin nor the item.
  ExpectError(recycle_.ListRecycleItems(stranger_, org->id(), 50, "").error(), Errc::kNotFound,
              "recycleBin");
  ExpectError(recycle_.GetRecycleItem(stranger_, SpaceBin(), item).error(), Errc::kNotFound,
              "recycleBin");
  auto own = recycle_.GetRecycleBin(stranger_, RecycleScope::kOrg, "corp2");
  ASSERT_TRUE(own);
  ExpectError(recycle_.GetRecycleItem(stranger_, own->id(), item).error(), Errc::kNotFound,
              "recycleItem");
  ExpectError(recycle_.ListRecycleItems(u1_, "zz", 50, "").error(), Errc::kNotFound, "recycleBin");
  ExpectError(recycle_.ListRecycleItems(u1_, "s0g", 50, "").error(), Errc::kNotFound, "recycleBin");
}

TEST_F(RecycleServiceTest, ListingPagesWithTokens) {
  for (const auto& id : {c_, a_, b_}) {
    clock_.AdvanceMillis(1000);
    ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, id, true));
  }
  auto first = recycle_.ListRecycleItems(u1_, SpaceBin(), 2, "");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].dentry_id, b_);  // Newest first.
  EXPECT_EQ(first->items[1].dentry_id, a_);
  ASSERT_FALSE(first->next_token.empty());
  auto second = recycle_.ListRecycleItems(u1_, SpaceBin(), 2, first->next_token);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].dentry_id, c_);
  EXPECT_TRUE(second->next_token.empty());
  auto exact = recycle_.ListRecycleItems(u1_, SpaceBin(), 3, "");
  EXPECT_TRUE(exact->next_token.empty());  // No empty last page.
  ExpectError(recycle_.ListRecycleItems(u1_, SpaceBin(), 51, "").error(), Errc::kInvalidArgument,
              "maxResults");
  ExpectError(recycle_.ListRecycleItems(u1_, SpaceBin(), 0, "").error(), Errc::kInvalidArgument,
              "maxResults");
  ExpectError(recycle_.ListRecycleItems(u1_, SpaceBin(), 2, "garbage").error(),
              Errc::kInvalidArgument, "nextToken");
}

TEST_F(RecycleServiceTest, BatchDeleteAnswersEachId) {
  auto r = recycle_.DeleteDentries(u1_, space_id_, {a_, "nope", kRootDentryId, a_}, true);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 4u);
  EXPECT_TRUE((*r)[0].outcome);
  ExpectError((*r)[1].outcome.error(), Errc::kNotFound, "dentry");
  ExpectError((*r)[2].outcome.error(), Errc::kInvalidArgument, "dentryId");
  ExpectError((*r)[3].outcome.error(), Errc::kNotFound, "dentry");
  ExpectError(recycle_.DeleteDentries(u1_, space_id_, {}, true).error(), Errc::kInvalidArgument,
              "dentryIds");
  ExpectError(
      recycle_.DeleteDentries(u1_, space_id_, std::vector<std::string>(51, c_), true).error(),
      Errc::kInvalidArgument, "dentryIds");
  ExpectError(recycle_.DeleteDentries(stranger_, space_id_, {c_}, true).error(), Errc::kNotFound,
              "space");
  auto restores = recycle_.RestoreRecycleItems(u1_, SpaceBin(), {OnlyItem().id, "x"},
                                               ConflictStrategy::kAutoRename);
  ASSERT_TRUE(restores);
  EXPECT_TRUE((*restores)[0].outcome);
  ExpectError((*restores)[1].outcome.error(), Errc::kNotFound, "recycleItem");
  ExpectError(recycle_
                  .RestoreRecycleItems(u1_, SpaceBin(), std::vector<std::string>(31, "x"),
                                       ConflictStrategy::kAutoRename)
                  .error(),
              Errc::kInvalidArgument, "recycleItemIds");
}

// A folder /big under the root holding `files` files of 1 byte (one version each), straight
// through the store.
std::string BigTree(MetadataStore& store, const std::string& space_id, int files) {
  std::string folder_id;
  EXPECT_TRUE(store.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto placed = PlaceChild(tx, space_id, kRootDentryId, "big", ConflictStrategy::kFail,
                             DentryType::kFolder);
    if (!placed) return placed.error();
    Dentry folder = NewDentry(DentryType::kFolder, space_id, kRootDentryId, *placed, "u1", 0);
    folder_id = folder.id;
    if (auto ok = tx.dentries().Insert(folder); !ok) return ok;
    for (int i = 0; i < files; ++i) {
      Placement p{"f" + std::to_string(i), "/big/f" + std::to_string(i), std::nullopt};
      Dentry d = NewDentry(DentryType::kFile, space_id, folder_id, p, "u1", 0);
      d.size = 1;
      d.blob_id = "b";
      if (auto ok = tx.dentries().Insert(d); !ok) return ok;
      if (auto ok = tx.dentries().InsertVersion({d.id, 1, 1, "b", "u1", 0}); !ok) return ok;
    }
    return tx.spaces().AdjustBytes(space_id, files, 0);
  }));
  return folder_id;
}

TEST_F(RecycleServiceTest, BigTreesAreDeletedRestoredAndPurgedByTasks) {
  const std::string big = BigTree(store_, space_id_, static_cast<int>(kAsyncThreshold));
  const int64_t used = Used();
  auto del = recycle_.DeleteDentry(u1_, space_id_, big, true);
  ASSERT_TRUE(del);
  ASSERT_TRUE(del->async);
  EXPECT_TRUE(Live(big));  // Nothing happens before the task runs.
  ASSERT_EQ(tasks_.RunPending().value(), 1);
  auto task = tasks_.GetTask(u1_, del->task_id);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, TaskStatus::kSucceeded);
  EXPECT_EQ(task->counts.total, kAsyncThreshold + 1);
  EXPECT_FALSE(Live(big));
  const RecycleItem item = OnlyItem();
  EXPECT_EQ(item.dentry_count, kAsyncThreshold + 1);
  EXPECT_EQ(item.operator_id, "u1");
  EXPECT_EQ(Used(), used);

  auto restore = recycle_.RestoreRecycleItem(u1_, SpaceBin(), item.id, ConflictStrategy::kFail);
  ASSERT_TRUE(restore);
  ASSERT_TRUE(restore->async);
  EXPECT_EQ(restore->dentry_id, big);
  ASSERT_EQ(tasks_.RunPending().value(), 1);
  EXPECT_TRUE(Live(big));
  EXPECT_TRUE(recycle_.ListRecycleItems(u1_, SpaceBin(), 50, "")->items.empty());

  // Purge: the item stays listed until its task ran.
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_id_, big, true));
  ASSERT_EQ(tasks_.RunPending().value(), 1);
  ASSERT_TRUE(recycle_.DeleteRecycleItem(u1_, SpaceBin(), OnlyItem().id));
  EXPECT_EQ(OnlyItem().dentry_id, big);
  ASSERT_EQ(tasks_.RunPending().value(), 1);
  EXPECT_TRUE(recycle_.ListRecycleItems(u1_, SpaceBin(), 50, "")->items.empty());
  EXPECT_EQ(Used(), used - kAsyncThreshold);
  EXPECT_EQ(*store_.SumVersionBytes(space_id_), Used());
}

TEST_F(RecycleServiceTest, BigPermanentDeleteIsATaskAndATreeAtTheThresholdIsNot) {
  const std::string big = BigTree(store_, space_id_, static_cast<int>(kAsyncThreshold) - 1);
  auto inline_delete = recycle_.DeleteDentry(u1_, space_id_, big, false);  // 1,000 dentries.
  ASSERT_TRUE(inline_delete);
  EXPECT_FALSE(inline_delete->async);
  EXPECT_FALSE(Live(big));
  const std::string bigger = BigTree(store_, space_id_, static_cast<int>(kAsyncThreshold));
  auto del = recycle_.DeleteDentry(u1_, space_id_, bigger, false);
  ASSERT_TRUE(del);
  ASSERT_TRUE(del->async);
  // A second delete of the same tree, submitted before the first ran: when its turn comes the
  // tree is gone, and it fails cleanly with the domain's error.
  auto twice = recycle_.DeleteDentry(u1_, space_id_, bigger, false);
  ASSERT_TRUE(twice && twice->async);
  ASSERT_EQ(tasks_.RunPending().value(), 2);
  auto task = tasks_.GetTask(u1_, del->task_id);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, TaskStatus::kSucceeded);
  auto failed = tasks_.GetTask(u1_, twice->task_id);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, TaskStatus::kFailed);
  ASSERT_TRUE(failed->failure);
  EXPECT_EQ(failed->failure->code, Errc::kNotFound);
  EXPECT_EQ(failed->failure->subject, "dentry");
  EXPECT_EQ(Used(), 65);
  EXPECT_EQ(*store_.SumVersionBytes(space_id_), 65);
}

}  // namespace
}  // namespace spacestore::domain
