#include "domain/copy_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "domain/placement.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class CopyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    ASSERT_TRUE(store_.CreateOrg(Org{"corp2", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp2", "u1", 0}));
    space_ = NewSpace("main", std::nullopt);
    other_ = NewSpace("other", std::nullopt);
    docs_ = Folder(space_, kRootDentryId, "docs");
    a_ = File(space_, docs_, "a.txt", 5, "blobA");
    sub_ = Folder(space_, docs_, "sub");
    b_ = File(space_, sub_, "b.txt", 7, "blobB");
  }

  std::string NewSpace(const std::string& scene, std::optional<int64_t> quota,
                       const Actor& actor = {"corp1", "app1", "u1"}) {
    AddSpaceParams params;
    params.scene = scene;
    params.quota_bytes = quota;
    auto s = spaces_.AddSpace(actor, params);
    EXPECT_TRUE(s);
    return s ? s->id : "";
  }

  // A folder or file written straight through the store, as an upload would leave it.
  std::string Insert(const std::string& space, const std::string& parent, const std::string& name,
                     DentryType type, int64_t size, const std::string& blob) {
    std::string id;
    EXPECT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      auto placed = PlaceChild(tx, space, parent, name, ConflictStrategy::kFail, type);
      if (!placed) return placed.error();
      Dentry d = NewDentry(type, space, parent, *placed, "u1", clock_.NowMillis());
      d.size = size;
      d.blob_id = blob;
      d.app_properties = {{"app1", "k", "v", true}};
      id = d.id;
      if (auto r = tx.dentries().Insert(d); !r) return r;
      if (type == DentryType::kFolder) return {};
      if (auto r = tx.dentries().InsertVersion({d.id, 1, size, blob, "u1", 0}); !r) return r;
      return tx.spaces().AdjustBytes(space, size, 0);
    }));
    return id;
  }
  std::string Folder(const std::string& space, const std::string& parent, const std::string& name) {
    return Insert(space, parent, name, DentryType::kFolder, 0, "");
  }
  std::string File(const std::string& space, const std::string& parent, const std::string& name,
                   int64_t size, const std::string& blob) {
    return Insert(space, parent, name, DentryType::kFile, size, blob);
  }

  int64_t Used(const std::string& space) { return store_.GetSpace("corp1", space)->used_bytes; }
  int64_t SumVersions(const std::string& space) { return store_.SumVersionBytes(space).value(); }

  // name -> dentry of every NORMAL child of `parent`.
  std::map<std::string, Dentry> Children(const std::string& space, const std::string& parent) {
    std::map<std::string, Dentry> out;
    ListQuery q;
    q.limit = 50;
    auto page = store_.ListChildren(space, parent, q);
    EXPECT_TRUE(page);
    for (auto& d : page->dentries) out.emplace(d.name, d);
    return out;
  }

  Result<CopyOutcome> Copy(const std::string& id, const std::string& target_space,
                           const std::string& folder,
                           ConflictStrategy strategy = ConflictStrategy::kAutoRename,
                           const std::string& source_space = "") {
    return copies_.Copy(u1_, source_space.empty() ? space_ : source_space, id,
                        CopyTarget{target_space, folder, strategy});
  }

  // A folder holding `files` one-byte files (so its subtree has files + 1 dentries).
  std::string BigFolder(const std::string& name, int files) {
    const std::string folder = Folder(space_, kRootDentryId, name);
    EXPECT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      for (int i = 0; i < files; ++i) {
        Placement place{"f" + std::to_string(i), "", std::nullopt};
        Dentry d = NewDentry(DentryType::kFile, space_, folder, place, "u1", 0);
        d.size = 1;
        d.blob_id = "blobSmall";
        if (auto r = tx.dentries().Insert(d); !r) return r;
        if (auto r = tx.dentries().InsertVersion({d.id, 1, 1, "blobSmall", "u1", 0}); !r) return r;
      }
      return tx.spaces().AdjustBytes(space_, files, 0);
    }));
    return folder;
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  TaskService tasks_{store_, clock_};
  CopyService copies_{store_, clock_, spaces_, tasks_};
  Actor u1_{"corp1", "app1", "u1"};
  std::string space_, other_, docs_, a_, sub_, b_;
};

