// Crash safety of async copies and moves against the real binary: a folder of 10,000 files is
// copied (or moved) into another space as a task, and the server is SIGKILLed while the task
// runs. After each kill the store on disk must hold either no copy or a whole one per task
// (a moved tree wholly in one space, never split), every space's usedQuota must equal the sum
// of its stored versions (and fsck agree), and after a restart the interrupted task must
// finish.
//
// The tree is seeded with SQL on the stopped server's database (10,000 HTTP calls would take
// most of the test's time); every seeded file shares one uploaded blob, as copies do.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"
#include "test_client.h"

namespace spacestore::testing {
namespace {

namespace json = boost::json;

constexpr int kFiles = 10000;
constexpr int kContentBytes = 100;
// The copied subtree: the folder, the uploaded file and the seeded files.
constexpr int64_t kSubtree = kFiles + 2;

// An open metadata database of a stopped (or killed) server.
class Db {
 public:
  explicit Db(const std::string& data_dir) {
    EXPECT_EQ(sqlite3_open((data_dir + "/metadata.db").c_str(), &db_), SQLITE_OK);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "") << "\n"
        << sql;
    sqlite3_free(err);
  }
  // Every row of a query, each column as text.
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::vector<std::vector<std::string>> out;
    while (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* text = sqlite3_column_text(st, i);
        row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    return out;
  }
  int64_t Int(const std::string& sql) {
    const auto rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? -1 : std::stoll(rows[0][0]);
  }

 private:
  sqlite3* db_ = nullptr;
};

// Adds kFiles files of kContentBytes bytes to folder `folder` of `space`, all with content
// `blob`, with their versions and the space's used bytes, in one transaction.
void Seed(const std::string& data_dir, const std::string& space, const std::string& folder,
          const std::string& blob) {
  Db db(data_dir);
  const std::string size = std::to_string(kContentBytes);
  db.Exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
          std::to_string(kFiles) +
          ") INSERT INTO dentries (id, space_id, parent_id, uuid, type, name, path, size, "
          "version, status, creator_id, modifier_id, create_time, modified_time, read_only, "
          "blob_id, app_properties) SELECT printf('9%011d', i), '" +
          space + "', '" + folder + "', printf('seed%020d', i), 0, printf('f%05d.bin', i), " +
          "printf('/big/f%05d.bin', i), " + size + ", 1, 0, 'union1', 'union1', 0, 0, 0, '" + blob +
          "', '' FROM n; "
          "INSERT INTO dentry_versions (dentry_id, version, size, blob_id, modifier_id, "
          "modified_time) SELECT id, 1, size, blob_id, 'union1', 0 FROM dentries WHERE "
          "id LIKE '9%' AND uuid LIKE 'seed%' AND parent_id = '" +
          folder + "'; UPDATE spaces SET used_bytes = used_bytes + " +
          std::to_string(int64_t{kFiles} * kContentBytes) + " WHERE id = '" + space + "'; COMMIT;");
}

// Every space's used bytes are the sum of its stored versions.
void ExpectExactQuota(Db& db) {
  for (const auto& space : db.Rows("SELECT id, used_bytes FROM spaces")) {
    EXPECT_EQ(std::stoll(space[1]),
              db.Int("SELECT COALESCE(SUM(v.size), 0) FROM dentry_versions v JOIN dentries d "
                     "ON d.id = v.dentry_id WHERE d.space_id = '" +
                     space[0] + "'"))
        << "usedQuota of space " << space[0] << " is not the sum of its stored versions";
  }
}

// The space holding the tree of `root` on disk: every one of its rows in that one space (a
// move is never half done), and the quota exact.
std::string TreeSpace(const std::string& data_dir, const std::string& root) {
  Db db(data_dir);
  ExpectExactQuota(db);
  const auto rows = db.Rows("WITH RECURSIVE sub(id) AS (SELECT '" + root +
                            "' UNION ALL SELECT d.id FROM dentries d JOIN sub ON d.parent_id = "
                            "sub.id) SELECT d.space_id, COUNT(*) FROM sub JOIN dentries d USING "
                            "(id) GROUP BY d.space_id");
  EXPECT_EQ(rows.size(), 1u) << "the moved tree is split across spaces";
  if (rows.size() != 1) return "";
  EXPECT_EQ(std::stoll(rows[0][1]), kSubtree);
  return rows[0][0];
}

