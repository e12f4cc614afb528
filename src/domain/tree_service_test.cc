#include "domain/tree_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "domain/dentry_service.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class TreeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    auto space = spaces_.AddSpace(u1_, {});
    ASSERT_TRUE(space);
    space_id_ = space->id;
    AddSpaceParams other;
    other.scene = "other";
    other.quota_bytes = 100;
    auto second = spaces_.AddSpace(u1_, other);
    ASSERT_TRUE(second);
    other_id_ = second->id;
  }

  std::string Folder(const std::string& parent, const std::string& name) {
    auto d = dentries_.AddFolder(u1_, space_id_, parent, name, ConflictStrategy::kFail, {});
    EXPECT_TRUE(d) << name;
    return d ? d->id : "";
  }

  // A file of `bytes` bytes in one version, straight through the store (with its quota).
  std::string File(const std::string& parent, const std::string& name, int64_t bytes) {
    Dentry d;
    d.id = "f" + name;
    d.space_id = space_id_;
    d.parent_id = parent;
    d.uuid = "u" + name;
    d.name = name;
    d.size = bytes;
    d.blob_id = "blob";
    EXPECT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      if (auto ok = tx.dentries().Insert(d); !ok) return ok;
      if (auto ok = tx.dentries().InsertVersion({d.id, 1, bytes, "blob", "u1", 0}); !ok) return ok;
      return tx.spaces().AdjustBytes(space_id_, bytes, 0);
    }));
    return d.id;
  }

  MoveTarget Into(const std::string& space, const std::string& folder) {
    MoveTarget t;
    t.space_id = space;
    t.folder_id = folder;
    return t;
  }

  int64_t Used(const std::string& space) { return store_.GetSpace("corp1", space)->used_bytes; }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  DentryService dentries_{store_, clock_, spaces_};
  TaskService tasks_{store_, clock_};
  TreeService tree_{store_, clock_, spaces_, tasks_};
  const Actor u1_{"corp1", "app1", "u1"};
  std::string space_id_;
  std::string other_id_;
};

TEST_F(TreeServiceTest, RenameShowsAtOnceInCachedDescendants) {
  const std::string a = Folder(kRootDentryId, "a");
  const std::string b = Folder(a, "b");
  const std::string f = File(b, "f.txt", 1);
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, f)->path, "/a/b/f.txt");  // Now cached.
  auto renamed = tree_.Rename(u1_, space_id_, a, "z");
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->path, "/z");
  EXPECT_EQ(renamed->modifier_id, "u1");
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, f)->path, "/z/b/f.txt");
}

TEST_F(TreeServiceTest, CrossingMovesNeverMakeACycle) {
  // Two folders each moved into the other at the same time: one move wins, the other sees the
  // first inside its transaction and is refused.
  for (int round = 0; round < 20; ++round) {
    const std::string x = Folder(kRootDentryId, "x" + std::to_string(round));
    const std::string y = Folder(kRootDentryId, "y" + std::to_string(round));
    Result<MoveOutcome> first = Error{}, second = Error{};
    std::thread t1([&] { first = tree_.Move(u1_, space_id_, x, Into(space_id_, y)); });
    std::thread t2([&] { second = tree_.Move(u1_, space_id_, y, Into(space_id_, x)); });
    t1.join();
    t2.join();
    EXPECT_NE(first.has_value(), second.has_value());
    const Result<MoveOutcome>& lost = first ? second : first;
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().subject, "targetFolderId");
  }
}

TEST_F(TreeServiceTest, MoveAcrossSpacesKeepsUsedQuotaExact) {
  const std::string a = Folder(kRootDentryId, "a");
  File(a, "one", 30);
  File(Folder(a, "sub"), "two", 40);
  File(kRootDentryId, "stays", 5);
  ASSERT_EQ(Used(space_id_), 75);
  auto moved = tree_.Move(u1_, space_id_, a, Into(other_id_, kRootDentryId));
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->dentry.space_id, other_id_);
  EXPECT_EQ(Used(space_id_), 5);
  EXPECT_EQ(Used(other_id_), 70);
  EXPECT_EQ(*store_.SumVersionBytes(space_id_), 5);
  EXPECT_EQ(*store_.SumVersionBytes(other_id_), 70);
  auto two = dentries_.GetDentry(u1_, other_id_, "ftwo");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->path, "/a/sub/two");
}