TEST_F(CopyServiceTest, CopiesAFileAsANewDentrySharingTheContent) {
  clock_.AdvanceMillis(1000);
  auto copy = Copy(a_, space_, kRootDentryId);
  ASSERT_TRUE(copy);
  EXPECT_FALSE(copy->async);
  EXPECT_TRUE(copy->task_id.empty());
  ASSERT_TRUE(copy->dentry);
  const Dentry& d = *copy->dentry;
  const Dentry source = *store_.GetDentry(space_, a_);
  EXPECT_NE(d.id, a_);
  EXPECT_EQ(d.id.size(), 12u);
  EXPECT_NE(d.uuid, source.uuid);
  EXPECT_EQ(d.name, "a.txt");
  EXPECT_EQ(d.parent_id, kRootDentryId);
  EXPECT_EQ(d.path, "/a.txt");
  EXPECT_EQ(d.version, 1);
  EXPECT_EQ(d.size, 5);
  EXPECT_EQ(d.blob_id, "blobA");
  EXPECT_EQ(d.create_time, clock_.NowMillis());
  EXPECT_EQ(d.app_properties.size(), 1u);
  EXPECT_EQ(copy->target_dentry_id, d.id);
  EXPECT_EQ(copy->target_space_id, space_);
  EXPECT_EQ(store_.GetDentry(space_, d.id)->name, "a.txt");
  auto versions = store_.ListVersions(d.id);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().blob_id, "blobA");
  EXPECT_EQ(Used(space_), 12 + 5);  // Charged in full, though the content is stored once.
  EXPECT_EQ(Used(space_), SumVersions(space_));
}

TEST_F(CopyServiceTest, CopiesAFolderTreeWithNewIdsAndPaths) {
  const std::string dest = Folder(space_, kRootDentryId, "dest");
  auto copy = Copy(docs_, space_, dest);
  ASSERT_TRUE(copy);
  EXPECT_FALSE(copy->async);
  EXPECT_EQ(copy->dentry->path, "/dest/docs");
  auto top = Children(space_, copy->dentry->id);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_NE(top.at("a.txt").id, a_);
  EXPECT_EQ(top.at("a.txt").path, "/dest/docs/a.txt");
  EXPECT_NE(top.at("sub").id, sub_);
  auto below = Children(space_, top.at("sub").id);
  ASSERT_EQ(below.size(), 1u);
  EXPECT_EQ(below.at("b.txt").path, "/dest/docs/sub/b.txt");
  EXPECT_EQ(below.at("b.txt").blob_id, "blobB");
  EXPECT_EQ(Used(space_), 24);
  EXPECT_EQ(SumVersions(space_), 24);
  EXPECT_EQ(Children(space_, docs_).size(), 2u);  // The source is untouched.
}

