// Files against the real binary: signed transfer endpoints, Range, the collector, and crash
// safety (SIGKILL in the middle of uploads and commits, then restart and verify every
// acknowledged file byte for byte, and usedQuota against what is stored).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"
#include "temp_dir.h"
#include "test_client.h"

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

// ---------------------------------------------------------------------------------------------
// Quota while the body arrives (docs/api/transfer.md, "Quota while the body arrives").

constexpr size_t kMiB = size_t{1} << 20;

// What a client that streams a body saw: the raw answer and how many body bytes it had sent
// when the answer arrived (it stops sending then, as a careful client does).
struct StreamedPut {
  std::string answer;
  size_t sent = 0;
};

// PUTs `total` bytes to `path` in 64 KiB pieces, chunked or with a Content-Length, and stops
// sending as soon as the server answers.
StreamedPut PutStreaming(int port, const std::string& path, const Headers& headers, size_t total,
                         bool chunked) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string head = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [k, v] : headers) head += k + ": " + v + "\r\n";
  head += chunked ? "Transfer-Encoding: chunked\r\n\r\n"
                  : "Content-Length: " + std::to_string(total) + "\r\n\r\n";
  EXPECT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));

  constexpr size_t kPiece = 64 * 1024;
  const std::string piece(kPiece, 'q');
  const std::string framed = "10000\r\n" + piece + "\r\n";  // 0x10000 = kPiece.
  StreamedPut out;
  std::string pending;  // What is left of the current piece.
  bool ended = false;   // The last piece (and a chunked body's terminator) is queued.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const bool more = !ended || !pending.empty();
    pollfd pfd{fd, static_cast<short>(POLLIN | (more ? POLLOUT : 0)), 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) != 0) break;  // The answer (or a close).
    if (pending.empty()) {
      pending = chunked ? framed : piece;
      out.sent += kPiece;
      if (out.sent >= total) {
        ended = true;
        if (chunked) pending += "0\r\n\r\n";
      }
    }
    const ssize_t n = send(fd, pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) break;
    pending.erase(0, static_cast<size_t>(n));
  }
  // Read the answer until the server closes the connection.
  for (;;) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 5000) <= 0) break;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.answer.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

// The bytes held by files being written (the blob store's staging directory) under `data_dir`.
uintmax_t StagingBytes(const std::string& data_dir) {
  uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir)) {
    if (entry.is_regular_file() && entry.path().parent_path().filename() == "staging") {
      bytes += entry.file_size();
    }
  }
  return bytes;
}

// A 403 QuotaExceeded answer in the transfer endpoints' shape, closing the connection.
void ExpectQuotaRefusal(const StreamedPut& put) {
  EXPECT_TRUE(put.answer.starts_with("HTTP/1.1 403 ")) << put.answer.substr(0, 200);
  EXPECT_NE(put.answer.find(R"("code":"QuotaExceeded")"), std::string::npos) << put.answer;
  EXPECT_NE(put.answer.find("Connection: close"), std::string::npos) << put.answer;
}

std::string UploadInfoPath(const std::string& space) {
  return "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1";
}

// One HTTP/1.1 answer read from `fd` (its head and a Content-Length body), or what arrived
// before `timeout` passed or the server closed.
std::string ReadAnswer(int fd, std::chrono::milliseconds timeout) {
  std::string in;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (const size_t end = in.find("\r\n\r\n"); end != std::string::npos) {
      const size_t at = in.find("Content-Length: ");
      const size_t length = at < end ? std::stoul(in.substr(at + 16)) : 0;
      if (in.size() >= end + 4 + length) return in;
    }
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  return in;
}

