#include "domain/app_property_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "domain/dentry_service.h"
#include "domain/upload_test_fixture.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class AppPropertyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    auto space = spaces_.AddSpace(app1_, {});
    ASSERT_TRUE(space);
    space_ = space->id;
    auto d = dentries_.AddFolder(app1_, space_, kRootDentryId, "dir", ConflictStrategy::kFail, {});
    ASSERT_TRUE(d);
    id_ = d->id;
  }

  static AppProperty Prop(std::string name, std::string value, bool is_public = true) {
    return AppProperty{"ignored", std::move(name), std::move(value), is_public};
  }

  // The dentry's properties as "app:name=value/P|V", as read through the cached GetDentry.
  std::vector<std::string> Stored() {
    auto d = dentries_.GetDentry(app1_, space_, id_);
    EXPECT_TRUE(d);
    std::vector<std::string> out;
    for (const auto& p : d->app_properties) {
      out.push_back(p.app_id + ":" + p.name + "=" + p.value + (p.is_public ? "/P" : "/V"));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  int64_t Generation() { return store_.GetSpace("corp1", space_)->dentry_generation; }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  SpaceService spaces_{store_, clock_};
  DentryService dentries_{store_, clock_, spaces_};
  AppPropertyService service_{store_, clock_, spaces_};
  const Actor app1_{"corp1", "app1", "u1"};
  const Actor app2_{"corp1", "app2", "u1"};
  std::string space_;
  std::string id_;
};

TEST_F(AppPropertyServiceTest, UpsertAddsAndOverwritesTheCallersOwn) {
  ASSERT_EQ(Stored(), std::vector<std::string>{});  // Cached before the writes.
  const Dentry before = *store_.GetDentry(space_, id_);
  clock_.AdvanceMillis(1000);
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("a", "1"), Prop("b", "2", false)}));
  EXPECT_EQ(Stored(), (std::vector<std::string>{"app1:a=1/P", "app1:b=2/V"}));
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("b", "3"), Prop("c", "4", false)}));
  EXPECT_EQ(Stored(), (std::vector<std::string>{"app1:a=1/P", "app1:b=3/P", "app1:c=4/V"}));
  const Dentry d = *store_.GetDentry(space_, id_);
  // Properties are no change of the dentry itself.
  EXPECT_EQ(d.modified_time, before.modified_time);
  EXPECT_EQ(d.modifier_id, before.modifier_id);
}

TEST_F(AppPropertyServiceTest, AppsNeverCollide) {
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("k", "one", false)}));
  ASSERT_TRUE(service_.Update(app2_, space_, id_, {Prop("k", "two", false)}));
  EXPECT_EQ(Stored(), (std::vector<std::string>{"app1:k=one/V", "app2:k=two/V"}));
  // Each app holds its own three.
  ASSERT_TRUE(service_.Update(app2_, space_, id_, {Prop("x", "1"), Prop("y", "2")}));
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("x", "1"), Prop("y", "2")}));
  ASSERT_TRUE(service_.Remove(app2_, space_, id_, {"k", "x"}));
  EXPECT_EQ(Stored(),
            (std::vector<std::string>{"app1:k=one/V", "app1:x=1/P", "app1:y=2/P", "app2:y=2/P"}));
}

TEST_F(AppPropertyServiceTest, PrivateOnesAreHiddenFromOtherApps) {
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("pub", "1"), Prop("priv", "2", false)}));
  const Dentry d = *store_.GetDentry(space_, id_);
  const auto own = VisibleProperties(d, "app1", {});
  const auto other = VisibleProperties(d, "app2", {});
  EXPECT_EQ(own.size(), 2u);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].name, "pub");
  EXPECT_TRUE(VisibleProperties(d, "app2", {"app2"}).empty());
}

TEST_F(AppPropertyServiceTest, AtMostThreePerAppAfterTheUpsert) {
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("a", "1"), Prop("b", "2")}));
  // Overwriting keeps the count; a third name fits, a fourth does not.
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("a", "9"), Prop("c", "3")}));
  const int64_t generation = Generation();
  auto r = service_.Update(app1_, space_, id_, {Prop("d", "4")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(r.error().subject, "appProperties");
  EXPECT_EQ(Generation(), generation);  // Rolled back.
  EXPECT_EQ(Stored(), (std::vector<std::string>{"app1:a=9/P", "app1:b=2/P", "app1:c=3/P"}));
  EXPECT_TRUE(service_.Update(app2_, space_, id_, {Prop("d", "4")}));  // Another app's room.
}

TEST_F(AppPropertyServiceTest, AnotherAppsOlderPropertiesDoNotBlockAWrite) {
  // Stored before today's rules: an empty value and four properties of app3.
  ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto d = tx.dentries().Get(space_, id_);
    if (!d) return d.error();
    for (const char* name : {"a", "b", "c", "d"}) {
      d->app_properties.push_back({"app3", name, "", true});
    }
    return tx.dentries().Update(*d);
  }));
  EXPECT_TRUE(service_.Update(app1_, space_, id_, {Prop("k", "v")}));
  EXPECT_TRUE(service_.Remove(app1_, space_, id_, {"k"}));
  EXPECT_EQ(Stored().size(), 4u);
}

