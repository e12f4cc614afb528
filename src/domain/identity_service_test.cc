#include "domain/identity_service.h"

#include <memory>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "domain/permission_records.h"
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
  EXPECT_EQ((*app)->app.corp_id, "corp1");
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

TEST_F(IdentityServiceTest, PasswordLoginIssuesATokenBoundToTheUser) {
  ASSERT_TRUE(identity_.SetUserPassword("corp1", "union1", "correct horse"));
  auto stored = store_.GetUser("corp1", "union1");
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->password_hash.starts_with("pbkdf2-sha256$600000$"));
  EXPECT_EQ(stored->password_hash.find("correct horse"), std::string::npos);

  auto login = identity_.LoginUser("key1", "union1", "correct horse");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->user.union_id, "union1");
  EXPECT_TRUE(login->user.password_hash.empty());
  auto holder = identity_.Authenticate(login->token.token);
  ASSERT_TRUE(holder);
  EXPECT_EQ((*holder)->union_id, "union1");
  EXPECT_EQ((*holder)->app.corp_id, "corp1");
  // An app token is bound to nobody.
  auto app_token = identity_.IssueToken("key1", "secret1");
  ASSERT_TRUE(app_token);
  auto app_holder = identity_.Authenticate(app_token->token);
  ASSERT_TRUE(app_holder);
  EXPECT_TRUE((*app_holder)->union_id.empty());
  // The bound user is signed: another user's name in its place breaks the MAC.
  std::string swapped = login->token.token;
  swapped.replace(swapped.find(".union1."), 8, ".union2.");
  EXPECT_FALSE(identity_.Authenticate(swapped));
}

TEST_F(IdentityServiceTest, WrongPasswordLoginsAnswerAlike) {
  ASSERT_TRUE(identity_.CreateUser("corp1", "union2", "Two", "password-two"));
  ASSERT_TRUE(identity_.CreateUser("corp1", "nopass", "No password"));
  for (const auto& [key, user, password] :
       {std::tuple{"key1", "union2", "wrong-password"},
        std::tuple{"nokey", "union2", "password-two"}, std::tuple{"key1", "nobody", "password-two"},
        std::tuple{"key1", "nopass", ""}}) {
    auto r = identity_.LoginUser(key, user, password);
    ASSERT_FALSE(r) << user;
    EXPECT_EQ(r.error().code, Errc::kUnauthenticated);
    EXPECT_EQ(r.error().subject, "client");
  }
  EXPECT_TRUE(identity_.LoginUser("key1", "union2", "password-two"));
  // Cleared, the password logs in no more.
  ASSERT_TRUE(identity_.SetUserPassword("corp1", "union2", ""));
  EXPECT_FALSE(identity_.LoginUser("key1", "union2", "password-two"));
}

TEST_F(IdentityServiceTest, PasswordRules) {
  auto short_one = identity_.SetUserPassword("corp1", "union1", "short");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(short_one.error().subject, "password");
  auto missing = identity_.SetUserPassword("corp1", "ghost", "long enough");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().subject, "user");
}

TEST_F(IdentityServiceTest, AppLoginActsAsAChosenUser) {
  auto login = identity_.LoginApp("key1", "secret1", "union1");
  ASSERT_TRUE(login);
  auto holder = identity_.Authenticate(login->token.token);
  ASSERT_TRUE(holder);
  EXPECT_TRUE((*holder)->union_id.empty());
  auto wrong = identity_.LoginApp("key1", "nope", "union1");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().subject, "client");
  auto stranger = identity_.LoginApp("key1", "secret1", "ghost");
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, Errc::kNotFound);
}

