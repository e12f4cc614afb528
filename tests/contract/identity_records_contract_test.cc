// The identity aggregate (orgs, apps, users, settings) on every backend.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

template <class Factory>
class IdentityContract : public MetadataStoreContract<Factory> {};
TYPED_TEST_SUITE(IdentityContract, Backends);

TYPED_TEST(IdentityContract, OrgsAreUniqueAndListed) {
  auto again = this->store_->CreateOrg(Org{"corp1", "dup", 1, 1});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kAlreadyExists);
  ASSERT_TRUE(this->store_->CreateOrg(Org{"corp0", "Zero", 5, 2}));
  auto orgs = this->store_->ListOrgs();
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].corp_id, "corp0");
  auto org = this->store_->GetOrg("corp1");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->capacity_bytes, 1 << 30);
  auto missing = this->store_->GetOrg("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

TYPED_TEST(IdentityContract, AppsAreFoundByIdAndKey) {
  App app{"app1", "key1", "hash", "corp1", "App", {"Storage.Space.Read"}, 100, 1, 2};
  ASSERT_TRUE(this->store_->CreateApp(app));
  auto by_key = this->store_->FindAppByKey("key1");
  ASSERT_TRUE(by_key);
  EXPECT_EQ(by_key->app_id, "app1");
  EXPECT_EQ(by_key->scopes, std::vector<std::string>{"Storage.Space.Read"});
  EXPECT_EQ(by_key->quota_bytes, 100);
  App dup = app;
  dup.app_id = "app2";
  auto r = this->store_->CreateApp(dup);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAlreadyExists);
  App orphan = app;
  orphan.app_id = "app3";
  orphan.app_key = "key3";
  orphan.corp_id = "nocorp";
  r = this->store_->CreateApp(orphan);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "org");
  EXPECT_FALSE(this->store_->GetApp("zzz"));
}

TYPED_TEST(IdentityContract, UsersAreScopedToTheirOrg) {
  ASSERT_TRUE(this->store_->CreateUser(User{"u1", "corp1", "User", 1}));
  EXPECT_TRUE(this->store_->GetUser("corp1", "u1"));
  auto other = this->store_->GetUser("corp2", "u1");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::kNotFound);
  auto dup = this->store_->CreateUser(User{"u1", "corp1", "Again", 2});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kAlreadyExists);
}

TYPED_TEST(IdentityContract, SettingIsCreatedOnce) {
  auto first = this->store_->GetOrCreateSetting("k", "v1");
  auto second = this->store_->GetOrCreateSetting("k", "v2");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, "v1");
  EXPECT_EQ(*second, "v1");
}

TYPED_TEST(IdentityContract, SettingPrimitivesRefuseASecondValue) {
  ASSERT_TRUE(this->store_->Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_FALSE(tx.identity().GetSetting("k").value());
    EXPECT_TRUE(tx.identity().InsertSetting("k", "v1"));
    auto again = tx.identity().InsertSetting("k", "v2");
    EXPECT_TRUE(!again && again.error().code == Errc::kAlreadyExists);
    EXPECT_EQ(tx.identity().GetSetting("k").value(), std::optional<std::string>("v1"));
    return {};
  }));
}

}  // namespace
}  // namespace spacestore::contract
