// `spacestore fsck` against the real binary: clean on a fresh and on a used store (also while
// the server runs), each kind of damage made by hand found, --repair fixing what is safe and
// a second run clean once the damaged content is put back.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "base/crypto.h"
#include "server_process.h"
#include "temp_dir.h"
#include "test_client.h"

namespace spacestore {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::Client;
using testing::RandomBytes;
using testing::RunSpacestore;
using testing::ServerProcess;

struct Fsck {
  int status = -1;
  json::object report;
};

Fsck RunFsck(const std::string& data_dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"fsck", "--data-dir", data_dir, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = RunSpacestore(args);
  Fsck out{r.status, {}};
  if (!r.out.empty()) out.report = json::parse(r.out).as_object();
  return out;
}

// The kinds of the findings in a report, each with how many times it appears.
std::map<std::string, int> Kinds(const json::object& report) {
  std::map<std::string, int> kinds;
  for (const auto& f : report.at("findings").as_array()) {
    ++kinds[std::string(f.at("kind").as_string())];
  }
  return kinds;
}

fs::path BlobPath(const std::string& data_dir, const std::string& id) {
  return fs::path(data_dir) / "blobs" / id.substr(0, 2) / id.substr(2, 2) / id;
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

void Sql(const std::string& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir + "/metadata.db").c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(FsckTest, FreshStoreIsCleanAndTheReportHasItsShape) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  { ServerProcess server({}, data_dir); }
  const auto fsck = RunFsck(data_dir);
  EXPECT_EQ(fsck.status, 0);
  const auto& r = fsck.report;
  EXPECT_EQ(r.at("dataDir").as_string(), data_dir);
  EXPECT_TRUE(r.at("clean").as_bool());
  EXPECT_FALSE(r.at("repair").as_bool());
  EXPECT_FALSE(r.at("verifyContent").as_bool());
  EXPECT_EQ(r.at("graceSeconds").as_int64(), 3600);
  EXPECT_EQ(r.at("problems").as_int64(), 0);
  EXPECT_EQ(r.at("repaired").as_int64(), 0);
  EXPECT_EQ(r.at("unrepaired").as_int64(), 0);
  EXPECT_TRUE(r.at("findings").as_array().empty());
  for (const char* count :
       {"spaces", "versions", "uploads", "parts", "blobs", "storedBlobs", "stagingFiles"}) {
    EXPECT_EQ(r.at("checked").at(count).as_int64(), 0) << count;
  }
}

TEST(FsckTest, RefusesWhatIsNotADataDirectory) {
  testing::TempDir dir;
  EXPECT_EQ(RunFsck(dir.File("missing")).status, 2);
  EXPECT_FALSE(fs::exists(dir.File("missing"))) << "fsck must not create a data directory";
  EXPECT_EQ(RunSpacestore({"fsck", "--no-such-flag"}).status, 2);
}

TEST(FsckTest, UsedStoreIsCleanWhileTheServerRunsAndAfter) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  {
    ServerProcess server({}, data_dir);
    Client client(server);
    const std::string space = client.AddSpace();
    client.PutFile(space, "a.bin", RandomBytes(5000, 1));
    client.PutFile(space, "b.bin", RandomBytes(70000, 2));
    client.PutFile(space, "same.bin", RandomBytes(5000, 1));  // Stored once.
    const auto online = RunFsck(data_dir, {"--grace", "0", "--verify-content"});
    EXPECT_EQ(online.status, 0) << json::serialize(online.report);
  }
  const auto fsck = RunFsck(data_dir, {"--grace", "0", "--verify-content"});
  EXPECT_EQ(fsck.status, 0) << json::serialize(fsck.report);
  EXPECT_EQ(fsck.report.at("checked").at("spaces").as_int64(), 1);
  EXPECT_EQ(fsck.report.at("checked").at("versions").as_int64(), 3);
  EXPECT_EQ(fsck.report.at("checked").at("blobs").as_int64(), 2);
  EXPECT_EQ(fsck.report.at("checked").at("storedBlobs").as_int64(), 2);
  EXPECT_EQ(fsck.report.at("checked").at("uploads").as_int64(), 3);
}

