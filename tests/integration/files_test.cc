// Files against the real binary: signed transfer endpoints, Range, the collector, and crash
// safety (SIGKILL in the middle of uploads and commits, then restart and verify every
// acknowledged file byte for byte, and usedQuota against what is stored).
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "drive_client.h"
#include "server_process.h"
#include "temp_dir.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::Headers;
using testing::HttpResult;
using testing::RandomBytes;
using testing::ServerProcess;

TEST(FilesTest, UploadDownloadAndRange) {
  ServerProcess server;
  Client client(server);
  const std::string space = client.AddSpace();
  const std::string data = RandomBytes(300000, 7);
  const auto dentry = client.PutFile(space, "blob.bin", data);
  const std::string id(dentry.at("id").as_string());
  EXPECT_EQ(dentry.at("size").as_int64(), 300000);

  const auto whole = client.Download(space, id);
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, data);
  EXPECT_EQ(whole.headers.at("content-length"), "300000");
  EXPECT_EQ(whole.headers.at("accept-ranges"), "bytes");
  EXPECT_FALSE(whole.headers.at("etag").empty());
  EXPECT_FALSE(whole.headers.at("last-modified").empty());

  const auto part = client.Download(space, id, {{"Range", "bytes=1000-1999"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, data.substr(1000, 1000));
  EXPECT_EQ(part.headers.at("content-range"), "bytes 1000-1999/300000");

  const auto tail = client.Download(space, id, {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.body, data.substr(data.size() - 10));

  const auto bad = client.Download(space, id, {{"Range", "bytes=400000-"}});
  EXPECT_EQ(bad.status, 416);
  EXPECT_EQ(bad.headers.at("content-range"), "bytes */300000");
  EXPECT_EQ(client.UsedQuota(space), 300000);
}

TEST(FilesTest, SignedUrlsAreCheckedStrictly) {
  ServerProcess server;
  Client client(server);
  const std::string space = client.AddSpace();
  const auto info = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
      R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":{"preCheckParam":{"size":4}}})");
  const auto [path, headers] = Client::Signed(info.at("headerSignatureInfo"));
  auto code = [](const HttpResult& r) {
    return std::string(json::parse(r.body).at("code").as_string());
  };

  Headers tampered = headers;
  tampered[0].second.back() = tampered[0].second.back() == 'a' ? 'b' : 'a';
  auto r = server.Request("PUT", path, "data", tampered);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code(r), "SignatureDoesNotMatch");
  r = server.Request("PUT", path, "data");
  EXPECT_EQ(r.status, 403);
  r = server.Request("GET", path, "", headers);
  EXPECT_EQ(r.status, 405);
  r = server.Request("PUT", path, "too many bytes", headers);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), "InvalidContentLength");
  r = server.Request("PUT", path, "data", headers);
  EXPECT_EQ(r.status, 200) << r.body;
  client.Call("POST", "/v1.0/storage/spaces/" + space + "/files/commit?unionId=union1",
              json::serialize(json::object{
                  {"uploadKey", info.at("uploadKey")}, {"name", "x"}, {"parentId", "0"}}));
  r = server.Request("PUT", path, "data", headers);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(code(r), "UploadAlreadyCommitted");
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(FilesTest, ExpiredSignedUrlIsRefused) {
  ServerProcess server({"--url-ttl", "1"});
  Client client(server);
  const std::string space = client.AddSpace();
  const auto info = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
      R"({"protocol":"HEADER_SIGNATURE","multipart":false})");
  const auto [path, headers] = Client::Signed(info.at("headerSignatureInfo"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const auto r = server.Request("PUT", path, "late", headers);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body).at("code").as_string(), "RequestExpired");
}

TEST(FilesTest, CollectorReleasesExpiredReservations) {
  ServerProcess server({"--upload-ttl", "1", "--collect-interval", "1", "--blob-grace", "0"});
  Client client(server);
  const std::string space = client.AddSpace(10000);
  client.Call("POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
              R"({"protocol":"HEADER_SIGNATURE","multipart":false,)"
              R"("option":{"preCheckParam":{"size":9000}}})");
  // While reserved, a second 9000-byte upload does not fit.
  client.Call("POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
              R"({"protocol":"HEADER_SIGNATURE","multipart":false,)"
              R"("option":{"preCheckParam":{"size":9000}}})",
              403);
  bool released = false;
  for (int i = 0; i < 50 && !released; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto r = server.Request(
        "POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
        R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":{"preCheckParam":{"size":9000}}})",
        {{"x-acs-dingtalk-access-token", server.Token()}});
    released = r.status == 200;
  }
  EXPECT_TRUE(released) << "the expired reservation was never released";
}

TEST(FilesTest, AcknowledgedFilesSurviveSigkill) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  struct Acked {
    std::string id;
    std::string bytes;
  };
  std::vector<Acked> acked;
  std::string space;
  {
    ServerProcess server({}, data_dir);
    Client setup(server);
    space = setup.AddSpace();
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (int w = 0; w < 3; ++w) {
      workers.emplace_back([&, w] {
        for (uint32_t i = 0; !stop; ++i) {
          try {
            Client client(server);
            const std::string bytes =
                RandomBytes(1000 + (i * 7919 + w * 104729) % 200000, i * 3 + w);
            const auto d =
                client.PutFile(space, "w" + std::to_string(w) + "-" + std::to_string(i), bytes);
            std::lock_guard lock(mu);
            acked.push_back({std::string(d.at("id").as_string()), bytes});
          } catch (const std::exception&) {
            return;  // The server is gone.
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    server.Kill();  // SIGKILL, mid-flight.
    stop = true;
    for (auto& t : workers) t.join();
  }
  ASSERT_GT(acked.size(), 3u) << "too few uploads finished to test anything";

  ServerProcess again({}, data_dir);
  Client client(again);
  for (const auto& file : acked) {
    const auto r = client.Download(space, file.id);
    ASSERT_EQ(r.status, 200) << file.id;
    EXPECT_EQ(r.body, file.bytes) << file.id;
  }
  // usedQuota must equal the sum of the sizes of every stored file, acknowledged or not.
  int64_t stored = 0;
  std::string token;
  do {
    json::object option{{"maxResults", 50}};
    if (!token.empty()) option["nextToken"] = token;
    const auto page =
        client.Call("POST", "/v1.0/storage/spaces/" + space + "/dentries/listAll?unionId=union1",
                    json::serialize(json::object{{"option", option}}));
    for (const auto& d : page.at("dentries").as_array()) stored += d.at("size").as_int64();
    token = page.contains("nextToken") ? std::string(page.at("nextToken").as_string()) : "";
  } while (!token.empty());
  EXPECT_EQ(client.UsedQuota(space), stored);
}

}  // namespace
}  // namespace spacestore