TEST_F(CopyServiceTest, ConflictStrategies) {
  auto renamed = Copy(a_, space_, docs_);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->dentry->name, "a (1).txt");

  auto existing = Copy(a_, space_, docs_, ConflictStrategy::kReturnExisting);
  ASSERT_TRUE(existing);
  EXPECT_EQ(existing->dentry->id, a_);
  EXPECT_EQ(existing->target_dentry_id, a_);

  auto fail = Copy(a_, space_, docs_, ConflictStrategy::kFail);
  ASSERT_FALSE(fail);
  EXPECT_EQ(fail.error().code, Errc::kAlreadyExists);

  // OVERWRITE of a file: the source's content as the next version of the existing file.
  const std::string other_a = File(space_, sub_, "a.txt", 100, "blobOther");
  const int64_t before = Used(space_);
  auto overwritten =
      copies_.Copy(u1_, space_, a_, CopyTarget{space_, sub_, ConflictStrategy::kOverwrite});
  ASSERT_TRUE(overwritten);
  EXPECT_EQ(overwritten->dentry->id, other_a);
  EXPECT_EQ(overwritten->dentry->version, 2);
  EXPECT_EQ(overwritten->dentry->blob_id, "blobA");
  EXPECT_EQ(store_.GetDentry(space_, other_a)->size, 5);
  EXPECT_EQ(Used(space_), before + 5);
  EXPECT_EQ(Used(space_), SumVersions(space_));

  // OVERWRITE never merges folders.
  const std::string elsewhere = Folder(space_, kRootDentryId, "elsewhere");
  Folder(space_, elsewhere, "docs");
  auto merge = Copy(docs_, space_, elsewhere, ConflictStrategy::kOverwrite);
  ASSERT_FALSE(merge);
  EXPECT_EQ(merge.error().code, Errc::kAlreadyExists);
}

TEST_F(CopyServiceTest, NeverIntoItselfOrItsSubtree) {
  for (const std::string& target : {docs_, sub_}) {
    auto r = Copy(docs_, space_, target);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().subject, "targetFolderId");
  }
  EXPECT_TRUE(Copy(sub_, space_, docs_));  // Into its own parent: fine (renamed).
  auto into_file = Copy(sub_, space_, a_);
  ASSERT_FALSE(into_file);
  EXPECT_EQ(into_file.error().subject, "parentId");
  EXPECT_EQ(Copy(a_, space_, "404040404040").error().subject, "parent");
}

TEST_F(CopyServiceTest, MissingRootAndDeletedSourcesAreNotFound) {
  for (const std::string& id : {std::string(kRootDentryId), std::string("404040404040")}) {
    auto r = Copy(id, space_, kRootDentryId);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kNotFound);
    EXPECT_EQ(r.error().subject, "dentry");
  }
  // A dentry of another space is missing from this one.
  const std::string elsewhere = File(other_, kRootDentryId, "x", 1, "blobX");
  EXPECT_EQ(Copy(elsewhere, space_, kRootDentryId).error().subject, "dentry");
  // A recycled file is not copied, neither on its own nor below its folder.
  ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) {
    Dentry b = *tx.dentries().Get(space_, b_);
    b.status = DentryStatus::kDeleted;
    return tx.dentries().Update(b);
  }));
  EXPECT_EQ(Copy(b_, space_, kRootDentryId).error().subject, "dentry");
  auto copy = Copy(sub_, space_, kRootDentryId);
  ASSERT_TRUE(copy);
  EXPECT_TRUE(Children(space_, copy->dentry->id).empty());
}

TEST_F(CopyServiceTest, AcrossSpacesChargesTheTarget) {
  auto copy = Copy(docs_, other_, kRootDentryId);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->target_space_id, other_);
  EXPECT_EQ(copy->dentry->space_id, other_);
  EXPECT_EQ(Used(space_), 12);
  EXPECT_EQ(Used(other_), 12);
  EXPECT_EQ(SumVersions(other_), 12);
  EXPECT_EQ(Children(other_, copy->dentry->id).size(), 2u);
  // Another org's space is not found, as is a missing one.
  const std::string foreign = NewSpace("f", std::nullopt, Actor{"corp2", "app9", "u1"});
  for (const std::string& target : {foreign, std::string("999999999999")}) {
    auto r = Copy(a_, target, kRootDentryId);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kNotFound);
    EXPECT_EQ(r.error().subject, "space");
  }
}

TEST_F(CopyServiceTest, RefusedWholeWhenTheTargetCannotHoldIt) {
  const std::string small = NewSpace("small", 10);
  auto r = Copy(docs_, small, kRootDentryId);  // 12 bytes into 10.
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kQuotaExceeded);
  EXPECT_TRUE(Children(small, kRootDentryId).empty());
  EXPECT_EQ(Used(small), 0);
  EXPECT_TRUE(Copy(sub_, small, kRootDentryId));  // 7 bytes fit.
  EXPECT_EQ(Used(small), 7);
}

