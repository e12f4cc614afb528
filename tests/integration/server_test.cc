// End-to-end tests of the real `spacestore serve` binary: lifecycle, durability across
// restarts, the HTTP limits and what bad input gets. Each test starts its own server on a free
// port with a temporary data directory.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"
#include "temp_dir.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::HttpResult;
using testing::RawExchange;
using testing::ServerProcess;

json::object Json(const HttpResult& r) { return json::parse(r.body).as_object(); }

std::vector<std::pair<std::string, std::string>> Auth(const std::string& token) {
  return {{"x-acs-dingtalk-access-token", token}};
}

TEST(ServerTest, ProbesAnswer) {
  ServerProcess server;
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
  const auto ready = server.Request("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Json(ready).at("status").as_string(), "ready");
}

TEST(ServerTest, EveryResponseCarriesARequestId) {
  ServerProcess server;
  const auto a = server.Request("GET", "/livez");
  const auto b = server.Request("GET", "/nope");
  ASSERT_TRUE(a.headers.contains("x-acs-request-id"));
  ASSERT_TRUE(b.headers.contains("x-acs-request-id"));
  EXPECT_NE(a.headers.at("x-acs-request-id"), b.headers.at("x-acs-request-id"));
  EXPECT_EQ(Json(b).at("requestid").as_string(), b.headers.at("x-acs-request-id"));
}

TEST(ServerTest, SpacesSurviveARestart) {
  testing::TempDir dir;
  const std::string data = dir.File("data");
  std::string id;
  {
    ServerProcess server({}, data);
    const auto r =
        server.Request("POST", "/v1.0/storage/spaces?unionId=union1",
                       R"({"option":{"name":"kept","quota":2048}})", Auth(server.Token()));
    ASSERT_EQ(r.status, 200) << r.body;
    id = std::string(Json(r).at("space").at("id").as_string());
    EXPECT_EQ(server.Stop(), 0) << "SIGTERM must end the server cleanly";
  }
  ServerProcess again({}, data);
  const auto r = again.Request("GET", "/v1.0/storage/spaces/" + id + "?unionId=union1", "",
                               Auth(again.Token()));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("space").at("name").as_string(), "kept");
  EXPECT_EQ(Json(r).at("space").at("quota").as_int64(), 2048);
}

TEST(ServerTest, TokensFromBeforeARestartStillWork) {
  testing::TempDir dir;
  const std::string data = dir.File("data");
  std::string token;
  {
    ServerProcess server({}, data);
    token = server.Token();
  }
  ServerProcess again({}, data);
  const auto r =
      again.Request("POST", "/v1.0/storage/currentApps/query?unionId=union1", "", Auth(token));
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST(ServerTest, MalformedJsonIsParamError) {
  ServerProcess server;
  const auto r = server.Request("POST", "/v1.0/storage/spaces?unionId=union1",
                                "{\"option\":", Auth(server.Token()));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json(r).at("code").as_string(), "paramError");
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(ServerTest, OversizedBodyIs413AndServerKeepsServing) {
  ServerProcess server({"--max-body-bytes", "1024"});
  const std::string big = R"({"option":{"name":")" + std::string(4096, 'a') + R"("}})";
  const auto r =
      server.Request("POST", "/v1.0/storage/spaces?unionId=union1", big, Auth(server.Token()));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Json(r).at("code").as_string(), "paramError");
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(ServerTest, HalfSentRequestTimesOutWith408) {
  ServerProcess server({"--read-timeout-ms", "300"});
  const std::string reply =
      RawExchange(server.port(),
                  "POST /v1.0/storage/spaces?unionId=union1 HTTP/1.1\r\nHost: x\r\n"
                  "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"opt",
                  3000);
  EXPECT_NE(reply.find("HTTP/1.1 408"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\"requestid\""), std::string::npos) << reply;
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(ServerTest, HugeHeadersGet431) {
  ServerProcess server;
  const std::string reply = RawExchange(
      server.port(),
      "GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n", 3000);
  EXPECT_NE(reply.find("HTTP/1.1 431"), std::string::npos) << reply.substr(0, 200);
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(ServerTest, GarbageRequestLineGets400) {
  ServerProcess server;
  const std::string reply = RawExchange(server.port(), "HELLO\x01 WORLD\r\n\r\n", 3000);
  EXPECT_NE(reply.find("HTTP/1.1 400"), std::string::npos) << reply;
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(ServerTest, ChunkedJsonBodyIsAccepted) {
  ServerProcess server;
  const std::string body = R"({"option":{"scene":"chunk","sceneId":"1"}})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::string reply = RawExchange(
      server.port(),
      "POST /v1.0/storage/spaces?unionId=union1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "x-acs-dingtalk-access-token: " +
          server.Token() +
          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
          "\r\n" + body + "\r\n0\r\n\r\n",
      3000);
  EXPECT_NE(reply.find("HTTP/1.1 200"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\"scene\":\"chunk\""), std::string::npos) << reply;
}

TEST(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  ServerProcess server;
  const std::string one = "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string reply =
      RawExchange(server.port(),
                  one + one + "GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
  size_t count = 0;
  for (size_t pos = 0; (pos = reply.find("HTTP/1.1 200", pos)) != std::string::npos; ++pos) ++count;
  EXPECT_EQ(count, 3u) << reply;
}

TEST(ServerTest, AdminCommandsWorkBesideARunningServer) {
  ServerProcess server;
  const auto org = json::parse(server.Admin({"org", "create", "--corp-id", "corp2"}));
  EXPECT_EQ(org.at("corpId").as_string(), "corp2");
  const auto app = json::parse(
      server.Admin({"app", "create", "--corp-id", "corp2", "--scopes", "Storage.Space.Read"}));
  const std::string key(app.at("appKey").as_string());
  const std::string secret(app.at("appSecret").as_string());
  const auto token =
      server.Request("POST", "/v1.0/oauth2/accessToken",
                     R"({"appKey":")" + key + R"(","appSecret":")" + secret + R"("})");
  ASSERT_EQ(token.status, 200) << token.body;
  const auto apps = json::parse(server.Admin({"app", "list", "--corp-id", "corp2"}));
  ASSERT_EQ(apps.as_array().size(), 1u);
  EXPECT_FALSE(apps.as_array()[0].as_object().contains("appSecret"));
}

}  // namespace
}  // namespace spacestore
