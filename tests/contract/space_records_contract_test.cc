// The space aggregate (spaces, settings, byte counters, cascading deletes) on every backend.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <tuple>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

template <class Factory>
class SpaceContract : public MetadataStoreContract<Factory> {};
TYPED_TEST_SUITE(SpaceContract, Backends);

template <class Factory>
class SpaceContentContract : public TransactionContract<Factory> {};
TYPED_TEST_SUITE(SpaceContentContract, Backends);

TYPED_TEST(SpaceContract, SpaceRoundTripsEveryField) {
  Space s = this->MakeSpace("100", "scene", "1");
  s.name = "Name";
  s.owner_type = domain::OwnerType::kApp;
  s.kind = domain::SpaceKind::kGroup;
  auto created = this->store_->CreateSpace(s);
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->created);
  auto got = this->store_->GetSpace("corp1", "100");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Name");
  EXPECT_EQ(got->owner_type, domain::OwnerType::kApp);
  EXPECT_EQ(got->kind, domain::SpaceKind::kGroup);
  EXPECT_EQ(got->quota_bytes, 4096);
  EXPECT_TRUE(got->capabilities.can_rename);
  EXPECT_FALSE(got->capabilities.can_search);
  EXPECT_EQ(got->scene_id, "1");
  EXPECT_EQ(got->create_time, 1000);
}

TYPED_TEST(SpaceContract, SpaceOfAnotherOrgIsNotFound) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  auto r = this->store_->GetSpace("corp2", "100");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "space");
}

TYPED_TEST(SpaceContract, CreateSpaceIsIdempotentOnScene) {
  auto first = this->store_->CreateSpace(this->MakeSpace("100", "s", "1"));
  auto second = this->store_->CreateSpace(this->MakeSpace("200", "s", "1"));
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->space.id, "100");
  auto other_scene = this->store_->CreateSpace(this->MakeSpace("300", "s", "2"));
  ASSERT_TRUE(other_scene);
  EXPECT_TRUE(other_scene->created);
}

TYPED_TEST(SpaceContract, DuplicateIdIsAlreadyExists) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  auto r = this->store_->CreateSpace(this->MakeSpace("100", "s", "2"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(r.error().subject, "id");
}

TYPED_TEST(SpaceContract, ConcurrentIdenticalCreatesMakeOneSpace) {
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::string> ids;
  std::atomic<int> created{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto r = this->store_->CreateSpace(this->MakeSpace(std::to_string(1000 + i), "race", "1"));
      ASSERT_TRUE(r) << r.error().message;
      if (r->created) ++created;
      std::lock_guard lock(mu);
      ids.insert(r->space.id);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(ids.size(), 1u);
}

TYPED_TEST(SpaceContract, ListFiltersAndKeepsCreationOrder) {
  Space a = this->MakeSpace("300", "s", "1");
  Space b = this->MakeSpace("100", "s", "2");
  b.owner_id = "u2";
  Space c = this->MakeSpace("200", "s", "3");
  c.kind = domain::SpaceKind::kDepartment;
  for (const auto& s : {a, b, c}) ASSERT_TRUE(this->store_->CreateSpace(s));
  auto all = this->store_->ListSpaces("corp1", {});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "300");
  EXPECT_EQ((*all)[2].id, "200");
  auto mine = this->store_->ListSpaces(
      "corp1", domain::SpaceFilter{"u1", domain::SpaceKind::kIndividual, std::nullopt});
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].id, "300");
}

TYPED_TEST(SpaceContract, UpdateAndDeleteSpace) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  domain::SpaceUpdate lift;
  lift.quota_bytes = std::optional<int64_t>();
  lift.disabled = true;
  lift.modifier_id = "u9";
  lift.modified_time = 5000;
  auto updated = this->store_->UpdateSpace("corp1", "100", lift);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->quota_bytes);
  EXPECT_TRUE(updated->disabled);
  EXPECT_EQ(updated->modifier_id, "u9");
  domain::SpaceUpdate keep;
  keep.modifier_id = "u8";
  keep.modified_time = 6000;
  updated = this->store_->UpdateSpace("corp1", "100", keep);
  ASSERT_TRUE(updated);
  EXPECT_TRUE(updated->disabled);
  EXPECT_FALSE(this->store_->UpdateSpace("corp1", "999", keep));
  ASSERT_TRUE(this->store_->DeleteSpace("corp1", "100"));
  auto gone = this->store_->DeleteSpace("corp1", "100");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
}

