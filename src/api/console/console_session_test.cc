#include "api/console/console_session.h"

#include <gtest/gtest.h>

#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::api::console {
namespace {

class ConsoleSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(identity_.Open());
    ASSERT_TRUE(identity_.Bootstrap({"corp1", "key1", "secret1", "union1"}));
    ASSERT_TRUE(identity_.CreateUser("corp1", "union2", "Two", "password-two"));
  }

  // A request carrying `cookie` as its Cookie header, besides another cookie.
  static server::HttpRequest WithCookie(const std::string& cookie) {
    server::HttpRequest request;
    request.headers = {{"cookie", "theme=dark; " + cookie + "; lang=en"}};
    return request;
  }

  // The name=value part of a Set-Cookie value.
  static std::string Pair(const std::string& set_cookie) {
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  domain::IdentityService identity_{store_, clock_, domain::IdentityOptions{60}};
  ConsoleSessions sessions_{identity_, false};
};

TEST_F(ConsoleSessionTest, AppLoginCookieNamesTheChosenUser) {
  auto login = identity_.LoginApp("key1", "secret1", "union2");
  ASSERT_TRUE(login);
  const std::string set = sessions_.SetCookie(login->token.token, "union2", 60);
  EXPECT_NE(set.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(set.find("; Path=/"), std::string::npos);
  EXPECT_EQ(set.find("Secure"), std::string::npos);
  auto actor = sessions_.ActorOf(WithCookie(Pair(set)));
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->corp_id, "corp1");
  EXPECT_EQ(actor->app_id, login->app.app_id);
  EXPECT_EQ(actor->union_id, "union2");
  auto session = sessions_.Read(WithCookie(Pair(set)));
  ASSERT_TRUE(session);
  EXPECT_EQ(session->token, login->token.token);
  EXPECT_EQ(session->user.name, "Two");
  EXPECT_GT(session->expires_at, 0);
}

TEST_F(ConsoleSessionTest, BoundTokenNamesOnlyItsUser) {
  auto login = identity_.LoginUser("key1", "union2", "password-two");
  ASSERT_TRUE(login);
  auto own =
      sessions_.ActorOf(WithCookie(Pair(sessions_.SetCookie(login->token.token, "union2", 60))));
  ASSERT_TRUE(own);
  EXPECT_EQ(own->union_id, "union2");
  // The cookie's user edited to another: refused, the token speaks for union2 only.
  auto other =
      sessions_.ActorOf(WithCookie(Pair(sessions_.SetCookie(login->token.token, "union1", 60))));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::kUnauthenticated);
  EXPECT_EQ(other.error().subject, "session");
}

TEST_F(ConsoleSessionTest, MissingExpiredOrForgedCookiesAreRefused) {
  EXPECT_EQ(sessions_.ActorOf(server::HttpRequest{}).error().code, Errc::kUnauthenticated);
  EXPECT_EQ(sessions_.ActorOf(WithCookie("spacestore_console=garbage")).error().code,
            Errc::kUnauthenticated);
  auto login = identity_.LoginApp("key1", "secret1", "union1");
  ASSERT_TRUE(login);
  const std::string cookie = Pair(sessions_.SetCookie(login->token.token, "union1", 60));
  EXPECT_EQ(sessions_.ActorOf(WithCookie(cookie + "x")).error().code, Errc::kUnauthenticated);
  // A user removed from the org has no session any more.
  ASSERT_TRUE(identity_.RemoveUser("corp1", "union1"));
  EXPECT_EQ(sessions_.ActorOf(WithCookie(cookie)).error().code, Errc::kUnauthenticated);
  auto login2 = identity_.LoginApp("key1", "secret1", "union2");
  ASSERT_TRUE(login2);
  const std::string cookie2 = Pair(sessions_.SetCookie(login2->token.token, "union2", 60));
  clock_.AdvanceMillis(61'000);
  auto expired = sessions_.ActorOf(WithCookie(cookie2));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, Errc::kUnauthenticated);
}

TEST(ConsoleCookieTest, ClearCookieEndsTheSessionAndSecureFollowsTheOption) {
  storage::MemoryMetadataStore store;
  testing::FakeClock clock;
  domain::IdentityService identity{store, clock, domain::IdentityOptions{60}};
  ConsoleSessions secure{identity, true};
  EXPECT_NE(secure.SetCookie("t", "u", 5).find("; Secure"), std::string::npos);
  EXPECT_NE(secure.ClearCookie().find("Max-Age=0"), std::string::npos);
}

TEST(ConsoleCookieTest, CookieValueFindsTheExactName) {
  server::HttpRequest request;
  request.headers = {{"cookie", "xspacestore_console=a; spacestore_console2=b"},
                     {"cookie", "spacestore_console=c"}};
  EXPECT_EQ(CookieValue(request, kSessionCookie), "c");
}

}  // namespace
}  // namespace spacestore::api::console
