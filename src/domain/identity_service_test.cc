#include "domain/identity_service.h"

#include <memory>

#include <gtest/gtest.h>

#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class IdentityServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(identity_.Open());
    auto boot = identity_.Bootstrap({"corp1", "key1", "secret1", "union1"});
    ASSERT_TRUE(boot);
    ASSERT_TRUE(boot->has_value());
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  IdentityService identity_{store_, clock_, IdentityOptions{60}};
};

TEST_F(IdentityServiceTest, BootstrapCreatesOrgAppAndUserOnce) {
  EXPECT_TRUE(store_.GetOrg("corp1"));
  EXPECT_TRUE(store_.GetUser("corp1", "union1"));
  auto app = store_.FindAppByKey("key1");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->scopes, AllStorageScopes());
  EXPECT_NE(app->secret_hash.find("sha256$"), std::string::npos);
  EXPECT_EQ(app->secret_hash.find("secret1"), std::string::npos);
  auto again = identity_.Bootstrap({"corp1", "key1", "secret1", "union1"});
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
}

TEST_F(IdentityServiceTest, TokenRoundTrip) {
  auto token = identity_.IssueToken("key1", "secret1");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->expire_in, 60);
  auto app = identity_.Authenticate(token->token);
  ASSERT_TRUE(app);
  EXPECT_EQ(app->corp_id, "corp1");
  EXPECT_TRUE(identity_.Authenticate("\"" + token->token + "\""));
}

TEST_F(IdentityServiceTest, WrongSecretIsRefused) {
  auto r = identity_.IssueToken("key1", "nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnauthenticated);
  EXPECT_EQ(r.error().subject, "client");
  EXPECT_FALSE(identity_.IssueToken("nokey", "secret1"));
}

TEST_F(IdentityServiceTest, TokensExpire) {
  auto token = identity_.IssueToken("key1", "secret1");
  ASSERT_TRUE(token);
  clock_.AdvanceMillis(59'000);
  EXPECT_TRUE(identity_.Authenticate(token->token));
  clock_.AdvanceMillis(1'000);
  auto r = identity_.Authenticate(token->token);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnauthenticated);
}

// A service on `store` with the given keys, its token TTL 60 s, bootstrapped with key1/secret1.
std::unique_ptr<IdentityService> KeyedService(storage::MemoryMetadataStore& store,
                                              const Clock& clock, std::string key,
                                              std::string previous = "") {
  auto s =
      std::make_unique<IdentityService>(store, clock,
                                        IdentityOptions{.token_ttl_seconds = 60,
                                                        .token_key = std::move(key),
                                                        .previous_token_key = std::move(previous)});
  EXPECT_TRUE(s->Open());
  return s;
}

TEST(IdentityKeyTest, KeyFromOptionsIsUsedAndNotStored) {
  storage::MemoryMetadataStore store;
  testing::FakeClock clock;
  auto a = KeyedService(store, clock, "key-a-0123456789abcdef0123456789ab");
  ASSERT_TRUE(a->Bootstrap({"corp1", "key1", "secret1", "union1"}));
  auto stored =
      store.Read([](MetadataTransaction& tx) { return tx.identity().GetSetting("token_key"); });
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->has_value());
  auto token = a->IssueToken("key1", "secret1");
  ASSERT_TRUE(token);
  EXPECT_TRUE(a->Authenticate(token->token));
  // The same key on another node (or after a restart) accepts it; another key does not.
  EXPECT_TRUE(
      KeyedService(store, clock, "key-a-0123456789abcdef0123456789ab")->Authenticate(token->token));
  auto b =
      KeyedService(store, clock, "key-b-0123456789abcdef0123456789ab")->Authenticate(token->token);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, Errc::kUnauthenticated);
}

TEST(IdentityKeyTest, PreviousKeyAcceptsOnlyWhatItSignedBeforeTheRotation) {
  storage::MemoryMetadataStore store;
  testing::FakeClock clock;
  const std::string old_key = "key-a-0123456789abcdef0123456789ab";
  auto a = KeyedService(store, clock, old_key);
  ASSERT_TRUE(a->Bootstrap({"corp1", "key1", "secret1", "union1"}));
  auto old_token = a->IssueToken("key1", "secret1");
  ASSERT_TRUE(old_token);

  clock.AdvanceMillis(10'000);
  auto b = KeyedService(store, clock, "key-b-0123456789abcdef0123456789ab", old_key);
  EXPECT_TRUE(b->Authenticate(old_token->token));
  auto new_token = b->IssueToken("key1", "secret1");
  ASSERT_TRUE(new_token);
  EXPECT_FALSE(a->Authenticate(new_token->token));  // New tokens are signed with the new key.

  // The old key cannot vouch for an expiry later than the rotation's start plus the TTL.
  auto minted = KeyedService(store, clock, old_key);
  clock.AdvanceMillis(30'000);
  auto late = minted->IssueToken("key1", "secret1");
  ASSERT_TRUE(late);
  EXPECT_TRUE(minted->Authenticate(late->token));
  EXPECT_FALSE(b->Authenticate(late->token));
  EXPECT_TRUE(b->Authenticate(new_token->token));

  // Without a previous key, old tokens stop at once.
  EXPECT_FALSE(KeyedService(store, clock, "key-b-0123456789abcdef0123456789ab")
                   ->Authenticate(old_token->token));
}

TEST_F(IdentityServiceTest, TamperedTokensAreRefused) {
  auto token = identity_.IssueToken("key1", "secret1");
  ASSERT_TRUE(token);
  // Accepted once (and so remembered as verified), the genuine token vouches for no variant.
  ASSERT_TRUE(identity_.Authenticate(token->token));
  std::string wrong_mac = token->token;
  wrong_mac.back() = wrong_mac.back() == '0' ? '1' : '0';
  EXPECT_FALSE(identity_.Authenticate(wrong_mac));
  EXPECT_FALSE(identity_.Authenticate(token->token + "0"));
  std::string forged = token->token;
  // Extend the expiry: the MAC no longer matches.
  const size_t dot = forged.find('.');
  forged.insert(dot + 1, "9");
  EXPECT_FALSE(identity_.Authenticate(forged));
  EXPECT_FALSE(identity_.Authenticate(""));
  EXPECT_FALSE(identity_.Authenticate("garbage"));
  EXPECT_FALSE(identity_.Authenticate("a.b.c"));
}

TEST_F(IdentityServiceTest, UnknownScopeIsRejected) {
  auto r = identity_.CreateApp(NewApp{"corp1", "x", {"Storage.Nope"}, "", "", std::nullopt});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST_F(IdentityServiceTest, InvalidIdsAreRejected) {
  EXPECT_FALSE(identity_.CreateOrg("bad id", "x", std::nullopt));
  EXPECT_FALSE(identity_.CreateUser("corp1", "a/b", "x"));
}

}  // namespace
}  // namespace spacestore::domain