TYPED_TEST(SpaceContract, SumUsedBytesIsZeroForNewSpaces) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  auto sum = this->store_->SumUsedBytes("corp1", "");
  ASSERT_TRUE(sum);
  EXPECT_EQ(*sum, 0);
}

TYPED_TEST(SpaceContentContract, TotalsSumUsedAndReserved) {
  ASSERT_TRUE(
      this->store_->CreateApp(App{"app1", "key1", "h", "corp1", "A", {}, 5000, 1, 1, {}, {}}));
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.spaces().AdjustBytes("100", 300, 200));
    auto t = tx.spaces().Totals("corp1", "app1");
    EXPECT_TRUE(t);
    EXPECT_EQ(t->org_capacity, 1 << 30);
    EXPECT_EQ(t->org_used, 300);
    EXPECT_EQ(t->org_reserved, 200);
    EXPECT_EQ(t->app_quota, 5000);
    EXPECT_EQ(t->app_used, 300);
    auto negative = tx.spaces().AdjustBytes("100", 0, -201);
    EXPECT_FALSE(negative);
    return {};
  }));
}

TYPED_TEST(SpaceContentContract, DeletingASpaceTakesItsContentAlong) {
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.dentries().Insert(MakeDentry("1", "0", "a", 10)));
    EXPECT_TRUE(tx.dentries().InsertVersion({"1", 1, 5, "blobA", "u1", 10}));
    domain::UploadSession u;
    u.key = "k1";
    u.space_id = "100";
    u.blob_id = "blobU";
    EXPECT_TRUE(tx.uploads().Put(u));
    return {};
  }));
  ASSERT_TRUE(this->store_->DeleteSpace("corp1", "100"));
  EXPECT_FALSE(this->store_->GetDentry("100", "1"));
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobA").value());
  EXPECT_FALSE(this->store_->IsBlobReferenced("blobU").value());
}

TYPED_TEST(SpaceContract, FindBySceneIsTheIdempotencyKey) {
  ASSERT_TRUE(this->store_->CreateSpace(this->MakeSpace("100", "s", "1")));
  auto found = this->store_->Read([](domain::MetadataTransaction& tx) {
    return tx.spaces().FindByScene("corp1", "app1", "s", "1");
  });
  ASSERT_TRUE(found);
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->id, "100");
  for (const auto& [app, scene, scene_id] :
       {std::tuple{"app2", "s", "1"}, {"app1", "t", "1"}, {"app1", "s", "2"}}) {
    // Copied into the lambda: clang 14 cannot capture structured bindings (C++20's P1091).
    auto other =
        this->store_->Read([a = app, s = scene, id = scene_id](domain::MetadataTransaction& tx) {
          return tx.spaces().FindByScene("corp1", a, s, id);
        });
    ASSERT_TRUE(other);
    EXPECT_FALSE(*other) << app << " " << scene << " " << scene_id;
  }
}

TYPED_TEST(SpaceContentContract, UpdateSettingsKeepsCountersAndGeneration) {
  ASSERT_TRUE(this->Insert(MakeDentry("1", "0", "a", 10)));
  ASSERT_TRUE(this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.spaces().AdjustBytes("100", 30, 20); }));
  const Space before = this->store_->GetSpace("corp1", "100").value();
  Space changed = before;
  changed.name = "renamed";
  changed.quota_bytes = std::nullopt;
  changed.disabled = true;
  changed.capabilities.can_search = true;
  changed.modifier_id = "u2";
  changed.modified_time = 2000;
  changed.used_bytes = 999;  // Not a setting: ignored.
  changed.reserved_bytes = 999;
  changed.dentry_generation = 999;
  ASSERT_TRUE(this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.spaces().UpdateSettings(changed); }));
  const Space after = this->store_->GetSpace("corp1", "100").value();
  EXPECT_EQ(after.name, "renamed");
  EXPECT_FALSE(after.quota_bytes);
  EXPECT_TRUE(after.disabled);
  EXPECT_TRUE(after.capabilities.can_search);
  EXPECT_EQ(after.modifier_id, "u2");
  EXPECT_EQ(after.modified_time, 2000);
  EXPECT_EQ(after.used_bytes, 30);
  EXPECT_EQ(after.reserved_bytes, 20);
  EXPECT_EQ(after.dentry_generation, before.dentry_generation);
  changed.corp_id = "corp2";
  auto foreign = this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.spaces().UpdateSettings(changed); });
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace spacestore::contract
