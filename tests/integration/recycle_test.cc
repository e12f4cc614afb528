// Deletion and the recycle bin on the real binary: a delete to the recycle bin of a tree of
// thousands of dentries killed with SIGKILL at several instants leaves the tree whole or wholly
// recycled, never half, with usedQuota equal to the stored versions (fsck agrees); content that
// is permanently deleted or purged is collected, recycled content is kept.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
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
using testing::ServerProcess;

constexpr int kFiles = 3000;  // Past the 1,000-dentry async threshold.

// One integer from `sql` on the data dir's metadata.db (the server stopped or not).
int64_t SqlInt(const std::string& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((data_dir + "/metadata.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  int64_t out = -1;
  if (sqlite3_step(st) == SQLITE_ROW) out = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

void Sql(const std::string& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir + "/metadata.db").c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  sqlite3_free(err);
  sqlite3_close(db);
}

std::string Space(const std::string& space) { return "/v1.0/storage/spaces/" + space; }

fs::path BlobPath(const std::string& data_dir, const std::string& id) {
  return fs::path(data_dir) / "blobs" / id.substr(0, 2) / id.substr(2, 2) / id;
}

// Whether the blob of the file's current version is on disk.
bool BlobExists(const std::string& data_dir, const std::string& blob_id) {
  return fs::exists(BlobPath(data_dir, blob_id));
}

std::string BlobOf(const std::string& data_dir, const std::string& dentry_id) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((data_dir + "/metadata.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  const std::string sql =
      "SELECT blob_id FROM dentry_versions WHERE dentry_id = '" + dentry_id + "'";
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

TEST(RecycleTest, DeleteToTheBinOfABigTreeSurvivesSigkillWholeOrNotAtAll) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  std::string space;
  std::string folder;
  {
    ServerProcess server({}, data_dir);
    Client client(server);
    space = client.AddSpace();
    folder = std::string(
        client
            .Call("POST", Space(space) + "/dentries/0/folders?unionId=union1", R"({"name":"big"})")
            .at("dentry")
            .at("id")
            .as_string());
    client.PutFile(space, "seed.bin", RandomBytes(321, 7), folder);
    ASSERT_EQ(server.Stop(), 0);
  }
  // Thousands of files sharing the seed's content, written straight into the store (their
  // bytes charged as the server would), so the tree is big without thousands of uploads.
  Sql(data_dir,
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
          std::to_string(kFiles) +
          ") INSERT INTO dentries (id, space_id, parent_id, uuid, type, name, path, size, "
          "version, status, creator_id, modifier_id, create_time, modified_time, read_only, "
          "blob_id, app_properties) SELECT 'x' || i, d.space_id, d.parent_id, 'ux' || i, 0, "
          "'f' || i || '.bin', '/big/f' || i || '.bin', d.size, 1, 0, 'union1', 'union1', "
          "d.create_time, d.modified_time, 0, d.blob_id, '' FROM n, dentries d "
          "WHERE d.name = 'seed.bin';"
          "INSERT INTO dentry_versions SELECT 'x' || i, 1, v.size, v.blob_id, v.modifier_id, "
          "v.modified_time FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
          "WHERE i < " +
          std::to_string(kFiles) +
          ") SELECT i FROM n), dentry_versions v JOIN dentries d ON d.id = v.dentry_id "
          "WHERE d.name = 'seed.bin';"
          "UPDATE spaces SET used_bytes = used_bytes + " +
          std::to_string(kFiles * 321) + " WHERE id = '" + space + "'; COMMIT;");
  const int64_t rows = kFiles + 2;  // The folder, the seed file and the copies.
  const std::string in_space = " FROM dentries WHERE space_id = '" + space + "'";
  ASSERT_EQ(SqlInt(data_dir, "SELECT COUNT(*)" + in_space + " AND status = 0"), rows);

  bool saw_before = false;
  bool saw_after = false;
  // Kills at growing delays after the request; the last round (-1) kills only once the
  // deletion is done, so at least one round ends after it whatever the machine's speed.
  for (int delay_ms : {0, 2, 5, 10, 20, 40, 80, -1}) {
    {
      ServerProcess server({}, data_dir);
      const std::string token = server.Token();
      const std::string target =
          Space(space) + "/dentries/" + folder + "?unionId=union1&toRecycleBin=true";
      if (delay_ms < 0) {
        Client client(server);
        // 404: the task an earlier round's kill interrupted was resumed at start and has
        // already recycled the tree.
        const auto r =
            server.Request("DELETE", target, "", {{"x-acs-dingtalk-access-token", token}});
        ASSERT_TRUE(r.status == 200 || r.status == 404) << r.body;
        const auto reply = r.status == 200 ? json::parse(r.body).as_object() : json::object();
        if (reply.contains("taskId")) {
          const std::string task(reply.at("taskId").as_string());
          for (int i = 0; i < 1200; ++i) {
            const auto t = client.Call("GET", "/v1.0/storage/tasks/" + task + "?unionId=union1");
            if (t.at("task").at("status").as_string() == "SUCCESS") break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          }
        }
        server.Kill();
      } else {
        std::thread request([&] {
          try {
            server.Request("DELETE", target, "", {{"x-acs-dingtalk-access-token", token}});
          } catch (const std::exception&) {
            // The server died under it: what matters is the state on disk.
          }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        server.Kill();
        request.join();
      }
    }
    const auto fsck = ServerProcess::Fsck(data_dir);
    if (fsck) {
      EXPECT_EQ(fsck->first, 0) << "after a kill at " << delay_ms << " ms: " << fsck->second;
    }
    const int64_t live = SqlInt(data_dir, "SELECT COUNT(*)" + in_space + " AND status = 0");
    const int64_t recycled = SqlInt(
        data_dir, "SELECT COUNT(*)" + in_space + " AND status = 1 AND recycle_item_id IS NOT NULL");
    const int64_t items =
        SqlInt(data_dir, "SELECT COUNT(*) FROM recycle_items WHERE space_id = '" + space + "'");
    EXPECT_EQ(SqlInt(data_dir, "SELECT used_bytes FROM spaces WHERE id = '" + space + "'"),
              (kFiles + 1) * 321);
    if (live == rows) {
      EXPECT_EQ(recycled, 0);
      EXPECT_EQ(items, 0);
      saw_before = true;
      continue;
    }
    ASSERT_EQ(live, 0) << "half a tree after a kill at " << delay_ms << " ms";
    ASSERT_EQ(recycled, rows);
    ASSERT_EQ(items, 1);
    saw_after = true;
    // Put it back for the next round, through the API.
    ServerProcess server({}, data_dir);
    Client client(server);
    const auto bin = client.Call(
        "GET", "/v1.0/storage/recycleBins?unionId=union1&recycleBinScope=SPACE&scopeId=" + space);
    const std::string bin_id(bin.at("recycleBin").at("id").as_string());
    const auto list =
        client.Call("GET", "/v1.0/storage/recycleBins/" + bin_id + "/recycleItems?unionId=union1");
    const std::string item(list.at("recycleItems").at(0).at("id").as_string());
    const auto restored = client.Call(
        "POST",
        "/v1.0/storage/recycleBins/" + bin_id + "/recycleItems/" + item + "/restore?unionId=union1",
        "{}");
    if (restored.contains("taskId")) {
      // Async: wait for the task to finish.
      const std::string task(restored.at("taskId").as_string());
      for (int i = 0; i < 600; ++i) {
        const auto t = client.Call("GET", "/v1.0/storage/tasks/" + task + "?unionId=union1");
        if (t.at("task").at("status").as_string() == "SUCCESS") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    ASSERT_EQ(server.Stop(), 0);
    ASSERT_EQ(SqlInt(data_dir, "SELECT COUNT(*)" + in_space + " AND status = 0"), rows);
  }
  EXPECT_TRUE(saw_after);
  (void)saw_before;
}

TEST(RecycleTest, DeletedAndPurgedContentIsCollectedRecycledContentIsKept) {
  // Uploads expire after 1 s, so only dentry versions still hold the content.
  ServerProcess server({"--upload-ttl", "1", "--collect-interval", "1", "--blob-grace", "0"});
  Client client(server);
  const std::string space = client.AddSpace();
  const auto gone = client.PutFile(space, "gone.bin", RandomBytes(1000, 1));
  const auto kept = client.PutFile(space, "kept.bin", RandomBytes(2000, 2));
  const std::string gone_id(gone.at("id").as_string());
  const std::string kept_id(kept.at("id").as_string());
  const std::string gone_blob = BlobOf(server.data_dir(), gone_id);
  const std::string kept_blob = BlobOf(server.data_dir(), kept_id);
  ASSERT_TRUE(BlobExists(server.data_dir(), gone_blob));

  client.Call("DELETE", Space(space) + "/dentries/" + gone_id + "?unionId=union1");
  client.Call("DELETE",
              Space(space) + "/dentries/" + kept_id + "?unionId=union1&toRecycleBin=true");
  EXPECT_EQ(client.UsedQuota(space), 2000);
  auto wait_gone = [&](const std::string& blob) {
    for (int i = 0; i < 100 && BlobExists(server.data_dir(), blob); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return !BlobExists(server.data_dir(), blob);
  };
  EXPECT_TRUE(wait_gone(gone_blob)) << "a permanently deleted file's content was not collected";
  EXPECT_TRUE(BlobExists(server.data_dir(), kept_blob)) << "recycled content was collected";

  const auto bin = client.Call(
      "GET", "/v1.0/storage/recycleBins?unionId=union1&recycleBinScope=SPACE&scopeId=" + space);
  const std::string bin_id(bin.at("recycleBin").at("id").as_string());
  client.Call("POST", "/v1.0/storage/recycleBins/" + bin_id + "/clear?unionId=union1");
  EXPECT_EQ(client.UsedQuota(space), 0);
  EXPECT_TRUE(wait_gone(kept_blob)) << "purged content was not collected";
}

}  // namespace
}  // namespace spacestore