// What the store on disk says about the copies into the root of `target`: every copy root is
// whole, the space's counters are exact, and the copies match the tasks that succeeded.
// Returns how many tasks are still unfinished.
int64_t CheckStore(const std::string& data_dir, const std::string& target) {
  Db db(data_dir);
  const auto roots = db.Rows("SELECT id FROM dentries WHERE space_id = '" + target +
                             "' AND parent_id = '0' AND status = 0");
  for (const auto& root : roots) {
    const int64_t n =
        db.Int("WITH RECURSIVE sub(id) AS (SELECT '" + root[0] +
               "' UNION ALL SELECT d.id FROM dentries d JOIN sub ON d.parent_id = sub.id "
               "WHERE d.space_id = '" +
               target + "') SELECT COUNT(*) FROM sub");
    EXPECT_EQ(n, kSubtree) << "copy root " << root[0] << " is not whole";
  }
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM dentries WHERE space_id = '" + target + "'"),
            static_cast<int64_t>(roots.size()) * kSubtree)
      << "rows of a copy outside a whole subtree";
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM tasks WHERE status = 2"),
            static_cast<int64_t>(roots.size()))
      << "copies and succeeded tasks disagree";
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM tasks WHERE status = 3"), 0);
  ExpectExactQuota(db);
  return db.Int("SELECT COUNT(*) FROM tasks WHERE status < 2");
}

std::string TaskStatus(const Client& client, const std::string& task_id) {
  const auto r = client.Call("GET", "/v1.0/storage/tasks/" + task_id + "?unionId=union1");
  return std::string(r.at("task").at("status").as_string());
}

// Polls GetTask until the task is finished; its final status.
std::string WaitFinished(const Client& client, const std::string& task_id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    const std::string status = TaskStatus(client, task_id);
    if (status == "SUCCESS" || status == "FAIL") return status;
    if (std::chrono::steady_clock::now() > deadline) return "TIMEOUT " + status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Two spaces and folder "big" in the first, holding kFiles seeded files and one uploaded file.
struct SeededTree {
  std::string source;
  std::string target;
  std::string big;
};

SeededTree SeedTree(const std::string& data_dir) {
  SeededTree t;
  ServerProcess server({}, data_dir);
  const Client client(server);
  t.source = client.AddSpace();
  t.target = client.AddSpace();
  t.big = std::string(
      client
          .Call("POST", "/v1.0/storage/spaces/" + t.source + "/dentries/0/folders?unionId=union1",
                R"({"name":"big"})")
          .at("dentry")
          .at("id")
          .as_string());
  const auto file = client.PutFile(t.source, "seed.bin", RandomBytes(kContentBytes, 7), t.big);
  EXPECT_EQ(server.Stop(), 0);
  Db db(data_dir);
  const auto blob = db.Rows("SELECT blob_id FROM dentries WHERE id = '" +
                            std::string(file.at("id").as_string()) + "'");
  EXPECT_EQ(blob.size(), 1u);
  if (!blob.empty()) Seed(data_dir, t.source, t.big, blob[0][0]);
  return t;
}

// Waits until the task is claimed, then up to 40 ms more (the operation takes longer).
void WaitClaimed(const Client& client, const std::string& task_id, std::mt19937& rng) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (TaskStatus(client, task_id) == "INIT" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 40));
}