TEST(PasswordHashTest, VerifiesOnlyTheRightPassword) {
  const std::string hash = HashPassword("s3cret-pass");
  EXPECT_TRUE(VerifyPassword("s3cret-pass", hash));
  EXPECT_FALSE(VerifyPassword("s3cret-pasS", hash));
  EXPECT_NE(HashPassword("s3cret-pass"), hash);  // Salted.
  EXPECT_FALSE(VerifyPassword("", ""));
  EXPECT_FALSE(VerifyPassword("x", "sha256$00$00"));
  EXPECT_FALSE(VerifyPassword("x", "pbkdf2-sha256$99999999$00$00"));
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

// ---- Departments and user removal ----

class DepartmentsTest : public IdentityServiceTest {
 protected:
  void SetUp() override {
    IdentityServiceTest::SetUp();
    ASSERT_TRUE(identity_.CreateUser("corp1", "union2", "second"));
    ASSERT_TRUE(identity_.CreateOrg("corp2", "other", std::nullopt));
    ASSERT_TRUE(identity_.CreateUser("corp2", "other1", "other"));
    Space space;
    space.id = "100";
    space.corp_id = "corp1";
    ASSERT_TRUE(store_.CreateSpace(space));
    ASSERT_TRUE(identity_.CreateDepartment("corp1", "sales", "Sales"));
  }

  // The code of a failed result's error and its subject, or "ok".
  template <class T>
  static std::string Failure(const Result<T>& r) {
    if (r) return "ok";
    return std::string(ErrcName(r.error().code)) + "/" + r.error().subject;
  }

  std::vector<std::string> Members(std::string_view dept) {
    auto members = identity_.ListDepartmentMembers("corp1", dept);
    EXPECT_TRUE(members) << members.error().message;
    return members ? *members : std::vector<std::string>{};
  }

  int64_t PermissionGeneration() {
    auto space = store_.GetSpace("corp1", "100");
    EXPECT_TRUE(space);
    return space ? space->permission_generation : -1;
  }

  void Grant(MemberType type, const std::string& id) {
    ASSERT_TRUE(store_.Write([&](MetadataTransaction& tx) {
      return tx.permissions().PutGrant(domain::Grant{"100", "0", type, id, "corp1", Role::kEditor,
                                                     std::nullopt, "union1", 1, 1});
    }));
  }

  std::vector<std::string> GrantMembers() {
    auto grants = store_.Snapshot(
        [](MetadataTransaction& tx) { return tx.permissions().ListSpaceGrants("100"); });
    EXPECT_TRUE(grants);
    std::vector<std::string> out;
    for (const auto& g : grants ? *grants : std::vector<domain::Grant>{}) {
      out.push_back((g.member_type == MemberType::kUser ? "USER:" : "DEPT:") + g.member_id);
    }
    return out;
  }
};

TEST_F(DepartmentsTest, CreatedDepartmentsAreListedByIdWithTheirNames) {
  clock_.AdvanceMillis(5000);
  auto made = identity_.CreateDepartment("corp1", "eng", "");
  ASSERT_TRUE(made);
  EXPECT_EQ(made->name, "eng") << "an empty name is the id";
  EXPECT_EQ(made->create_time, clock_.NowMillis());
  ASSERT_TRUE(identity_.CreateDepartment("corp2", "sales", "Other sales"))
      << "department ids are per org";
  auto list = identity_.ListDepartments("corp1");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].dept_id, "eng");
  EXPECT_EQ((*list)[1].dept_id, "sales");
  EXPECT_EQ((*list)[1].name, "Sales");
  EXPECT_EQ((*list)[1].corp_id, "corp1");
  ASSERT_TRUE(identity_.CreateOrg("corp3", "empty", std::nullopt));
  auto none = identity_.ListDepartments("corp3");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(DepartmentsTest, CreateRefusesBadIdsDuplicatesAndUnknownOrgs) {
  for (const std::string& id : std::vector<std::string>{"", "a/b", "a b", std::string(65, 'd')}) {
    EXPECT_EQ(Failure(identity_.CreateDepartment("corp1", id, "x")), "invalid_argument/deptId")
        << id;
  }
  EXPECT_TRUE(identity_.CreateDepartment("corp1", std::string(64, 'd'), "x"));
  EXPECT_EQ(Failure(identity_.CreateDepartment("corp1", "sales", "again")),
            "already_exists/department");
  EXPECT_EQ(Failure(identity_.CreateDepartment("nocorp", "sales", "x")), "not_found/org");
  EXPECT_EQ(Failure(identity_.ListDepartments("nocorp")), "not_found/org");
}

TEST_F(DepartmentsTest, AddingAndRemovingMembersIsIdempotent) {
  // Whether the call changed something, "failed" if it failed.
  auto changed = [](const Result<bool>& r) {
    return r ? (*r ? "changed" : "unchanged") : "failed";
  };
  EXPECT_STREQ(changed(identity_.AddDepartmentMember("corp1", "sales", "union2")), "changed");
  EXPECT_STREQ(changed(identity_.AddDepartmentMember("corp1", "sales", "union2")), "unchanged");
  ASSERT_TRUE(identity_.AddDepartmentMember("corp1", "sales", "union1"));
  EXPECT_EQ(Members("sales"), (std::vector<std::string>{"union1", "union2"}));

  EXPECT_STREQ(changed(identity_.RemoveDepartmentMember("corp1", "sales", "union2")), "changed");
  EXPECT_STREQ(changed(identity_.RemoveDepartmentMember("corp1", "sales", "union2")), "unchanged");
  EXPECT_EQ(Members("sales"), (std::vector<std::string>{"union1"}));
}