TEST(FsckTest, FindsEachDamageRepairsWhatIsSafeAndIsCleanOnceContentIsBack) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  const std::string lost = RandomBytes(4000, 11);
  const std::string cut = RandomBytes(9000, 12);
  std::string space;
  {
    // Upload sessions expire after a second; the collector (every 60 s) never gets to them.
    ServerProcess server({"--upload-ttl", "1"}, data_dir);
    Client client(server);
    space = client.AddSpace();
    client.PutFile(space, "lost.bin", lost);
    client.PutFile(space, "cut.bin", cut);
    client.PutFile(space, "fine.bin", RandomBytes(3000, 13));
    // An authorized upload whose client went away: it reserves 777 bytes.
    client.Call("POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
                R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":)"
                R"({"preCheckParam":{"size":777}}})");
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  }
  const std::string lost_id = Sha256Hex(lost);
  const std::string cut_id = Sha256Hex(cut);
  const std::string orphan = RandomBytes(100, 14);
  fs::remove(BlobPath(data_dir, lost_id));
  fs::resize_file(BlobPath(data_dir, cut_id), 100);
  WriteFile(BlobPath(data_dir, Sha256Hex(orphan)), orphan);
  WriteFile(fs::path(data_dir) / "staging" / "crashed.part", "half");
  Sql(data_dir, "UPDATE spaces SET used_bytes = used_bytes + 5, reserved_bytes = 1");

  const auto found = RunFsck(data_dir, {"--grace", "0", "--verify-content"});
  EXPECT_EQ(found.status, 1);
  EXPECT_FALSE(found.report.at("clean").as_bool());
  const std::map<std::string, int> expected = {
      {"missing_blob", 1}, {"size_mismatch", 1},       {"hash_mismatch", 1},
      {"orphan_blob", 1},  {"used_bytes_mismatch", 1}, {"reserved_bytes_mismatch", 1},
      {"stale_upload", 1}, {"staging_leftover", 1}};
  EXPECT_EQ(Kinds(found.report), expected) << json::serialize(found.report);
  for (const auto& v : found.report.at("findings").as_array()) {
    const auto& f = v.as_object();
    EXPECT_FALSE(f.at("repaired").as_bool());
    EXPECT_FALSE(f.at("detail").as_string().empty());
    if (f.at("kind") == "missing_blob") {
      EXPECT_EQ(f.at("blobId").as_string(), lost_id);
      EXPECT_EQ(f.at("spaceId").as_string(), space);
      EXPECT_FALSE(f.at("dentryId").as_string().empty());
      EXPECT_EQ(f.at("version").as_int64(), 1);
    }
    if (f.at("kind") == "size_mismatch") {
      EXPECT_EQ(f.at("blobId").as_string(), cut_id);
    }
    if (f.at("kind") == "orphan_blob") {
      EXPECT_EQ(f.at("blobId").as_string(), Sha256Hex(orphan));
    }
    if (f.at("kind") == "stale_upload") {
      EXPECT_FALSE(f.at("uploadKey").as_string().empty());
    }
  }
  // Without --verify-content the content is not read: no hash finding.
  EXPECT_EQ(Kinds(RunFsck(data_dir, {"--grace", "0"}).report).count("hash_mismatch"), 0u);
  // Within the default grace, the fresh orphan, staging file and session are in flight.
  const auto young = Kinds(RunFsck(data_dir).report);
  EXPECT_EQ(
      young.count("orphan_blob") + young.count("staging_leftover") + young.count("stale_upload"),
      0u);

  const auto repair = RunFsck(data_dir, {"--grace", "0", "--repair"});
  EXPECT_EQ(repair.status, 1) << "missing and damaged content cannot be repaired";
  EXPECT_TRUE(repair.report.at("repair").as_bool());
  for (const auto& v : repair.report.at("findings").as_array()) {
    const auto& f = v.as_object();
    const bool content = f.at("kind") == "missing_blob" || f.at("kind") == "size_mismatch";
    EXPECT_EQ(f.at("repaired").as_bool(), !content) << json::serialize(f);
  }
  EXPECT_FALSE(fs::exists(BlobPath(data_dir, Sha256Hex(orphan))));
  EXPECT_TRUE(fs::is_empty(fs::path(data_dir) / "staging"));
  EXPECT_EQ(fs::file_size(BlobPath(data_dir, cut_id)), 100u) << "referenced content is kept";

  // Put the content back, as from a backup: everything is clean again.
  WriteFile(BlobPath(data_dir, lost_id), lost);
  WriteFile(BlobPath(data_dir, cut_id), cut);
  const auto again = RunFsck(data_dir, {"--grace", "0", "--verify-content"});
  EXPECT_EQ(again.status, 0) << json::serialize(again.report);

  // And the server agrees with the recounted counters.
  ServerProcess server({}, data_dir);
  Client client(server);
  EXPECT_EQ(client.UsedQuota(space), 4000 + 9000 + 3000);
}

}  // namespace
}  // namespace spacestore