TEST_F(CopyServiceTest, BigTreeRunsAsATaskInOneTransaction) {
  const std::string big = BigFolder("big", static_cast<int>(kAsyncThreshold));  // 1001 dentries.
  const int64_t used = Used(space_);
  auto copy = Copy(big, other_, kRootDentryId);
  ASSERT_TRUE(copy);
  ASSERT_TRUE(copy->async);
  EXPECT_FALSE(copy->dentry);
  EXPECT_EQ(copy->task_id.size(), 24u);
  EXPECT_EQ(copy->target_space_id, other_);
  EXPECT_EQ(copy->target_dentry_id.size(), 12u);
  // Nothing is copied before the task runs.
  EXPECT_EQ(store_.GetDentry(other_, copy->target_dentry_id).error().code, Errc::kNotFound);
  EXPECT_EQ(Used(other_), 0);
  auto task = tasks_.GetTask(u1_, copy->task_id);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, TaskStatus::kInit);
  EXPECT_EQ(task->counts.total, kAsyncThreshold + 1);

  EXPECT_EQ(tasks_.RunPending().value(), 1);
  task = tasks_.GetTask(u1_, copy->task_id);
  EXPECT_EQ(task->status, TaskStatus::kSucceeded);
  EXPECT_EQ(task->counts.success, kAsyncThreshold + 1);
  EXPECT_EQ(task->counts.fail, 0);
  auto root = store_.GetDentry(other_, copy->target_dentry_id);
  ASSERT_TRUE(root);
  EXPECT_EQ(root->name, "big");
  EXPECT_EQ(Used(other_), kAsyncThreshold);
  EXPECT_EQ(SumVersions(other_), kAsyncThreshold);
  EXPECT_EQ(Used(space_), used);
  auto extent = store_.Read(
      [&](MetadataTransaction& tx) { return tx.dentries().MeasureSubtree(other_, root->id); });
  EXPECT_EQ(extent->dentries, kAsyncThreshold + 1);

  // At the threshold exactly, a copy is inline.
  const std::string edge = BigFolder("edge", static_cast<int>(kAsyncThreshold) - 1);
  auto inline_copy = Copy(edge, other_, kRootDentryId);
  ASSERT_TRUE(inline_copy);
  EXPECT_FALSE(inline_copy->async);
}

TEST_F(CopyServiceTest, BigCopyRefusedUpFrontWhenItCannotFit) {
  const std::string big = BigFolder("big", static_cast<int>(kAsyncThreshold));
  const std::string small = NewSpace("small", 100);
  auto r = Copy(big, small, kRootDentryId);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kQuotaExceeded);
  EXPECT_EQ(tasks_.RunPending().value(), 0);  // No task was left behind.
}

TEST_F(CopyServiceTest, TaskFailsCleanlyWhenTheWorldChangedMeanwhile) {
  const std::string big = BigFolder("big", static_cast<int>(kAsyncThreshold));
  const std::string doomed = BigFolder("doomed", static_cast<int>(kAsyncThreshold));
  const std::string target = NewSpace("target", 5000);
  auto quota_task = Copy(big, target, kRootDentryId);
  auto gone_task = Copy(doomed, other_, kRootDentryId);
  ASSERT_TRUE(quota_task && gone_task);
  // Once both are accepted, the first target's quota shrinks below the copy and the second
  // source folder is deleted.
  ASSERT_TRUE(store_.UpdateSpace(
      "corp1", target,
      SpaceUpdate{
          .quota_bytes = 500, .disabled = std::nullopt, .modifier_id = "u1", .modified_time = 0}));
  ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) {
    Dentry d = *tx.dentries().Get(space_, doomed);
    d.status = DentryStatus::kDeleted;
    return tx.dentries().Update(d);
  }));
  EXPECT_EQ(tasks_.RunPending().value(), 2);
  auto quota = tasks_.GetTask(u1_, quota_task->task_id);
  EXPECT_EQ(quota->status, TaskStatus::kFailed);
  EXPECT_EQ(quota->failure->code, Errc::kQuotaExceeded);
  EXPECT_EQ(quota->counts.fail, kAsyncThreshold + 1);
  auto gone = tasks_.GetTask(u1_, gone_task->task_id);
  EXPECT_EQ(gone->status, TaskStatus::kFailed);
  EXPECT_EQ(gone->failure->code, Errc::kNotFound);
  EXPECT_EQ(gone->failure->subject, "dentry");
  EXPECT_TRUE(Children(target, kRootDentryId).empty());
  EXPECT_EQ(Used(target), 0);
  EXPECT_EQ(Used(other_), 0);
}

