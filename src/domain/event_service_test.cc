// The event log as the domain writes and reads it: a scripted sequence of calls through every
// service leaves exactly its events, in order, with their bodies (docs/events.md); refused
// changes leave none; subscriptions and paging (EventService).
#include "domain/event_service.h"

#include <gtest/gtest.h>

#include "domain/app_property_service.h"
#include "domain/copy_service.h"
#include "domain/dentry_service.h"
#include "domain/permission_service.h"
#include "domain/placement.h"
#include "domain/recycle_service.h"
#include "domain/task_service.h"
#include "domain/tree_service.h"
#include "domain/version_service.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

using Strings = std::vector<std::string>;

class EventServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateOrg(Org{"corp2", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u2", "corp1", "u2", 0}));
    ASSERT_TRUE(store_.CreateApp(App{"app1", "k1", "h", "corp1", "a", {}, {}, 0, 0, {}, {}}));
    ASSERT_TRUE(store_.CreateApp(App{"app2", "k2", "h", "corp1", "b", {}, {}, 0, 0, {}, {}}));
    AddSpaceParams params;
    params.name = "main";
    params.scene = "main";
    space_ = spaces_.AddSpace(u1_, params).value().id;
    params.scene = "other";
    params.name = "other";
    other_ = spaces_.AddSpace(u1_, params).value().id;
  }

  // A file written straight through the store with versions 1 and 2 (no event: not a service).
  std::string InsertFile(const std::string& name) {
    std::string id;
    EXPECT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      auto placed =
          PlaceChild(tx, space_, kRootDentryId, name, ConflictStrategy::kFail, DentryType::kFile);
      if (!placed) return placed.error();
      Dentry d = NewDentry(DentryType::kFile, space_, kRootDentryId, *placed, "u1", 0);
      d.size = 7;
      d.version = 2;
      d.blob_id = "b2";
      id = d.id;
      if (auto r = tx.dentries().Insert(d); !r) return r;
      if (auto r = tx.dentries().InsertVersion({d.id, 1, 3, "b1", "u1", 0}); !r) return r;
      if (auto r = tx.dentries().InsertVersion({d.id, 2, 7, "b2", "u1", 0}); !r) return r;
      return tx.spaces().AdjustBytes(space_, 10, 0);
    }));
    return id;
  }

  // Every event of corp1's log after `after`.
  std::vector<Event> Log(int64_t after = 0) {
    auto events = store_.Read([&](MetadataTransaction& tx) {
      return tx.events().List("corp1", after, EventFilter{true, {}}, 1000);
    });
    EXPECT_TRUE(events);
    return events ? *events : std::vector<Event>{};
  }
  static Strings Types(const std::vector<Event>& events) {
    Strings out;
    for (const auto& e : events) out.push_back(e.type);
    return out;
  }
  int64_t LastSeq() {
    return store_.Read([](MetadataTransaction& tx) { return tx.events().LastSeq("corp1"); })
        .value();
  }
  static std::string Text(const Event& e, std::string_view field) {
    const auto* v = e.Field(field);
    return v != nullptr && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v)
                                                                   : "<none>";
  }
  static int64_t Int(const Event& e, std::string_view field) {
    const auto* v = e.Field(field);
    return v != nullptr && std::holds_alternative<int64_t>(*v) ? std::get<int64_t>(*v) : -1;
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  DentryService dentries_{store_, clock_, spaces_};
  TaskService tasks_{store_, clock_};
  TreeService tree_{store_, clock_, spaces_, tasks_};
  CopyService copies_{store_, clock_, spaces_, tasks_};
  RecycleService recycle_{store_, clock_, spaces_, tasks_};
  VersionService versions_{store_, clock_, spaces_};
  AppPropertyService properties_{store_, clock_, spaces_};
  PermissionService permissions_{store_, clock_, spaces_};
  EventService events_{store_, clock_, spaces_};
  const Actor u1_{"corp1", "app1", "u1"};
  std::string space_;
  std::string other_;
};

