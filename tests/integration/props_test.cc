// File versions and app properties against the real binary: a revert is durable the moment it
// is answered (SIGKILL right after, restart, the new version is there with the old bytes and
// usedQuota equals every stored version), and a PRIVATE property set by one app is never in
// what another app of the org reads.
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"
#include "temp_dir.h"
#include "test_client.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::ServerProcess;

// Uploads `data` over file `id` (a new version); returns the commit's dentry.
json::object Overwrite(const ServerProcess& server, const Client& client, const std::string& space,
                       const std::string& id, const std::string& data) {
  const auto info = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
      R"({"protocol":"HEADER_SIGNATURE"})");
  const auto [path, headers] = Client::Signed(info.at("headerSignatureInfo"));
  EXPECT_EQ(server.Request("PUT", path, data, headers).status, 200);
  return client
      .Call("POST", "/v1.0/storage/spaces/" + space + "/files/commit?unionId=union1",
            json::serialize(json::object{{"uploadKey", info.at("uploadKey")},
                                         {"name", "f.bin"},
                                         {"parentId", "0"},
                                         {"overwriteDentryId", id}}))
      .at("dentry")
      .as_object();
}

std::vector<int64_t> Versions(const Client& client, const std::string& space,
                              const std::string& id) {
  std::vector<int64_t> out;
  std::string token;
  do {
    const auto page = client.Call("GET", "/v1.0/storage/spaces/" + space + "/dentries/" + id +
                                             "/versions?unionId=union1&maxResults=2" +
                                             (token.empty() ? "" : "&nextToken=" + token));
    for (const auto& d : page.at("dentries").as_array()) {
      out.push_back(d.at("version").as_int64());
    }
    token = page.contains("nextToken") ? std::string(page.at("nextToken").as_string()) : "";
  } while (!token.empty());
  return out;
}

TEST(PropsTest, RevertSurvivesSigkillAndQuotaStaysExact) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  std::string space;
  std::string id;
  const std::string first = testing::RandomBytes(70000, 1);
  const std::string second = testing::RandomBytes(30000, 2);
  {
    ServerProcess killed({}, data_dir);
    Client client(killed);
    space = client.AddSpace(int64_t{1} << 20);
    id = std::string(client.PutFile(space, "f.bin", first).at("id").as_string());
    EXPECT_EQ(Overwrite(killed, client, space, id, second).at("version").as_int64(), 2);
    const auto revert = client.Call("POST", "/v1.0/storage/spaces/" + space + "/dentries/" + id +
                                                "/versions/1/revert?unionId=union1");
    EXPECT_EQ(json::serialize(revert), R"({"success":true})");
    killed.Kill();  // Right after the answer: a 2xx means committed.
  }
  auto server = std::make_unique<ServerProcess>(std::vector<std::string>{}, data_dir);
  Client client(*server);
  EXPECT_EQ(Versions(client, space, id), (std::vector<int64_t>{3, 2, 1}));
  const auto latest = client.Download(space, id);
  EXPECT_EQ(latest.status, 200);
  EXPECT_TRUE(latest.body == first) << "the latest version must hold version 1's bytes";
  EXPECT_EQ(client.UsedQuota(space), 70000 + 30000 + 70000);
  // Over the quota: refused, nothing changes.
  const std::string big = testing::RandomBytes(700000, 3);
  Overwrite(*server, client, space, id, big);  // Version 4: 870,000 of 1,048,576 bytes used.
  client.Call(
      "POST",
      "/v1.0/storage/spaces/" + space + "/dentries/" + id + "/versions/4/revert?unionId=union1", "",
      403);
  EXPECT_EQ(client.UsedQuota(space), 870000);
  EXPECT_EQ(Versions(client, space, id), (std::vector<int64_t>{4, 3, 2, 1}));
  EXPECT_EQ(server->Stop(), 0);
  if (const auto fsck = ServerProcess::Fsck(data_dir)) {
    EXPECT_EQ(fsck->first, 0) << fsck->second;
  }
}

TEST(PropsTest, PrivatePropertiesStayWithTheirApp) {
  ServerProcess server;
  Client owner(server);
  const std::string space = owner.AddSpace();
  const std::string id(owner.PutFile(space, "f.txt", "data").at("id").as_string());
  const std::string base = "/v1.0/storage/spaces/" + space + "/dentries/" + id;
  owner.Call("PUT", base + "/appProperties?unionId=union1",
             R"({"appProperties":[{"name":"k","value":"mine","visibility":"PRIVATE"},)"
             R"({"name":"p","value":"all","visibility":"PUBLIC"}]})");

  const auto app =
      json::parse(server.Admin({"app", "create", "--corp-id", ServerProcess::kCorpId}));
  const auto token =
      json::parse(server
                      .Request("POST", "/v1.0/oauth2/accessToken",
                               json::serialize(json::object{{"appKey", app.at("appKey")},
                                                            {"appSecret", app.at("appSecret")}}))
                      .body);
  const std::string other(token.at("accessToken").as_string());
  const auto as_other = [&](const std::string& method, const std::string& target,
                            const std::string& body) {
    const auto r = server.Request(method, target, body, {{"x-acs-dingtalk-access-token", other}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  };
  // The other app sets its own "k"; neither app's "k" touches the other's.
  as_other("PUT", base + "/appProperties?unionId=union1",
           R"({"appProperties":[{"name":"k","value":"theirs","visibility":"PRIVATE"}]})");
  const std::string seen_by_other = as_other("POST", base + "/query?unionId=union1", "{}");
  EXPECT_EQ(seen_by_other.find("mine"), std::string::npos) << seen_by_other;
  EXPECT_NE(seen_by_other.find("theirs"), std::string::npos) << seen_by_other;
  EXPECT_NE(seen_by_other.find("\"all\""), std::string::npos) << seen_by_other;
  const std::string listed =
      as_other("GET", "/v1.0/storage/spaces/" + space + "/dentries?unionId=union1&parentId=0", "");
  EXPECT_EQ(listed.find("mine"), std::string::npos) << listed;
  const std::string versions = as_other("GET", base + "/versions?unionId=union1", "");
  EXPECT_EQ(versions.find("mine"), std::string::npos) << versions;
  const auto seen_by_owner =
      json::serialize(owner.Call("POST", base + "/query?unionId=union1", "{}"));
  EXPECT_NE(seen_by_owner.find("mine"), std::string::npos) << seen_by_owner;
  EXPECT_EQ(seen_by_owner.find("theirs"), std::string::npos) << seen_by_owner;
}

}  // namespace
}  // namespace spacestore
