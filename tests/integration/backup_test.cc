// `spacestore admin backup` while uploads keep arriving, `restore` into a new directory, a
// server on the restored data: fsck is clean and every file acknowledged before the backup
// began downloads byte for byte.
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

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

struct Acked {
  std::string id;
  std::string bytes;
};

// Every file and directory under `root` (and `root`) is its owner's alone.
void ExpectPrivate(const fs::path& root) {
  struct stat st {};
  ASSERT_EQ(::stat(root.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u) << root;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, e.is_directory() ? 0700u : 0600u) << e.path();
  }
}

TEST(BackupTest, OnlineBackupUnderUploadsRestoresEveryAcknowledgedFile) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  const std::string backup_dir = dir.File("backup");
  const std::string restored = dir.File("restored");
  std::mutex mu;
  std::vector<Acked> acked;
  std::vector<Acked> before_backup;
  std::string space;
  {
    ServerProcess server({}, data_dir);
    Client setup(server);
    space = setup.AddSpace();
    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (int w = 0; w < 2; ++w) {
      workers.emplace_back([&, w] {
        Client client(server);
        for (uint32_t i = 0; !stop; ++i) {
          // Every fourth file repeats earlier content: deduplicated blobs are backed up too.
          const uint32_t seed = i % 4 == 3 ? w : i * 2 + w + 100;
          const std::string bytes = RandomBytes(500 + (i * 7919 + w * 104729) % 150000, seed);
          const auto d =
              client.PutFile(space, "w" + std::to_string(w) + "-" + std::to_string(i), bytes);
          std::lock_guard lock(mu);
          acked.push_back({std::string(d.at("id").as_string()), bytes});
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    {
      std::lock_guard lock(mu);
      before_backup = acked;
    }
    const auto backup = RunSpacestore({"admin", "--data-dir", data_dir, "backup", backup_dir});
    ASSERT_EQ(backup.status, 0);
    const auto summary = json::parse(backup.out).as_object();
    EXPECT_GE(summary.at("blobs").as_int64(), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // Writes go on after it.
    stop = true;
    for (auto& t : workers) t.join();
    // A second backup into the same directory is refused.
    EXPECT_EQ(RunSpacestore({"admin", "--data-dir", data_dir, "backup", backup_dir}).status, 1);
  }
  ASSERT_GT(before_backup.size(), 3u) << "too few uploads finished before the backup";
  ExpectPrivate(backup_dir);

  const auto restore = RunSpacestore({"admin", "restore", backup_dir, "--data-dir", restored});
  ASSERT_EQ(restore.status, 0);
  ExpectPrivate(restored);
  EXPECT_EQ(RunSpacestore({"admin", "restore", backup_dir, "--data-dir", restored}).status, 1)
      << "restore must refuse a non-empty target";
  const auto fsck =
      RunSpacestore({"fsck", "--data-dir", restored, "--verify-content", "--grace", "0"});
  EXPECT_EQ(fsck.status, 0) << fsck.out;

  ServerProcess server({}, restored);
  Client client(server);
  for (const auto& file : before_backup) {
    const auto r = client.Download(space, file.id);
    ASSERT_EQ(r.status, 200) << file.id;
    EXPECT_EQ(r.body, file.bytes) << file.id;
  }
  // Files acknowledged while the backup ran are either in it, whole, or not at all.
  for (size_t i = before_backup.size(); i < acked.size(); ++i) {
    const auto r = server.Request("POST",
                                  "/v1.0/storage/spaces/" + space + "/dentries/" + acked[i].id +
                                      "/downloadInfos/query?unionId=union1",
                                  "{}", {{"x-acs-dingtalk-access-token", server.Token()}});
    if (r.status != 200) continue;
    EXPECT_EQ(client.Download(space, acked[i].id).body, acked[i].bytes) << acked[i].id;
  }
  EXPECT_EQ(RunSpacestore({"fsck", "--data-dir", restored}).status, 0) << "online, after use";
}

TEST(BackupTest, RefusesWhatIsNotADataDirectoryOrABackup) {
  testing::TempDir dir;
  EXPECT_EQ(
      RunSpacestore({"admin", "--data-dir", dir.File("none"), "backup", dir.File("b")}).status, 1);
  EXPECT_EQ(
      RunSpacestore({"admin", "restore", dir.File("none"), "--data-dir", dir.File("r")}).status, 1);
  EXPECT_FALSE(fs::exists(dir.File("r")));
  EXPECT_EQ(RunSpacestore({"admin", "restore", dir.File("none")}).status, 2) << "no --data-dir";
}

}  // namespace
}  // namespace spacestore
