#include "server/static_assets.h"

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

constexpr StaticAsset kAssets[] = {
    {"index.html", "<!doctype html>", "\"abc\""},
    {"js/app.js", "console.log(1)", "\"def\""},
};

HttpRequest Get(std::string path, std::string method = "GET") {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

std::string HeaderOf(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class StaticAssetsTest : public ::testing::Test {
 protected:
  StaticAssets assets_{kAssets, StaticAssets::Options{.prefix = "/page/"}};
};

TEST_F(StaticAssetsTest, ServesTheIndexAndFilesWithTheirTypes) {
  auto index = assets_.Serve(Get("/page/"));
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<!doctype html>");
  EXPECT_EQ(index->content_type, "text/html;charset=utf-8");
  auto script = assets_.Serve(Get("/page/js/app.js"));
  ASSERT_TRUE(script);
  EXPECT_EQ(script->content_type, "text/javascript;charset=utf-8");
  EXPECT_EQ(HeaderOf(*script, "ETag"), "\"def\"");
  EXPECT_EQ(HeaderOf(*script, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(*script, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(*script, "Content-Security-Policy"), StaticAssets::kStrictPolicy);
  EXPECT_EQ(HeaderOf(*script, "Content-Security-Policy").find("unsafe-inline"), std::string::npos);
  auto head = assets_.Serve(Get("/page/", "HEAD"));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

TEST_F(StaticAssetsTest, RevalidatesByETag) {
  HttpRequest request = Get("/page/js/app.js");
  request.headers = {{"if-none-match", "\"zzz\", W/\"def\""}};
  auto response = assets_.Serve(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 304);
  EXPECT_TRUE(response->body.empty());
  request.headers = {{"if-none-match", "\"zzz\""}};
  EXPECT_EQ(assets_.Serve(request)->status, 200);
}

TEST_F(StaticAssetsTest, RefusesUnknownPathsAndMethods) {
  EXPECT_FALSE(assets_.Serve(Get("/other/")));
  EXPECT_EQ(assets_.Serve(Get("/page/missing.js"))->status, 404);
  EXPECT_EQ(assets_.Serve(Get("/page/../secret"))->status, 404);
  auto post = assets_.Serve(Get("/page/", "POST"));
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(HeaderOf(*post, "Allow"), "GET, HEAD");
}

TEST(StaticAssetTypesTest, KnownExtensions) {
  EXPECT_EQ(StaticAssets::ContentType("a.css"), "text/css;charset=utf-8");
  EXPECT_EQ(StaticAssets::ContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticAssets::ContentType("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace spacestore::server