TEST_F(DepartmentsTest, MembershipChangesMoveThePermissionGenerationOfTheOrgsSpaces) {
  const int64_t before = PermissionGeneration();
  ASSERT_TRUE(identity_.AddDepartmentMember("corp1", "sales", "union2"));
  const int64_t added = PermissionGeneration();
  EXPECT_NE(added, before);
  ASSERT_TRUE(identity_.RemoveDepartmentMember("corp1", "sales", "union2"));
  EXPECT_NE(PermissionGeneration(), added);
}

TEST_F(DepartmentsTest, MemberCallsNameTheUnknownId) {
  for (const bool add : {true, false}) {
    auto call = [&](std::string_view corp, std::string_view dept, std::string_view user) {
      return add ? identity_.AddDepartmentMember(corp, dept, user)
                 : identity_.RemoveDepartmentMember(corp, dept, user);
    };
    EXPECT_EQ(Failure(call("nocorp", "sales", "union1")), "not_found/org") << add;
    EXPECT_EQ(Failure(call("corp1", "nodept", "union1")), "not_found/department") << add;
    EXPECT_EQ(Failure(call("corp1", "sales", "nouser")), "not_found/user") << add;
    // A user of another org is no user of this one.
    EXPECT_EQ(Failure(call("corp1", "sales", "other1")), "not_found/user") << add;
  }
  EXPECT_EQ(Failure(identity_.ListDepartmentMembers("corp1", "nodept")), "not_found/department");
  EXPECT_EQ(Failure(identity_.ListDepartmentMembers("nocorp", "sales")), "not_found/org");
  EXPECT_TRUE(Members("sales").empty()) << "nothing was written";
}

TEST_F(DepartmentsTest, RemovingAUserTakesItsMembershipsAndUserGrantsAtOnce) {
  ASSERT_TRUE(identity_.CreateDepartment("corp1", "eng", ""));
  for (const char* dept : {"sales", "eng"}) {
    ASSERT_TRUE(identity_.AddDepartmentMember("corp1", dept, "union2"));
  }
  ASSERT_TRUE(identity_.AddDepartmentMember("corp1", "sales", "union1"));
  Grant(MemberType::kUser, "union2");
  Grant(MemberType::kUser, "union1");
  Grant(MemberType::kDept, "sales");
  const int64_t before = PermissionGeneration();

  ASSERT_TRUE(identity_.RemoveUser("corp1", "union2"));
  EXPECT_EQ(Failure(identity_.GetUser("corp1", "union2")), "not_found/user");
  EXPECT_EQ(Members("sales"), (std::vector<std::string>{"union1"}));
  EXPECT_TRUE(Members("eng").empty());
  EXPECT_EQ(GrantMembers(), (std::vector<std::string>{"USER:union1", "DEPT:sales"}))
      << "only the removed user's grants go";
  EXPECT_NE(PermissionGeneration(), before);
  EXPECT_TRUE(identity_.GetUser("corp2", "other1"));

  // A new user under the same unionId starts with nothing of the old one's.
  ASSERT_TRUE(identity_.CreateUser("corp1", "union2", "again"));
  EXPECT_EQ(Members("eng"), std::vector<std::string>{});
  EXPECT_EQ(GrantMembers(), (std::vector<std::string>{"USER:union1", "DEPT:sales"}));
}

TEST_F(DepartmentsTest, RemovingAnUnknownUserFails) {
  ASSERT_TRUE(identity_.RemoveUser("corp1", "union2"));
  EXPECT_EQ(Failure(identity_.RemoveUser("corp1", "union2")), "not_found/user");
  EXPECT_EQ(Failure(identity_.RemoveUser("corp1", "nouser")), "not_found/user");
  EXPECT_EQ(Failure(identity_.RemoveUser("nocorp", "union1")), "not_found/org");
  EXPECT_EQ(Failure(identity_.RemoveUser("corp2", "union1")), "not_found/user")
      << "a user of another org";
  EXPECT_TRUE(identity_.GetUser("corp1", "union1"));
}

}  // namespace
}  // namespace spacestore::domain