TEST(CopyCrashTest, SigkillDuringAsyncCopyLeavesTheTreeBeforeOrAfter) {
  TempDir dir;
  const std::string data_dir = dir.File("data");
  const SeededTree seeded = SeedTree(data_dir);
  const std::string& source = seeded.source;
  const std::string& target = seeded.target;
  const std::string& big = seeded.big;

  std::mt19937 rng(20261203);
  std::vector<std::string> tasks;
  int interrupted = 0;
  for (int cycle = 0; cycle < 4; ++cycle) {
    ServerProcess server({}, data_dir);
    const Client client(server);
    // The task a kill interrupted resumes at start and finishes.
    for (const auto& id : tasks) EXPECT_EQ(WaitFinished(client, id), "SUCCESS") << id;
    const auto copy = client.Call(
        "POST", "/v1.0/storage/spaces/" + source + "/dentries/" + big + "/copy?unionId=union1",
        R"({"targetSpaceId":")" + target + R"(","targetFolderId":"0"})");
    ASSERT_TRUE(copy.at("async").as_bool());
    tasks.emplace_back(copy.at("taskId").as_string());
    if (cycle == 3) {
      // The last kill comes after the task's commit: the "after" side, as it is on disk.
      EXPECT_EQ(WaitFinished(client, tasks.back()), "SUCCESS");
    } else {
      WaitClaimed(client, tasks.back(), rng);  // Kill while it runs.
    }
    server.Kill();

    const int64_t unfinished = CheckStore(data_dir, target);
    if (unfinished > 0) ++interrupted;
    const auto fsck = RunSpacestore({"fsck", "--data-dir", data_dir, "--json"});
    EXPECT_EQ(fsck.status, 0) << fsck.out;
  }
  EXPECT_GE(interrupted, 1) << "no kill landed while a copy ran; the test proves nothing";

  ServerProcess server({}, data_dir);
  {
    const Client client(server);
    for (const auto& id : tasks) EXPECT_EQ(WaitFinished(client, id), "SUCCESS") << id;
    EXPECT_EQ(client.UsedQuota(target),
              static_cast<int64_t>(tasks.size()) * (int64_t{kFiles} + 1) * kContentBytes);
  }
  ASSERT_EQ(server.Stop(), 0);
  EXPECT_EQ(CheckStore(data_dir, target), 0);
  EXPECT_EQ(RunSpacestore({"fsck", "--data-dir", data_dir, "--json"}).status, 0);
  std::printf("copy crash: %d of 4 kills interrupted a running copy\n", interrupted);
}

// A big move across spaces runs as a task; killed while it runs, the tree is wholly in the
// space it left or wholly in the one it went to, and after a restart the move completes.
TEST(MoveCrashTest, SigkillDuringAsyncMoveLeavesTheTreeInOneSpace) {
  TempDir dir;
  const std::string data_dir = dir.File("data");
  const SeededTree seeded = SeedTree(data_dir);
  std::mt19937 rng(20261204);
  std::string from = seeded.source;
  std::string to = seeded.target;
  int interrupted = 0;
  for (int cycle = 0; cycle < 4; ++cycle) {
    std::string task;
    {
      ServerProcess server({}, data_dir);
      const Client client(server);
      const auto move = client.Call(
          "POST",
          "/v1.0/storage/spaces/" + from + "/dentries/" + seeded.big + "/move?unionId=union1",
          R"({"targetSpaceId":")" + to + R"(","targetFolderId":"0"})");
      ASSERT_TRUE(move.at("async").as_bool());
      task = std::string(move.at("taskId").as_string());
      WaitClaimed(client, task, rng);
      server.Kill();
    }
    const std::string where = TreeSpace(data_dir, seeded.big);
    EXPECT_TRUE(where == from || where == to) << where;
    if (where == from) ++interrupted;
    EXPECT_EQ(RunSpacestore({"fsck", "--data-dir", data_dir, "--json"}).status, 0);
    {
      ServerProcess server({}, data_dir);
      const Client client(server);
      EXPECT_EQ(WaitFinished(client, task), "SUCCESS") << task;
      EXPECT_EQ(client.UsedQuota(to), (int64_t{kFiles} + 1) * kContentBytes);
      EXPECT_EQ(client.UsedQuota(from), 0);
      ASSERT_EQ(server.Stop(), 0);
    }
    EXPECT_EQ(TreeSpace(data_dir, seeded.big), to);
    std::swap(from, to);  // The next cycle moves it back.
  }
  EXPECT_GE(interrupted, 1) << "no kill landed while a move ran; the test proves nothing";
  std::printf("move crash: %d of 4 kills interrupted a running move\n", interrupted);
}

}  // namespace
}  // namespace spacestore::testing
