#include "server/http_message.h"

#include <gtest/gtest.h>

#include <sstream>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

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

// ParseTarget splits plain targets itself; every answer must be Boost.URL's.
TEST(HttpMessageTest, PlainSplitAgreesWithBoostUrl) {
  for (const std::string_view target : {"/",
                                        "/a",
                                        "//a//b/",
                                        "/v1.0/storage/spaces/1?unionId=u",
                                        "/a?",
                                        "/a??",
                                        "/a?k",
                                        "/a?k=",
                                        "/a?=v",
                                        "/a?k=v=w",
                                        "/a?k=v&",
                                        "/a?&",
                                        "/a?k=1&&k=2",
                                        "/a?k=v?x/y",
                                        "/a:b@c!$'()*,;=~._-?q=:@!$'()*,;/",
                                        "/a?k=a+b",
                                        "/a%41?k=%42",
                                        "/a b",
                                        "a/b",
                                        "",
                                        "/a#f",
                                        "/a?k=v#f",
                                        "/\x7f",
                                        "/a[b]"}) {
    std::string path, general_path;
    std::vector<std::pair<std::string, std::string>> query, general_query;
    const bool ok = ParseTarget(target, path, query);
    EXPECT_EQ(ok, ParseTargetGeneral(target, general_path, general_query)) << target;
    if (!ok) continue;
    EXPECT_EQ(path, general_path) << target;
    EXPECT_EQ(query, general_query) << target;
  }
}

// ResponseHead must write what Beast's serializer writes for the same response.
TEST(HttpMessageTest, ResponseHeadIsWhatBeastWrites) {
  namespace http = boost::beast::http;
  HttpResponse plain = MakeResponse(200, R"({"a":1})");
  HttpResponse error = MakeResponse(404, R"({"code":"x"})");
  error.headers = {{"X-Traceid", "t1"}};
  HttpResponse ranged = MakeResponse(206, "abc", "application/octet-stream");
  ranged.headers = {{"ETag", "\"e\""}, {"Content-Range", "bytes 0-2/9"}};
  HttpResponse odd = MakeResponse(599, "");
  for (const HttpResponse* r : {&plain, &error, &ranged, &odd}) {
    for (const bool keep_alive : {true, false}) {
      http::response<http::string_body> res{static_cast<http::status>(r->status), 11};
      res.set(http::field::server, "spacestore");
      res.set(http::field::content_type, r->content_type);
      res.set("x-acs-request-id", "rid-1");
      for (const auto& [name, value] : r->headers) res.set(name, value);
      res.keep_alive(keep_alive);
      res.body() = r->body;
      res.prepare_payload();
      std::ostringstream beast;
      beast << res;
      EXPECT_EQ(ResponseHead(*r, "rid-1", keep_alive, r->body.size()) + r->body, beast.str())
          << r->status << " keep-alive " << keep_alive;
    }
  }
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