TEST_F(TreeServiceTest, MoveAcrossSpacesChecksTheTargetQuotaFirst) {
  const std::string a = Folder(kRootDentryId, "a");
  File(a, "big", 101);  // The other space holds at most 100 bytes.
  auto moved = tree_.Move(u1_, space_id_, a, Into(other_id_, kRootDentryId));
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, Errc::kQuotaExceeded);
  EXPECT_EQ(Used(space_id_), 101);
  EXPECT_EQ(Used(other_id_), 0);
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, "fbig")->path, "/a/big");
}

TEST_F(TreeServiceTest, LargeMoveAcrossSpacesRunsAsATask) {
  const std::string big = Folder(kRootDentryId, "big");
  ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    for (int i = 0; i < kAsyncThreshold; ++i) {  // With `big`: one more than the threshold.
      Dentry d;
      d.id = "n" + std::to_string(i);
      d.space_id = space_id_;
      d.parent_id = big;
      d.uuid = d.id;
      d.name = d.id;
      d.type = DentryType::kFolder;
      if (auto ok = tx.dentries().Insert(d); !ok) return ok;
    }
    return {};
  }));
  File(big, "payload", 60);
  auto moved = tree_.Move(u1_, space_id_, big, Into(other_id_, kRootDentryId));
  ASSERT_TRUE(moved);
  ASSERT_TRUE(moved->async);
  EXPECT_FALSE(moved->task_id.empty());
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, big)->path, "/big");  // Not yet.
  EXPECT_EQ(Used(space_id_), 60);
  ASSERT_EQ(tasks_.RunPending().value(), 1);
  auto task = tasks_.GetTask(u1_, moved->task_id);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, TaskStatus::kSucceeded);
  EXPECT_EQ(task->counts.total, kAsyncThreshold + 2);
  EXPECT_EQ(dentries_.GetDentry(u1_, other_id_, "fpayload")->path, "/big/payload");
  EXPECT_EQ(dentries_.GetDentry(u1_, other_id_, "n7")->path, "/big/n7");
  EXPECT_EQ(Used(space_id_), 0);
  EXPECT_EQ(Used(other_id_), 60);
  // Within a space a move is one row whatever the size: inline.
  auto back = tree_.Move(u1_, other_id_, big, Into(other_id_, kRootDentryId));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->async);
}

TEST_F(TreeServiceTest, AMoveTaskChecksAgainWhenItRuns) {
  const std::string big = Folder(kRootDentryId, "big");
  ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    for (int i = 0; i < kAsyncThreshold; ++i) {
      Dentry d;
      d.id = "m" + std::to_string(i);
      d.space_id = space_id_;
      d.parent_id = big;
      d.uuid = d.id;
      d.name = d.id;
      if (auto ok = tx.dentries().Insert(d); !ok) return ok;
    }
    return {};
  }));
  MoveTarget into = Into(other_id_, kRootDentryId);
  into.strategy = ConflictStrategy::kFail;
  auto moved = tree_.Move(u1_, space_id_, big, into);
  ASSERT_TRUE(moved && moved->async);
  // The name is taken in the target before the task runs: the task fails, nothing moves.
  ASSERT_TRUE(
      dentries_.AddFolder(u1_, other_id_, kRootDentryId, "big", ConflictStrategy::kFail, {}));
  ASSERT_EQ(tasks_.RunPending().value(), 1);
  auto task = tasks_.GetTask(u1_, moved->task_id);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, TaskStatus::kFailed);
  ASSERT_TRUE(task->failure);
  EXPECT_EQ(task->failure->code, Errc::kAlreadyExists);
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, "m5")->path, "/big/m5");
}

TEST_F(TreeServiceTest, MoveManyAnswersInRequestOrder) {
  const std::string a = Folder(kRootDentryId, "a");
  const std::string b = Folder(kRootDentryId, "b");
  auto items = tree_.MoveMany(u1_, space_id_, {b, "nope", a}, Into(space_id_, a));
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 3u);
  EXPECT_TRUE((*items)[0].outcome);
  EXPECT_EQ((*items)[1].outcome.error().code, Errc::kNotFound);
  EXPECT_EQ((*items)[2].outcome.error().subject, "targetFolderId");
  EXPECT_EQ(dentries_.GetDentry(u1_, space_id_, b)->path, "/a/b");
  std::vector<std::string> many(kMaxMoveIds + 1, a);
  EXPECT_FALSE(tree_.MoveMany(u1_, space_id_, many, Into(space_id_, kRootDentryId)));
}

}  // namespace
}  // namespace spacestore::domain
