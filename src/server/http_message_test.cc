#include "server/http_message.h"

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

TEST(HttpMessageTest, ParsesPathAndDecodesQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ASSERT_TRUE(
      ParseTarget("/v1.0/storage/spaces/1?unionId=a%20b&x=&list=%5B%22d1%22%5D", path, query));
  EXPECT_EQ(path, "/v1.0/storage/spaces/1");
  ASSERT_EQ(query.size(), 3u);
  EXPECT_EQ(query[0].second, "a b");
  EXPECT_EQ(query[1].second, "");
  EXPECT_EQ(query[2].second, "[\"d1\"]");
}

TEST(HttpMessageTest, RejectsNonOriginForm) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  EXPECT_FALSE(ParseTarget("http://x/y", path, query));
  EXPECT_FALSE(ParseTarget("/a%zz", path, query));
}

TEST(HttpMessageTest, HeaderAndQueryLookup) {
  HttpRequest r;
  r.headers = {{"x-a", "1"}};
  r.query = {{"unionId", "u"}};
  EXPECT_EQ(r.Header("x-a").value(), "1");
  EXPECT_FALSE(r.Header("x-b"));
  EXPECT_EQ(r.Query("unionId").value(), "u");
}

}  // namespace
}  // namespace spacestore::server
