// Open links against the real binary, with a plain HTTP client: a preview link opens once
// (the page, then its content for the cookie it set, with Range), a second open and an expired
// link are refused; the WebOffice page's API reads, saves a new version and stops working
// after RefreshWebOfficeToken rotates the pair.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"
#include "test_client.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::ServerProcess;

std::string PathOf(const std::string& url, const std::string& prefix) {
  const size_t at = url.find(prefix);
  EXPECT_NE(at, std::string::npos) << url;
  return at == std::string::npos ? url : url.substr(at);
}

struct File {
  std::string space;
  std::string id;
};

File MakeFile(const Client& client, const std::string& name, const std::string& data) {
  File f;
  f.space = client.AddSpace();
  f.id = std::string(client.PutFile(f.space, name, data).at("id").as_string());
  return f;
}

std::string OpenLink(const Client& client, const File& f, const std::string& option) {
  const auto r = client.Call(
      "POST",
      "/v1.0/storage/spaces/" + f.space + "/dentries/" + f.id + "/openInfos/query?unionId=union1",
      R"({"option":)" + option + "}");
  return std::string(r.at("url").as_string());
}

TEST(OpenLinksTest, PreviewLinkOpensOnceAndServesItsContentToTheCookieOnly) {
  ServerProcess server;
  Client client(server);
  const File f = MakeFile(client, "notes.txt", "<b>hello</b> & goodbye\n");
  const std::string url = OpenLink(client, f, R"({"type":"PREVIEW","waterMark":true})");
  EXPECT_EQ(url.rfind("http://127.0.0.1:" + std::to_string(server.port()) + "/open/", 0), 0u)
      << url;
  const std::string path = PathOf(url, "/open/");

  const auto first = server.Request("GET", path, "", {});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.headers.at("content-type"), "text/html;charset=utf-8");
  EXPECT_EQ(first.headers.at("cache-control"), "no-store");
  // The text is escaped into the page, and the viewer's name tiled over it.
  EXPECT_NE(first.body.find("<pre id=\"content\">&lt;b&gt;hello&lt;/b&gt; &amp; goodbye"),
            std::string::npos)
      << first.body;
  EXPECT_NE(first.body.find("id=\"watermark\""), std::string::npos);
  EXPECT_NE(first.body.find("<span>Default user</span>"), std::string::npos);  // users.name
  const std::string cookie = first.headers.at("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=" + path + "/"), std::string::npos) << cookie;
  const std::string pair = cookie.substr(0, cookie.find(';'));

  const auto content = server.Request("GET", path + "/content", "", {{"Cookie", pair}});
  EXPECT_EQ(content.status, 200);
  EXPECT_EQ(content.body, "<b>hello</b> & goodbye\n");
  EXPECT_EQ(content.headers.at("content-type"), "text/plain;charset=utf-8");
  const auto range =
      server.Request("GET", path + "/content", "", {{"Cookie", pair}, {"Range", "bytes=3-7"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, "hello");
  EXPECT_EQ(server.Request("GET", path + "/content", "", {}).status, 404);
  EXPECT_EQ(
      server.Request("GET", path + "/content", "", {{"Cookie", "ss_open=" + std::string(64, '0')}})
          .status,
      404);

  const auto second = server.Request("GET", path, "", {});
  EXPECT_EQ(second.status, 410);
  EXPECT_NE(second.body.find("this link has already been used"), std::string::npos);
  EXPECT_EQ(server.Request("GET", "/open/" + std::string(64, 'a'), "", {}).status, 404);
  EXPECT_EQ(server.Request("GET", "/open/not-a-token", "", {}).status, 404);
}

TEST(OpenLinksTest, ExpiredLinkIsRefusedAndOtherFilesShowADownload) {
  ServerProcess server({"--open-link-ttl", "1"});
  Client client(server);
  const File f = MakeFile(client, "report.docx", std::string(2048, 'x'));
  const std::string late = PathOf(OpenLink(client, f, "{}"), "/open/");
  const std::string on_time = PathOf(OpenLink(client, f, "{}"), "/open/");
  const auto page = server.Request("GET", on_time, "", {});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("report.docx"), std::string::npos);
  EXPECT_NE(page.body.find("2.0 KB"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"download\""), std::string::npos);
  EXPECT_EQ(page.body.find("watermark\""), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto expired = server.Request("GET", late, "", {});
  EXPECT_EQ(expired.status, 410);
  EXPECT_NE(expired.body.find("this link has expired"), std::string::npos);
}

TEST(OpenLinksTest, CheckLoginLinkNeedsAConsoleLoginOfAUserWhoMayRead) {
  ServerProcess server;
  Client client(server);
  const File f = MakeFile(client, "a.png", "not really a png");
  const std::string path = PathOf(OpenLink(client, f, R"({"checkLogin":true})"), "/open/");
  for (int i = 0; i < 2; ++i) {
    const auto r = server.Request("GET", path, "", {});
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("/console/"), std::string::npos);
  }
  // A user created after the link, with no role on the file: logged in, still refused.
  server.Admin({"user", "create", "--corp-id", ServerProcess::kCorpId, "--union-id", "viewer2"});
  auto login = [&](const std::string& union_id) {
    const auto r =
        server.Request("POST", "/console/api/login",
                       json::serialize(json::object{{"appKey", ServerProcess::kAppKey},
                                                    {"appSecret", ServerProcess::kAppSecret},
                                                    {"unionId", union_id}}),
                       {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string cookie = r.headers.at("set-cookie");
    return cookie.substr(0, cookie.find(';'));
  };
  const std::string stranger = login("viewer2");
  EXPECT_EQ(server.Request("GET", path, "", {{"Cookie", stranger}}).status, 403);
  // The space's owner, logged in: the link opens, and again (reusable until it expires).
  const std::string owner = login(ServerProcess::kUnionId);
  for (int i = 0; i < 2; ++i) {
    const auto r = server.Request("GET", path, "", {{"Cookie", owner}});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("a.png"), std::string::npos);
  }
}

TEST(OpenLinksTest, WebOfficePageReadsSavesAndStopsAfterRotation) {
  ServerProcess server;
  Client client(server);
  const File f = MakeFile(client, "draft.md", "# one\n");
  const std::string base = "/v1.0/storage/spaces/" + f.space + "/dentries/" + f.id;
  const auto office = client.Call("GET", base + "/webOfficeUrls?unionId=union1");
  const std::string url(office.at("webOfficeUrl").as_string());
  const std::string access(office.at("webOfficeAccessToken").as_string());
  const std::string refresh(office.at("webOfficeRefreshToken").as_string());
  EXPECT_EQ(url, "http://127.0.0.1:" + std::to_string(server.port()) + "/office/" + f.space + "/" +
                     f.id + "#token=" + access);

  const auto html = server.Request("GET", PathOf(url.substr(0, url.find('#')), "/office/"), "", {});
  EXPECT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("/office/_/office.js"), std::string::npos);
  const auto js = server.Request("GET", "/office/_/office.js", "", {});
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers.at("content-type"), "text/javascript;charset=utf-8");

  const testing::Headers bearer = {{"Authorization", "Bearer " + access}};
  const auto info = server.Request("GET", "/office/api/file", "", bearer);
  ASSERT_EQ(info.status, 200) << info.body;
  const auto file = json::parse(info.body).as_object();
  EXPECT_EQ(file.at("name").as_string(), "draft.md");
  EXPECT_EQ(file.at("kind").as_string(), "text");
  EXPECT_TRUE(file.at("canEdit").as_bool());
  EXPECT_EQ(server.Request("GET", "/office/api/content", "", bearer).body, "# one\n");

  const auto saved = server.Request("PUT", "/office/api/file", "# two\n", bearer);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(json::parse(saved.body).at("version").as_int64(), 2);
  EXPECT_EQ(client.Download(f.space, f.id).body, "# two\n");
  EXPECT_EQ(client.UsedQuota(f.space), 12);

  const auto fresh = client.Call("GET", base +
                                            "/refreshWebOfficeToken?unionId=union1&"
                                            "webOfficeAccessToken=" +
                                            access + "&webOfficeRefreshToken=" + refresh);
  const std::string access2(fresh.at("webOfficeAccessToken").as_string());
  EXPECT_NE(access2, access);
  const auto old = server.Request("GET", "/office/api/file", "", bearer);
  EXPECT_EQ(old.status, 401);
  EXPECT_EQ(json::parse(old.body).at("code").as_string(), "tokenExpired");
  EXPECT_EQ(server.Request("GET", "/office/api/file", "", {{"Authorization", "Bearer " + access2}})
                .status,
            200);
  const auto reused = client.Call("GET",
                                  base +
                                      "/refreshWebOfficeToken?unionId=union1&"
                                      "webOfficeAccessToken=" +
                                      access + "&webOfficeRefreshToken=" + refresh,
                                  "", 400);
  EXPECT_EQ(reused.at("code").as_string(), "paramError");
}

}  // namespace
}  // namespace spacestore