TEST_F(EventServiceTest, AScriptedSequenceWritesItsEventsInOrder) {
  const std::string file = InsertFile("f.txt");
  const int64_t start = LastSeq();
  EXPECT_EQ(start, 2);  // The two spaces.

  auto docs = dentries_.AddFolder(u1_, space_, kRootDentryId, "docs", ConflictStrategy::kFail, {});
  ASSERT_TRUE(docs);
  ASSERT_TRUE(tree_.Rename(u1_, space_, docs->id, "papers"));
  ASSERT_TRUE(tree_.Move(u1_, space_, file, MoveTarget{space_, docs->id}));
  auto copied = copies_.Copy(u1_, space_, docs->id, CopyTarget{other_, kRootDentryId});
  ASSERT_TRUE(copied);
  ASSERT_TRUE(versions_.Revert(u1_, space_, file, 1));
  ASSERT_TRUE(properties_.Update(u1_, space_, file, {{"", "k", "v", true}}));
  ASSERT_TRUE(permissions_.AddPermission(u1_, space_, docs->id,
                                         GrantRequest{"EDITOR", {{"USER", "u2", ""}}, {}}));
  ASSERT_TRUE(permissions_.AddPermission(u1_, space_, docs->id,
                                         GrantRequest{"READER", {{"USER", "u2", ""}}, {}}));
  ASSERT_TRUE(permissions_.DeletePermission(u1_, space_, docs->id, "READER", {{"USER", "u2", ""}}));
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_, docs->id, true));
  auto bin = recycle_.GetRecycleBin(u1_, RecycleScope::kSpace, space_);
  ASSERT_TRUE(bin);
  auto items = recycle_.ListRecycleItems(u1_, bin->id(), 10, "");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->items.size(), 1u);
  ASSERT_TRUE(recycle_.RestoreRecycleItem(u1_, bin->id(), items->items[0].id,
                                          ConflictStrategy::kAutoRename));
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, other_, copied->target_dentry_id, false));
  ASSERT_TRUE(recycle_.DeleteDentry(u1_, space_, docs->id, true));
  items = recycle_.ListRecycleItems(u1_, bin->id(), 10, "");
  ASSERT_TRUE(items);
  ASSERT_TRUE(recycle_.DeleteRecycleItem(u1_, bin->id(), items->items[0].id));
  SpaceUpdate quota;
  quota.quota_bytes = std::optional<int64_t>(4096);
  ASSERT_TRUE(spaces_.UpdateSpace(u1_, space_, quota));

  const auto log = Log(start);
  EXPECT_EQ(Types(log), (Strings{"dentry.created", "dentry.renamed", "dentry.moved",
                                 "dentry.copied", "dentry.reverted", "dentry.propertiesChanged",
                                 "permission.added", "permission.updated", "permission.deleted",
                                 "dentry.deleted", "dentry.restored", "dentry.deleted",
                                 "dentry.deleted", "recycleItem.purged", "space.updated"}));
  ASSERT_EQ(log.size(), 15u);
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].seq, start + static_cast<int64_t>(i) + 1);
    EXPECT_EQ(log[i].corp_id, "corp1");
    EXPECT_EQ(log[i].operator_id, "u1");
    EXPECT_FALSE(log[i].event_id.empty());
  }
  EXPECT_EQ(log[0].dentry_id, docs->id);
  EXPECT_EQ(Text(log[0], "name"), "docs");
  EXPECT_EQ(Text(log[0], "type"), "FOLDER");
  EXPECT_EQ(Text(log[1], "name"), "papers");
  EXPECT_EQ(Text(log[1], "oldName"), "docs");
  EXPECT_EQ(log[2].dentry_id, file);
  EXPECT_EQ(Text(log[2], "parentId"), docs->id);
  EXPECT_EQ(Text(log[2], "oldParentId"), kRootDentryId);
  EXPECT_EQ(Text(log[2], "oldSpaceId"), space_);
  // The copy is one event, for its root, in the target space.
  EXPECT_EQ(log[3].space_id, other_);
  EXPECT_EQ(log[3].dentry_id, copied->target_dentry_id);
  EXPECT_EQ(Text(log[3], "sourceDentryId"), docs->id);
  EXPECT_EQ(Int(log[4], "version"), 3);
  EXPECT_EQ(Int(log[4], "revertedFrom"), 1);
  EXPECT_EQ(Int(log[4], "size"), 3);
  EXPECT_EQ(Text(log[5], "appId"), "app1");
  EXPECT_EQ(Text(log[5], "action"), "UPDATE");
  EXPECT_EQ(Text(log[6], "memberId"), "u2");
  EXPECT_EQ(Text(log[6], "role"), "EDITOR");
  EXPECT_EQ(Text(log[7], "role"), "READER");
  EXPECT_EQ(Text(log[8], "role"), "READER");
  EXPECT_EQ(log[9].dentry_id, docs->id);  // The subtree's top only.
  EXPECT_EQ(std::get<bool>(*log[9].Field("toRecycleBin")), true);
  EXPECT_EQ(Text(log[9], "recycleItemId"), Text(log[10], "recycleItemId"));
  EXPECT_EQ(log[11].space_id, other_);
  EXPECT_EQ(std::get<bool>(*log[11].Field("toRecycleBin")), false);
  EXPECT_EQ(Text(log[13], "name"), "papers");
  EXPECT_EQ(log[14].dentry_id, "");
  EXPECT_EQ(Int(log[14], "quota"), 4096);
}