// A body with a Content-Length is read straight from the socket in 1 MiB chunks
// (UploadStream): one trickled in 8 KiB pieces with pauses, whose last chunk is short, lands
// whole, and its connection, kept alive, then answers the next request.
TEST(FilesTest, ATrickledLongUploadLandsAndItsConnectionAnswersTheNextRequest) {
  ServerProcess server;
  Client client(server);
  const std::string space = client.AddSpace();
  const std::string data = RandomBytes(2 * kMiB + 300 * 1024 + 7, 5);
  const auto info = client.Call("POST", UploadInfoPath(space),
                                R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":)"
                                R"({"preCheckParam":{"size":)" +
                                    std::to_string(data.size()) + "}}}");
  const auto [path, headers] = Client::Signed(info.at("headerSignatureInfo"));

  const int fd = testing::ConnectLoopback(server.port());
  std::string head = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [k, v] : headers) head += k + ": " + v + "\r\n";
  head += "Content-Length: " + std::to_string(data.size()) + "\r\n\r\n";
  ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  constexpr size_t kPiece = 8 * 1024;
  for (size_t at = 0; at < data.size(); at += kPiece) {
    const std::string_view piece = std::string_view(data).substr(at, kPiece);
    ASSERT_EQ(send(fd, piece.data(), piece.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(piece.size()));
    if (at % (32 * kPiece) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const std::string put = ReadAnswer(fd, std::chrono::seconds(10));
  EXPECT_TRUE(put.starts_with("HTTP/1.1 200 ")) << put.substr(0, 300);

  const std::string probe = "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  ASSERT_EQ(send(fd, probe.data(), probe.size(), MSG_NOSIGNAL), static_cast<ssize_t>(probe.size()));
  const std::string live = ReadAnswer(fd, std::chrono::seconds(5));
  EXPECT_TRUE(live.starts_with("HTTP/1.1 200 ")) << live.substr(0, 300);
  close(fd);

  const auto file = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/files/commit?unionId=union1",
      json::serialize(json::object{
          {"uploadKey", info.at("uploadKey")}, {"name", "trickled"}, {"parentId", "0"}}));
  const std::string id(file.at("dentry").at("id").as_string());
  EXPECT_EQ(client.Download(space, id).body, data);
}

TEST(FilesTest, UnannouncedUploadPastQuotaIsCutWhileItArrives) {
  ServerProcess server;
  Client client(server);
  const std::string space = client.AddSpace(10);
  const std::string unannounced = R"({"protocol":"HEADER_SIGNATURE","multipart":false})";

  // Chunked, 20 MiB: cut at the first 1 MiB chunk, answered while the client still sends.
  auto info = client.Call("POST", UploadInfoPath(space), unannounced);
  auto [path, headers] = Client::Signed(info.at("headerSignatureInfo"));
  const StreamedPut chunked = PutStreaming(server.port(), path, headers, 20 * kMiB, true);
  ExpectQuotaRefusal(chunked);
  EXPECT_LT(chunked.sent, 20 * kMiB);
  EXPECT_EQ(StagingBytes(server.data_dir()), 0u);

  // A Content-Length past the quota: refused before any body byte is read.
  const StreamedPut sized = PutStreaming(server.port(), path, headers, 20 * kMiB, false);
  ExpectQuotaRefusal(sized);
  EXPECT_LT(sized.sent, 20 * kMiB);
  EXPECT_EQ(StagingBytes(server.data_dir()), 0u);

  // Within the quota the same upload still works.
  const auto put = server.Request("PUT", path, "0123456789", headers);
  EXPECT_EQ(put.status, 200) << put.body;
  client.Call("POST", "/v1.0/storage/spaces/" + space + "/files/commit?unionId=union1",
              json::serialize(json::object{
                  {"uploadKey", info.at("uploadKey")}, {"name", "ten"}, {"parentId", "0"}}));
  EXPECT_EQ(client.UsedQuota(space), 10);
}

TEST(FilesTest, PartsPastQuotaAreCutWhileTheyArrive) {
  ServerProcess server;
  Client client(server);
  const std::string space = client.AddSpace(3 * kMiB);
  const auto init = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/files/multiPartUploadInfos/init?unionId=union1");
  const json::value key = init.at("uploadKey");
  const auto parts =
      client.Call("POST", "/v1.0/storage/spaces/files/multiPartUploadInfos/query?unionId=union1",
                  json::serialize(json::object{{"uploadKey", key}, {"partNumbers", {1, 2}}}));
  const auto& infos = parts.at("multipartHeaderSignatureInfos").as_array();
  const auto [path1, headers1] = Client::Signed(infos.at(0).at("headerSignatureInfo"));
  const auto [path2, headers2] = Client::Signed(infos.at(1).at("headerSignatureInfo"));

  // Part 1, 2 MiB in 1 MiB chunks, fits; part 2 may hold only the 1 MiB left.
  const std::string first = RandomBytes(2 * kMiB, 11);
  const auto put1 = server.Request("PUT", path1, first, headers1);
  EXPECT_EQ(put1.status, 200) << put1.body;
  const StreamedPut second = PutStreaming(server.port(), path2, headers2, 20 * kMiB, true);
  ExpectQuotaRefusal(second);
  EXPECT_LT(second.sent, 20 * kMiB);
  EXPECT_EQ(StagingBytes(server.data_dir()), 0u);

  // The refused part left no record: the upload commits as part 1 alone.
  const auto file = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/files/commit?unionId=union1",
      json::serialize(json::object{{"uploadKey", key}, {"name", "mp"}, {"parentId", "0"}}));
  EXPECT_EQ(file.at("dentry").at("size").as_int64(), static_cast<int64_t>(2 * kMiB));
  EXPECT_EQ(client.UsedQuota(space), static_cast<int64_t>(2 * kMiB));
}

}  // namespace
}  // namespace spacestore
