// `spacestore admin app set ... --event-url` and `app list` on the real binary
// (docs/operations.md, "Event push"): the secret printed once, rotation, clearing, refusals.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "test_client.h"

namespace spacestore::testing {
namespace {

namespace json = boost::json;

class AppEventsCliTest : public ::testing::Test {
 protected:
  CommandResult Admin(const std::vector<std::string>& args) const {
    std::vector<std::string> full = {"admin", "--data-dir", server_.data_dir()};
    full.insert(full.end(), args.begin(), args.end());
    return RunSpacestore(full);
  }
  json::object AdminOk(const std::vector<std::string>& args) const {
    const auto r = Admin(args);
    EXPECT_EQ(r.status, 0) << r.out;
    return r.status == 0 ? json::parse(r.out).as_object() : json::object();
  }
  json::object Listed() const {
    const auto list = json::parse(Admin({"app", "list"}).out).as_array();
    for (const auto& a : list) {
      if (a.at("appKey").as_string() == ServerProcess::kAppKey) return a.as_object();
    }
    return {};
  }
  std::string AppId() const { return std::string(Listed().at("appId").as_string()); }

  ServerProcess server_;
};

bool IsHex64(const json::value& v) {
  const auto& s = v.as_string();
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == json::string::npos;
}

TEST_F(AppEventsCliTest, SetRotateAndClear) {
  const std::string app = AppId();
  EXPECT_EQ(Listed().at("eventUrl").as_string(), "");
  const auto set = AdminOk({"app", "set", app, "--event-url", "http://127.0.0.1:9/hook?x=1"});
  EXPECT_EQ(set.at("appId").as_string(), app);
  EXPECT_EQ(set.at("eventUrl").as_string(), "http://127.0.0.1:9/hook?x=1");
  ASSERT_TRUE(set.contains("eventSecret"));
  EXPECT_TRUE(IsHex64(set.at("eventSecret")));
  // Listed with its URL, never with the secret.
  EXPECT_EQ(Listed().at("eventUrl").as_string(), "http://127.0.0.1:9/hook?x=1");
  EXPECT_FALSE(Listed().contains("eventSecret"));
  // A new URL keeps the secret (not printed again); a rotation makes a new one.
  const auto moved = AdminOk({"app", "set", app, "--event-url", "https://example.invalid/e"});
  EXPECT_FALSE(moved.contains("eventSecret"));
  const auto rotated = AdminOk({"app", "set", app, "--rotate-event-secret"});
  ASSERT_TRUE(rotated.contains("eventSecret"));
  EXPECT_TRUE(IsHex64(rotated.at("eventSecret")));
  EXPECT_NE(rotated.at("eventSecret"), set.at("eventSecret"));
  EXPECT_EQ(rotated.at("eventUrl").as_string(), "https://example.invalid/e");
  const auto cleared = AdminOk({"app", "set", app, "--clear-event-url"});
  EXPECT_EQ(cleared.at("eventUrl").as_string(), "");
  EXPECT_EQ(Listed().at("eventUrl").as_string(), "");
  // No dead letters yet: an empty list.
  const auto letters = Admin({"app", "dead-letters", app});
  EXPECT_EQ(letters.status, 0);
  EXPECT_EQ(json::parse(letters.out), json::array());
  // The server keeps serving the app meanwhile (its token still works).
  EXPECT_FALSE(server_.Token().empty());
}

TEST_F(AppEventsCliTest, Refusals) {
  const std::string app = AppId();
  for (const std::string url : {"ftp://h/x", "http://", "http:///path", "http://h/a b",
                                "127.0.0.1:9/hook", "https://:80/x"}) {
    const auto r = Admin({"app", "set", app, "--event-url", url});
    EXPECT_EQ(r.status, 1) << url << ": " << r.out;
  }
  EXPECT_EQ(Admin({"app", "set", "999999999", "--event-url", "http://h/"}).status, 1);
  EXPECT_EQ(Admin({"app", "set", app}).status, 1);  // Nothing asked for.
  EXPECT_EQ(Admin({"app", "set", app, "--event-url", "http://h/", "--clear-event-url"}).status, 2);
  EXPECT_EQ(Admin({"app", "set"}).status, 2);
  EXPECT_EQ(Admin({"app", "dead-letters", "999999999"}).status, 1);
  EXPECT_EQ(Admin({"app", "dead-letters", app, "--limit", "0"}).status, 2);
  EXPECT_EQ(Listed().at("eventUrl").as_string(), "") << "nothing was stored by a refusal";
}

}  // namespace
}  // namespace spacestore::testing