TEST_F(EventServiceTest, RefusedChangesWriteNoEvent) {
  const std::string file = InsertFile("f.txt");
  ASSERT_TRUE(dentries_.AddFolder(u1_, space_, kRootDentryId, "docs", ConflictStrategy::kFail, {}));
  const int64_t before = LastSeq();
  // A clash, a missing dentry, a cycle, a refused grant, a quota, a same-name rename.
  EXPECT_FALSE(
      dentries_.AddFolder(u1_, space_, kRootDentryId, "docs", ConflictStrategy::kFail, {}));
  EXPECT_TRUE(dentries_.AddFolder(u1_, space_, kRootDentryId, "docs",
                                  ConflictStrategy::kReturnExisting, {}));
  EXPECT_FALSE(tree_.Rename(u1_, space_, file, "docs"));
  EXPECT_TRUE(tree_.Rename(u1_, space_, file, "f.txt"));
  EXPECT_FALSE(tree_.Move(u1_, space_, "nope", MoveTarget{space_, kRootDentryId}));
  EXPECT_FALSE(permissions_.AddPermission(u1_, space_, file,
                                          GrantRequest{"OWNER", {{"USER", "u2", ""}}, {}}));
  EXPECT_FALSE(permissions_.AddPermission(u1_, space_, file,
                                          GrantRequest{"READER", {{"USER", "nobody", ""}}, {}}));
  EXPECT_TRUE(permissions_.DeletePermission(u1_, space_, file, "READER", {{"USER", "u2", ""}}));
  SpaceUpdate tiny;
  tiny.quota_bytes = std::optional<int64_t>(1);
  ASSERT_TRUE(spaces_.UpdateSpace(u1_, other_, tiny));
  EXPECT_FALSE(copies_.Copy(u1_, space_, file, CopyTarget{other_, kRootDentryId}));
  EXPECT_EQ(LastSeq(), before + 1);  // Only the quota change.
  EXPECT_EQ(Types(Log(before)), Strings{"space.updated"});
}

TEST_F(EventServiceTest, AnIdempotentSpaceCreateEmitsOnce) {
  AddSpaceParams params;
  params.scene = "main";
  params.name = "main";
  const int64_t before = LastSeq();
  ASSERT_TRUE(spaces_.AddSpace(u1_, params));
  EXPECT_EQ(LastSeq(), before);
}

TEST_F(EventServiceTest, SubscribeChecksTheScope) {
  auto fails = [](const Result<void>& r, Errc code, const std::string& subject) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code);
    EXPECT_EQ(r.error().subject, subject);
  };
  fails(events_.Subscribe(u1_, "", "corp1"), Errc::kInvalidArgument, "scope");
  fails(events_.Subscribe(u1_, "DEPT", "corp1"), Errc::kInvalidArgument, "scope");
  fails(events_.Subscribe(u1_, "ORG", ""), Errc::kInvalidArgument, "scopeId");
  fails(events_.Subscribe(u1_, "ORG", "corp2"), Errc::kPermissionDenied, "org");
  fails(events_.Subscribe(u1_, "SPACE", "999"), Errc::kNotFound, "space");
  fails(events_.Subscribe(Actor{"corp1", "app1", "u2"}, "SPACE", space_), Errc::kPermissionDenied,
        "space");
  fails(events_.Subscribe(Actor{"corp1", "app1", "zed"}, "ORG", "corp1"), Errc::kPermissionDenied,
        "user");
  EXPECT_TRUE(events_.Subscribe(u1_, "SPACE", space_));
  EXPECT_TRUE(events_.Subscribe(u1_, "SPACE", space_));
  EXPECT_TRUE(events_.Unsubscribe(u1_, "SPACE", "gone"));
  fails(events_.Unsubscribe(u1_, "ORG", "corp2"), Errc::kPermissionDenied, "org");
}

TEST_F(EventServiceTest, ReadLogPagesThroughTheAppsSubscriptions) {
  auto page = events_.ReadLog(u1_, 0, 10);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->events.empty());
  EXPECT_EQ(page->next_seq, 2);  // Nothing subscribed: straight to the end.
  ASSERT_TRUE(events_.Subscribe(u1_, "SPACE", other_));
  ASSERT_TRUE(dentries_.AddFolder(u1_, space_, kRootDentryId, "a", ConflictStrategy::kFail, {}));
  ASSERT_TRUE(dentries_.AddFolder(u1_, other_, kRootDentryId, "b", ConflictStrategy::kFail, {}));
  ASSERT_TRUE(dentries_.AddFolder(u1_, other_, kRootDentryId, "c", ConflictStrategy::kFail, {}));
  page = events_.ReadLog(u1_, 0, 2);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->events.size(), 2u);
  EXPECT_EQ(page->events[0].seq, 2);  // other_'s space.created.
  EXPECT_EQ(page->events[1].seq, 4);
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->next_seq, 4);
  page = events_.ReadLog(u1_, page->next_seq, 2);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].seq, 5);
  EXPECT_FALSE(page->has_more);
  EXPECT_EQ(page->next_seq, 5);
  // Another app of the org sees nothing of app1's subscriptions.
  page = events_.ReadLog(Actor{"corp1", "app2", "u1"}, 0, 10);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->events.empty());
  EXPECT_FALSE(events_.ReadLog(u1_, 6, 10));  // Past the end.
  EXPECT_FALSE(events_.ReadLog(u1_, 0, 0));
  EXPECT_FALSE(events_.ReadLog(u1_, 0, EventService::kMaxPageSize + 1));
}

}  // namespace
}  // namespace spacestore::domain
