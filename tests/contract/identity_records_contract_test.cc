// The identity aggregate (orgs, apps, users, settings) on every backend.
#include <algorithm>
#include <array>
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

TYPED_TEST(IdentityContract, PasswordHashesAreStoredAndReplaced) {
  ASSERT_TRUE(this->store_->CreateUser(User{"u1", "corp1", "One", 1, "pbkdf2-sha256$1$aa$bb"}));
  ASSERT_TRUE(this->store_->CreateUser(User{"u2", "corp1", "Two", 1}));
  auto set = [&](const char* user, const char* hash) {
    return this->store_->Transact([&](domain::MetadataTransaction& tx) {
      return tx.identity().SetUserPassword("corp1", user, hash);
    });
  };
  EXPECT_EQ(this->store_->GetUser("corp1", "u1")->password_hash, "pbkdf2-sha256$1$aa$bb");
  EXPECT_EQ(this->store_->GetUser("corp1", "u2")->password_hash, "");
  ASSERT_TRUE(set("u2", "pbkdf2-sha256$2$cc$dd"));
  EXPECT_EQ(this->store_->GetUser("corp1", "u2")->password_hash, "pbkdf2-sha256$2$cc$dd");
  auto users = this->store_->ListUsers("corp1");
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[1].password_hash, "pbkdf2-sha256$2$cc$dd");
  ASSERT_TRUE(set("u1", ""));  // Cleared.
  EXPECT_EQ(this->store_->GetUser("corp1", "u1")->password_hash, "");
  auto missing = set("ghost", "x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().subject, "user");
}

// What a removal takes along besides the row (memberships, grants, generations) is in
// permission_records_contract_test.cc.
TYPED_TEST(IdentityContract, DeleteUserRemovesItFromItsOrgOnly) {
  ASSERT_TRUE(this->store_->CreateOrg(Org{"corp2", "Corp Two", 1, 1}));
  ASSERT_TRUE(this->store_->CreateUser(User{"u1", "corp1", "One", 1}));
  ASSERT_TRUE(this->store_->CreateUser(User{"u2", "corp1", "Two", 1}));
  ASSERT_TRUE(this->store_->CreateUser(User{"u1", "corp2", "One elsewhere", 1}));
  auto remove = [&](const char* corp, const char* user) {
    return this->store_->Transact(
        [&](domain::MetadataTransaction& tx) { return tx.identity().DeleteUser(corp, user); });
  };
  ASSERT_TRUE(remove("corp1", "u1"));
  EXPECT_EQ(this->store_->GetUser("corp1", "u1").error().code, Errc::kNotFound);
  EXPECT_TRUE(this->store_->GetUser("corp2", "u1"));
  auto users = this->store_->ListUsers("corp1");
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].union_id, "u2");

  auto again = remove("corp1", "u1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kNotFound);
  EXPECT_EQ(again.error().subject, "user");
  // The unionId can join the org again, as a new user.
  EXPECT_TRUE(this->store_->CreateUser(User{"u1", "corp1", "Back", 5}));
  EXPECT_EQ(this->store_->GetUser("corp1", "u1")->name, "Back");
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

// Each lease call in a transaction of its own, as the leased workers make them.
Result<bool> Acquire(domain::MetadataStore& store, const char* holder, int64_t now, int64_t until) {
  return store.Write([&](domain::MetadataTransaction& tx) {
    return tx.identity().AcquireLease("collector", holder, now, until);
  });
}

Result<bool> Holds(domain::MetadataStore& store, const char* holder, int64_t now) {
  return store.Snapshot([&](domain::MetadataTransaction& tx) {
    return tx.identity().HoldsLease("collector", holder, now);
  });
}

Result<void> Release(domain::MetadataStore& store, const char* holder) {
  return store.Transact([&](domain::MetadataTransaction& tx) {
    return tx.identity().ReleaseLease("collector", holder);
  });
}

TYPED_TEST(IdentityContract, LeaseHasOneLiveHolder) {
  auto& s = *this->store_;
  EXPECT_FALSE(Holds(s, "a", 100).value());
  EXPECT_TRUE(Acquire(s, "a", 100, 200).value());
  EXPECT_TRUE(Holds(s, "a", 199).value());
  EXPECT_FALSE(Holds(s, "b", 150).value());
  // Live: another holder is refused and the lease is unchanged.
  EXPECT_FALSE(Acquire(s, "b", 150, 1000).value());
  EXPECT_TRUE(Holds(s, "a", 199).value());
  EXPECT_FALSE(Holds(s, "a", 200).value());  // Expired at its expires_at.
  // The holder renews, even past expiry.
  EXPECT_TRUE(Acquire(s, "a", 150, 300).value());
  EXPECT_TRUE(Holds(s, "a", 250).value());
  EXPECT_FALSE(Acquire(s, "b", 299, 1000).value());
}

TYPED_TEST(IdentityContract, ExpiredLeaseIsTakenOverAndFencesTheOldHolder) {
  auto& s = *this->store_;
  ASSERT_TRUE(Acquire(s, "a", 100, 200).value());
  EXPECT_TRUE(Acquire(s, "b", 200, 400).value());
  EXPECT_TRUE(Holds(s, "b", 300).value());
  EXPECT_FALSE(Holds(s, "a", 150).value());  // Fenced whatever its own clock says.
  EXPECT_FALSE(Acquire(s, "a", 300, 500).value());
  // A release by the old holder leaves the new one's lease alone.
  ASSERT_TRUE(Release(s, "a"));
  EXPECT_TRUE(Holds(s, "b", 300).value());
}

TYPED_TEST(IdentityContract, ReleasedLeaseIsFreeAndLeasesAreIndependent) {
  auto& s = *this->store_;
  ASSERT_TRUE(Acquire(s, "a", 100, 10'000).value());
  ASSERT_TRUE(s.Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    // Another name is another lease.
    EXPECT_TRUE(tx.identity().AcquireLease("tasks", "b", 100, 10'000).value());
    EXPECT_TRUE(tx.identity().HoldsLease("tasks", "b", 100).value());
    return {};
  }));
  ASSERT_TRUE(Release(s, "a"));
  EXPECT_FALSE(Holds(s, "a", 150).value());
  EXPECT_TRUE(Acquire(s, "b", 150, 300).value());
  ASSERT_TRUE(Release(s, "nobody"));  // Releasing a lease one does not hold does nothing.
  EXPECT_TRUE(Holds(s, "b", 200).value());
}

TYPED_TEST(IdentityContract, LeaseTakenInARolledBackTransactionIsNotHeld) {
  auto& s = *this->store_;
  auto r = s.Transact([&](domain::MetadataTransaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.identity().AcquireLease("collector", "a", 100, 200).value());
    return MakeError(Errc::kConflict, "test", "roll back");
  });
  ASSERT_FALSE(r);
  EXPECT_FALSE(Holds(s, "a", 150).value());
  EXPECT_TRUE(Acquire(s, "b", 150, 300).value());
}

TYPED_TEST(IdentityContract, ConcurrentAcquirersGetOneHolder) {
  auto& s = *this->store_;
  std::atomic<int> winners{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  const std::array<const char*, 8> holders{"h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7"};
  for (const char* h : holders) {
    threads.emplace_back([&, h] {
      auto got = Acquire(s, h, 100, 10'000);
      if (!got) ++failures;
      if (got && *got) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace spacestore::contract
