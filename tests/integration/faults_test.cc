// Injected store faults on the real binary (`serve --fault-file`, docs/error-handling.md,
// "Injected faults"): a disk that fills during an upload answers the documented 507, a failing
// one 503; once the fault clears the server serves again, and every file acknowledged before,
// during and after the fault downloads byte for byte.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "drive_client.h"
#include "server_process.h"
#include "temp_dir.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::DriveClient;
using testing::ServerProcess;
using testing::StatusError;

std::string Bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

// Writes the plan as a new file renamed over `path`, so the server sees a new inode at once.
void WritePlan(const std::string& path, const std::string& plan) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << plan;
  ASSERT_EQ(std::rename(tmp.c_str(), path.c_str()), 0);
}

std::string Code(const std::string& body) {
  return json::serialize(json::parse(body).as_object().at("code"));
}

class FaultsTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  std::string plan_ = dir_.File("faults");
  ServerProcess server_{{"--fault-file", plan_}};
  DriveClient client_{server_};
};

TEST_F(FaultsTest, DiskFullDuringUploadThenRecovers) {
  const std::string space = client_.AddSpace("faults", "1");
  std::vector<std::pair<std::string, std::string>> acked;  // dentry id, content
  const std::string before = Bytes(300000, 1);
  acked.emplace_back(std::string(client_.PutFile(space, "before.bin", before).at("id").as_string()),
                     before);

  // The disk fills after 100 KB of a 2 MiB upload: 507 in the transfer shape, and no file.
  WritePlan(plan_, "blob_write=enospc\nblob_write_after_bytes=100000\n");
  try {
    client_.PutFile(space, "during.bin", Bytes(2 << 20, 2));
    ADD_FAILURE() << "the upload succeeded on a full disk";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status(), 507) << e.what();
    EXPECT_NE(std::string(e.what()).find("InsufficientStorage"), std::string::npos) << e.what();
  }

  // The database is full too: DingTalk and KooDrive answer 507 in their own shapes.
  WritePlan(plan_, "metadata_write=enospc\n");
  auto r =
      client_.Call("POST", "/v1.0/storage/spaces/" + space + "/dentries/0/folders?unionId=union1",
                   R"({"name":"refused"})");
  EXPECT_EQ(r.status, 507) << r.body;
  EXPECT_EQ(Code(r.body), R"("storageFull")");
  r = client_.KooDrive("POST", "/koodrive/ose/v1/space/union1", R"({"type":"1","capacity":5})");
  EXPECT_EQ(r.status, 507) << r.body;
  EXPECT_EQ(Code(r.body), "13009507");

  // A failing disk: 503; reads of stored content fail too, but nothing stored is lost.
  WritePlan(plan_, "blob_read=eio\nmetadata_write=eio\n");
  r = client_.Call("POST", "/v1.0/storage/spaces/" + space + "/dentries/0/folders?unionId=union1",
                   R"({"name":"refused"})");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Code(r.body), R"("operationTimeout")");
  r = client_.Download(space, acked[0].first);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Code(r.body), R"("ServiceUnavailable")");

  // Cleared (the file removed): uploads work again, single and multipart.
  ASSERT_EQ(std::remove(plan_.c_str()), 0);
  const std::string after = Bytes(2 << 20, 3);
  acked.emplace_back(std::string(client_.PutFile(space, "during.bin", after).at("id").as_string()),
                     after);
  const std::string parts = Bytes(250000, 4);
  acked.emplace_back(
      std::string(client_.PutMultipart(space, "parts.bin", parts, 102400).at("id").as_string()),
      parts);
  client_.AddFolder(space, "0", "refused");
  for (const auto& [id, bytes] : acked) {
    const auto got = client_.Download(space, id);
    ASSERT_EQ(got.status, 200) << id;
    EXPECT_EQ(got.body, bytes) << id;
  }
  // usedQuota counts exactly the acknowledged files: the refused upload left nothing behind.
  const auto got = client_.Ok("GET", "/v1.0/storage/spaces/" + space + "?unionId=union1");
  EXPECT_EQ(got.at("space").at("usedQuota").as_int64(),
            static_cast<int64_t>(before.size() + after.size() + parts.size()));
  // And the store is consistent (when the binary has fsck).
  EXPECT_EQ(server_.Stop(), 0);
  if (const auto fsck = ServerProcess::Fsck(server_.data_dir())) {
    EXPECT_EQ(fsck->first, 0) << fsck->second;
  } else {
    std::cout << "note: no fsck subcommand; the fsck check is skipped\n";
  }
}

TEST_F(FaultsTest, FailedFsyncIsNotAcknowledgedAndSlowDiskStillAnswers) {
  const std::string space = client_.AddSpace("faults", "2");
  WritePlan(plan_, "blob_sync=eio\n");
  try {
    client_.PutFile(space, "unsynced.bin", Bytes(1000, 5));
    ADD_FAILURE() << "an upload whose fsync failed was acknowledged";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status(), 503) << e.what();
  }
  // A failing database: not ready, still live; ready again once it clears.
  WritePlan(plan_, "metadata_read=eio\n");
  EXPECT_EQ(server_.Request("GET", "/readyz").status, 503);
  EXPECT_EQ(server_.Request("GET", "/livez").status, 200);
  // A failing blob store too: a node that cannot read content is not ready either.
  WritePlan(plan_, "blob_read=eio\n");
  EXPECT_EQ(server_.Request("GET", "/readyz").status, 503);
  WritePlan(plan_, "delay_ms=50\n");
  EXPECT_EQ(server_.Request("GET", "/readyz").status, 200);
  const std::string data = Bytes(1000, 6);
  const auto dentry = client_.PutFile(space, "slow.bin", data);
  WritePlan(plan_, "# no faults\n");
  const auto got = client_.Download(space, std::string(dentry.at("id").as_string()));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, data);
}

TEST(FaultsFlagTest, HiddenFromHelp) {
  const std::string cmd = "'" + ServerProcess::BinaryPath() + "' serve --help";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  EXPECT_NE(out.find("--data-dir"), std::string::npos) << out;
  EXPECT_EQ(out.find("--fault-file"), std::string::npos) << out;
}

}  // namespace
}  // namespace spacestore