TEST_F(AppPropertyServiceTest, ConcurrentUpsertsNeverPassTheLimit) {
  // Eight upserts of eight names race; the check runs inside each transaction, so exactly three
  // win and the dentry never holds more.
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (service_.Update(app1_, space_, id_, {Prop("n" + std::to_string(i), "v")})) ++won;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 3);
  EXPECT_EQ(Stored().size(), 3u);
}

TEST_F(AppPropertyServiceTest, RefusesBadInput) {
  const std::vector<std::vector<AppProperty>> bad = {
      {},
      {Prop("a", "1"), Prop("b", "1"), Prop("c", "1"), Prop("d", "1")},
      {Prop("", "1")},
      {Prop("  ", "1")},
      {Prop("a", "")},
      {Prop("a", "1"), Prop("a", "2")},
      {Prop(std::string(kMaxPropertyNameBytes + 1, 'n'), "1")},
      {Prop("a", std::string(kMaxPropertyValueBytes + 1, 'v'))},
  };
  for (const auto& props : bad) {
    auto r = service_.Update(app1_, space_, id_, props);
    ASSERT_FALSE(r) << props.size();
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().subject, "appProperties");
  }
  EXPECT_TRUE(service_.Update(
      app1_, space_, id_,
      {Prop(std::string(kMaxPropertyNameBytes, 'n'), std::string(kMaxPropertyValueBytes, 'v'))}));
  for (const auto& names :
       std::vector<std::vector<std::string>>{{}, {"a", "b", "c", "d"}, {""}, {" "}}) {
    auto r = service_.Remove(app1_, space_, id_, names);
    ASSERT_FALSE(r) << names.size();
    EXPECT_EQ(r.error().subject, "propertyNames");
  }
}

TEST_F(AppPropertyServiceTest, RemovingUnknownNamesChangesNothing) {
  ASSERT_TRUE(service_.Update(app1_, space_, id_, {Prop("a", "1")}));
  const int64_t generation = Generation();
  EXPECT_TRUE(service_.Remove(app1_, space_, id_, {"zz"}));
  EXPECT_TRUE(service_.Remove(app2_, space_, id_, {"a"}));  // Not app2's.
  EXPECT_EQ(Generation(), generation);
  EXPECT_TRUE(service_.Remove(app1_, space_, id_, {"a", "zz"}));
  EXPECT_GT(Generation(), generation);
  EXPECT_EQ(Stored(), std::vector<std::string>{});
}

TEST_F(AppPropertyServiceTest, MissingForeignAndDisabled) {
  for (const char* id : {"424242424242", "0"}) {
    auto r = service_.Update(app1_, space_, id, {Prop("a", "1")});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kNotFound);
    EXPECT_EQ(r.error().subject, "dentry");
    EXPECT_EQ(service_.Remove(app1_, space_, id, {"a"}).error().subject, "dentry");
  }
  AddSpaceParams p;
  p.scene_id = "other";
  auto other = spaces_.AddSpace(app1_, p);
  ASSERT_TRUE(other);
  auto foreign = service_.Update(app1_, other->id, id_, {Prop("a", "1")});
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().subject, "dentry");
  SpaceUpdate off;
  off.disabled = true;
  ASSERT_TRUE(store_.UpdateSpace("corp1", space_, off));
  auto disabled = service_.Update(app1_, space_, id_, {Prop("a", "1")});
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().code, Errc::kPermissionDenied);
}

// CommitFile over an existing file upserts the committing app's properties into the file's.
class CommitPropertiesTest : public UploadServiceTest {
 protected:
  Result<Dentry> CommitAs(const Actor& actor, const std::string& overwrite,
                          std::vector<AppProperty> properties) {
    CommitRequest r;
    r.upload_key = Upload("x", std::nullopt);
    r.name = "f.txt";
    r.parent_id = "0";
    r.overwrite_dentry_id = overwrite;
    for (auto& p : properties) p.app_id = actor.app_id;  // As the dialect sets it.
    r.app_properties = std::move(properties);
    return uploads_.Commit(actor, space_, r);
  }
};

TEST_F(CommitPropertiesTest, AnOverwriteKeepsOtherAppsProperties) {
  const Actor app2{"corp1", "app2", "u1"};
  auto file = CommitAs(actor_, "", {{"", "k", "one", false}, {"", "m", "1", true}});
  ASSERT_TRUE(file) << file.error().message;
  auto second = CommitAs(app2, file->id, {{"", "k", "two", false}});
  ASSERT_TRUE(second) << second.error().message;
  auto third = CommitAs(actor_, file->id, {{"", "k", "three", true}});
  ASSERT_TRUE(third);
  std::vector<std::string> seen;
  const Dentry stored = *store_.GetDentry(space_, file->id);
  for (const auto& p : stored.app_properties) {
    seen.push_back(p.app_id + ":" + p.name + "=" + p.value + (p.is_public ? "/P" : "/V"));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"app1:k=three/P", "app1:m=1/P", "app2:k=two/V"}));
  // Past three for the app once merged: refused, and the file keeps its version.
  auto full = CommitAs(actor_, file->id, {{"", "n", "1", true}, {"", "o", "1", true}});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().subject, "appProperties");
  EXPECT_EQ(store_.GetDentry(space_, file->id)->version, 3);
}

}  // namespace
}  // namespace spacestore::domain