TEST_F(CopyServiceTest, TaskTakesAnotherNameWhenTheTargetNameWasTaken) {
  const std::string big = BigFolder("big", static_cast<int>(kAsyncThreshold));
  auto renamed = Copy(big, other_, kRootDentryId);
  auto strict = Copy(big, other_, kRootDentryId, ConflictStrategy::kFail);
  ASSERT_TRUE(renamed && strict);
  Folder(other_, kRootDentryId, "big");  // Taken after both were accepted.
  EXPECT_EQ(tasks_.RunPending().value(), 2);
  EXPECT_EQ(tasks_.GetTask(u1_, renamed->task_id)->status, TaskStatus::kSucceeded);
  EXPECT_EQ(store_.GetDentry(other_, renamed->target_dentry_id)->name, "big (1)");
  auto failed = tasks_.GetTask(u1_, strict->task_id);
  EXPECT_EQ(failed->status, TaskStatus::kFailed);
  EXPECT_EQ(failed->failure->code, Errc::kAlreadyExists);
}

TEST_F(CopyServiceTest, CopyManyAnswersEachItem) {
  auto items = copies_.CopyMany(u1_, space_, {a_, "404040404040", docs_, sub_},
                                CopyTarget{space_, sub_, ConflictStrategy::kAutoRename});
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 4u);
  EXPECT_TRUE((*items)[0].outcome);
  EXPECT_EQ((*items)[0].dentry_id, a_);
  EXPECT_EQ((*items)[1].outcome.error().subject, "dentry");
  EXPECT_EQ((*items)[2].outcome.error().subject, "targetFolderId");
  EXPECT_EQ((*items)[3].outcome.error().subject, "targetFolderId");
  EXPECT_EQ(Children(space_, sub_).size(), 2u);  // b.txt and the copied a.txt.

  EXPECT_EQ(copies_.CopyMany(u1_, space_, {}, CopyTarget{space_, "0", {}}).error().subject,
            "dentryIds");
  const std::vector<std::string> too_many(kMaxCopyIds + 1, a_);
  EXPECT_EQ(copies_.CopyMany(u1_, space_, too_many, CopyTarget{space_, "0", {}}).error().subject,
            "dentryIds");
  const std::vector<std::string> most(kMaxCopyIds, a_);
  EXPECT_TRUE(copies_.CopyMany(u1_, space_, most, CopyTarget{space_, "0", {}}));
  EXPECT_EQ(
      copies_.CopyMany(u1_, "999999999999", {a_}, CopyTarget{space_, "0", {}}).error().subject,
      "space");
}

TEST_F(CopyServiceTest, OnlyMembersWhoMayOperateCopy) {
  ASSERT_TRUE(store_.CreateUser(User{"u2", "corp1", "u2", 0}));
  auto r = copies_.Copy(Actor{"corp1", "app1", "u2"}, space_, a_,
                        CopyTarget{space_, kRootDentryId, ConflictStrategy::kAutoRename});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kPermissionDenied);
}

}  // namespace
}  // namespace spacestore::domain
