// Several `spacestore serve` nodes on one shared store answer as one service: bootstrap when
// they start together on a fresh store, idempotent AddSpace, writes read at once on another
// node (the in-process caches stay exact), the quota race spread over nodes, a SIGKILLed node
// losing no acknowledged commit while the others keep serving, and a task it left IN_PROGRESS
// resumed exactly once by another node (leases). Parameterized by backend (ClusterBackend):
// SQLite and local blobs in one data dir shared by the processes here, and PostgreSQL with S3
// blobs (a private server and the s3rver emulator, each node with its own data dir).
#include "cluster.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "drive_client.h"
#include "postgres_server.h"
#include "s3_server.h"

namespace spacestore::testing {
namespace {

namespace json = boost::json;

constexpr const char* kUser = "?unionId=union1";
constexpr int kNodes = 3;

std::string SpacePath(const std::string& space) { return "/v1.0/storage/spaces/" + space; }

// A string of `n` bytes that differs by `seed`.
std::string Bytes(size_t n, uint32_t seed) {
  std::string out(n, '\0');
  uint32_t x = seed * 2654435761U + 1;
  for (char& c : out) {
    x = x * 1103515245U + 12345U;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

int64_t UsedQuota(const DriveClient& client, const std::string& space) {
  return client.Ok("GET", SpacePath(space) + kUser).at("space").at("usedQuota").as_int64();
}

// An upload whose three steps go to three different nodes: the signed URL and the upload key
// are honoured by every node of the cluster. Returns the commit's reply status and body.
HttpResult SpreadUpload(Cluster& cluster, int first, const std::string& space,
                        const std::string& name, const std::string& data) {
  const DriveClient ask(cluster.node(first % kNodes));
  const HttpResult info = ask.Call("POST", SpacePath(space) + "/files/uploadInfos/query" + kUser,
                                   R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":)"
                                   R"({"preCheckParam":{"size":)" +
                                       std::to_string(data.size()) + "}}}");
  if (info.status != 200) return info;
  const json::object reply = json::parse(info.body).as_object();
  const auto [path, headers] = DriveClient::Signed(reply.at("headerSignatureInfo"));
  const HttpResult put = cluster.node((first + 1) % kNodes).Request("PUT", path, data, headers);
  if (put.status != 200) return put;
  const DriveClient commit(cluster.node((first + 2) % kNodes));
  return commit.Call("POST", SpacePath(space) + "/files/commit" + kUser,
                     json::serialize(json::object{
                         {"uploadKey", reply.at("uploadKey")}, {"name", name}, {"parentId", "0"}}));
}

// PostgreSQL metadata and S3 blobs, one fresh schema and bucket per cluster; the servers are
// started once for the test binary.
ClusterBackend PostgresS3Backend() {
  return ClusterBackend{
      .name = "postgres_s3",
      .store_args =
          [] {
            static S3Server s3;  // Started on first use, stopped at exit.
            ::setenv("SPACESTORE_S3_ACCESS_KEY_ID", S3Server::kAccessKeyId, 1);
            ::setenv("SPACESTORE_S3_SECRET_ACCESS_KEY", S3Server::kSecretAccessKey, 1);
            return std::vector<std::string>{"--metadata", PostgresServer::ForTest().NewSchemaUrl(),
                                            "--blobs", s3.NewBucket(s3.NewBucketName())};
          },
      .shared_data_dir = false};
}

class ClusterTest : public ::testing::TestWithParam<ClusterBackend> {
 protected:
  void SetUp() override {
    if (GetParam().name == "postgres_s3" && !PostgresServer::Available()) {
      GTEST_SKIP() << "PostgreSQL's server binaries are not installed";
    }
  }
};

// Nodes started together on a fresh store: every one starts, and they agree on one org, app
// and user (each issues tokens for the bootstrap app and sees the others' spaces). Before
// bootstrap was one transaction, and before SQLite's switch to WAL was retried, about one
// start in ten lost a node.
TEST_P(ClusterTest, NodesStartedTogetherOnAFreshStoreAgree) {
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::unique_ptr<Cluster> cluster;
    ASSERT_NO_THROW(cluster = std::make_unique<Cluster>(kNodes, GetParam()));
    const DriveClient first(cluster->node(0));
    const std::string space = first.AddSpace("boot", std::to_string(round));
    for (int i = 1; i < kNodes; ++i) {
      const DriveClient other(cluster->node(i));
      EXPECT_EQ(other.Call("GET", SpacePath(space) + kUser).status, 200) << "node " << i;
      const auto org =
          other.Ok("GET", std::string("/v1.0/storage/orgs/") + ServerProcess::kCorpId + kUser);
      EXPECT_TRUE(org.contains("org")) << json::serialize(org);
    }
  }
}

// 100 identical AddSpace calls at once, spread over the nodes: one space, every call answers
// it.
TEST_P(ClusterTest, IdenticalAddSpaceOnEveryNodeMakesOneSpace) {
  Cluster cluster(kNodes, GetParam());
  constexpr int kThreads = 20;
  constexpr int kCallsPerThread = 5;
  std::mutex mu;
  std::set<std::string> ids;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        try {
          const DriveClient client(cluster.node((t + i) % kNodes));
          const std::string id = client.AddSpace("same", "42");
          std::lock_guard lock(mu);
          ids.insert(id);
        } catch (const std::exception& e) {
          ++failures;
          std::lock_guard lock(mu);
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ids.size(), 1u);
}

// What one node commits, every other node answers at once: files, folders, renames (each
// node's DentryCache is checked against the store's dentry generation, never trusted alone),
// and the space's usedQuota.
TEST_P(ClusterTest, AWriteOnOneNodeIsReadAtOnceOnAnother) {
  Cluster cluster(kNodes, GetParam());
  const DriveClient a(cluster.node(0));
  const DriveClient b(cluster.node(1));
  const DriveClient c(cluster.node(2));
  const std::string space = a.AddSpace("read", "1");
  const std::string data = Bytes(100'000, 1);
  const HttpResult commit = SpreadUpload(cluster, 0, space, "one.bin", data);
  ASSERT_EQ(commit.status, 200) << commit.body;
  const std::string file(json::parse(commit.body).at("dentry").at("id").as_string());
  const HttpResult got = c.Download(space, file);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, data);
  EXPECT_EQ(UsedQuota(b, space), 100'000);

  const std::string dentry_path = SpacePath(space) + "/dentries/" + file + "/query" + kUser;
  for (int i = 0; i < 5; ++i) {
    // b reads (and caches) the dentry; a renames it; b must answer the new name at once.
    EXPECT_EQ(b.Ok("POST", dentry_path, "{}").at("dentry").at("name").as_string(),
              i == 0 ? "one.bin" : "name-" + std::to_string(i - 1) + ".bin");
    const std::string name = "name-" + std::to_string(i) + ".bin";
    a.Ok("POST", SpacePath(space) + "/dentries/" + file + "/rename" + kUser,
         json::serialize(json::object{{"newName", name}}));
    EXPECT_EQ(b.Ok("POST", dentry_path, "{}").at("dentry").at("name").as_string(), name);
    EXPECT_EQ(c.Ok("POST", dentry_path, "{}").at("dentry").at("name").as_string(), name);
  }
  const std::string folder = c.AddFolder(space, "0", "made-on-c");
  const auto listed = a.Ok("GET", SpacePath(space) + "/dentries" + kUser + "&parentId=0");
  std::set<std::string> names;
  for (const auto& d : listed.at("dentries").as_array()) {
    names.emplace(d.at("name").as_string());
  }
  EXPECT_EQ(names, (std::set<std::string>{"made-on-c", "name-4.bin"}));
  EXPECT_EQ(
      b.Call("POST", SpacePath(space) + "/dentries/" + folder + "/query" + kUser, "{}").status,
      200);
}

// 32 clients race for the last MiB of a space, each step of each upload on another node: the
// quota is never exceeded, usedQuota is exactly what was committed, and a refusal is the
// documented quota error, never a 500.
TEST_P(ClusterTest, QuotaRaceSpreadOverNodesNeverExceedsTheQuota) {
  Cluster cluster(kNodes, GetParam());
  const DriveClient a(cluster.node(0));
  constexpr int64_t kMiB = 1 << 20;
  const std::string space(
      a.Ok("POST", std::string("/v1.0/storage/spaces") + kUser,
           json::serialize(json::object{
               {"option", json::object{{"scene", "race"}, {"sceneId", "1"}, {"quota", 2 * kMiB}}}}))
          .at("space")
          .at("id")
          .as_string());
  ASSERT_EQ(SpreadUpload(cluster, 1, space, "fill.bin", Bytes(kMiB, 9)).status, 200);
  constexpr int kClients = 32;
  constexpr size_t kEach = 100 * 1024;  // At most 10 fit.
  std::atomic<int> committed{0};
  std::atomic<int> refused{0};
  std::mutex mu;
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      const HttpResult r =
          SpreadUpload(cluster, i, space, "f" + std::to_string(i), Bytes(kEach, 100 + i));
      if (r.status == 200) {
        ++committed;
      } else {
        ++refused;
        std::lock_guard lock(mu);
        EXPECT_EQ(r.status, 403) << r.body;
        EXPECT_NE(r.body.find(R"("code":"quotaExceeded")"), std::string::npos) << r.body;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_GE(committed.load(), 1);
  EXPECT_LE(committed.load(), 10);
  EXPECT_EQ(committed.load() + refused.load(), kClients);
  for (int i = 0; i < kNodes; ++i) {
    const DriveClient client(cluster.node(i));
    EXPECT_EQ(UsedQuota(client, space), kMiB + committed.load() * static_cast<int64_t>(kEach));
  }
}

// A node SIGKILLed while uploads run through every node: each acknowledged commit is stored
// (byte for byte, from the surviving nodes), the others keep serving without a failure, and
// usedQuota is the sum of what is stored.
TEST_P(ClusterTest, KillingANodeMidUploadLosesNoAcknowledgedCommit) {
  Cluster cluster(kNodes, GetParam());
  const DriveClient setup(cluster.node(1));
  const std::string space = setup.AddSpace("kill", "1");
  struct Acked {
    std::string id;
    std::string bytes;
  };
  std::mutex mu;
  std::vector<Acked> acked;
  std::atomic<bool> stop{false};
  std::atomic<bool> killed{false};
  std::atomic<int> after_kill{0};
  std::atomic<int> survivor_failures{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < kNodes * 2; ++w) {
    workers.emplace_back([&, w] {
      const int node = w % kNodes;
      for (uint32_t i = 0; !stop; ++i) {
        const std::string bytes = Bytes(1000 + (i * 7919 + w * 104729) % 150'000, i * 8 + w);
        try {
          const DriveClient client(cluster.node(node));
          const auto d =
              client.PutFile(space, "w" + std::to_string(w) + "-" + std::to_string(i), bytes);
          std::lock_guard lock(mu);
          acked.push_back({std::string(d.at("id").as_string()), bytes});
          if (killed) ++after_kill;
        } catch (const std::exception& e) {
          if (node == 0) return;  // Its node is gone.
          ++survivor_failures;
          std::lock_guard lock(mu);
          ADD_FAILURE() << "node " << node << ": " << e.what();
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // Node 0 is not touched by the survivors' threads: cluster.node(0) is read only by its own
  // workers, which stop at their first failure.
  ServerProcess& victim = cluster.node(0);
  victim.Kill();
  killed = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (auto& t : workers) t.join();
  EXPECT_EQ(survivor_failures.load(), 0);
  EXPECT_GT(after_kill.load(), 0) << "the surviving nodes stopped serving";
  ASSERT_GT(acked.size(), 6u) << "too few uploads finished to test anything";

  const DriveClient client(cluster.node(2));
  int64_t stored = 0;
  for (const auto& file : acked) {
    const HttpResult r = client.Download(space, file.id);
    ASSERT_EQ(r.status, 200) << file.id;
    EXPECT_EQ(r.body, file.bytes) << file.id;
  }
  std::string token;
  do {
    json::object option{{"maxResults", 50}};
    if (!token.empty()) option["nextToken"] = token;
    const auto page = client.Ok("POST", SpacePath(space) + "/dentries/listAll" + kUser,
                                json::serialize(json::object{{"option", option}}));
    for (const auto& d : page.at("dentries").as_array()) stored += d.at("size").as_int64();
    token = page.contains("nextToken") ? std::string(page.at("nextToken").as_string()) : "";
  } while (!token.empty());
  EXPECT_EQ(UsedQuota(client, space), stored);
}

std::string TaskStatus(const DriveClient& client, const std::string& task_id) {
  return std::string(client.Ok("GET", "/v1.0/storage/tasks/" + task_id + kUser)
                         .at("task")
                         .at("status")
                         .as_string());
}

// Writes `plan` as node `node`'s fault plan (empty: none). The plan is renamed into place,
// so a node reads it whole or not at all.
void SetFaults(const TempDir& dir, int node, const std::string& plan) {
  const std::string path = dir.File("fault-" + std::to_string(node));
  std::ofstream(path + ".tmp") << plan;
  std::rename((path + ".tmp").c_str(), path.c_str());
}

// A big copy (a task) submitted on node 0, which claims it (IN_PROGRESS) and is SIGKILLed
// before the copy commits: another node takes the task lease over once node 0's lease runs out
// and finishes the task, exactly once (one copy in the target). Through the fault files, node
// 0's store calls are slowed, so the kill lands between the claim and the commit every time,
// and the other nodes' writes fail until then, so node 0 is the one that claims the task.
TEST_P(ClusterTest, ATaskLeftByAKilledNodeIsResumedOnceOnAnother) {
  TempDir faults;
  Cluster cluster(kNodes, GetParam(),
                  {"--lease-ms", "3000", "--fault-file", faults.File("fault-{node}")});
  const DriveClient a(cluster.node(0));
  const DriveClient b(cluster.node(1));
  const std::string source = b.AddSpace("task", "source");
  const std::string target = b.AddSpace("task", "target");
  const std::string big = b.AddFolder(source, "0", "big");
  // A subtree of more than kAsyncThreshold (1000) dentries copies as a task.
  constexpr int kChildren = 1000;
  std::vector<std::thread> makers;
  for (int t = 0; t < 4; ++t) {
    makers.emplace_back([&, t] {
      const DriveClient client(cluster.node(t % kNodes));
      for (int i = t; i < kChildren; i += 4) client.AddFolder(source, big, "c" + std::to_string(i));
    });
  }
  for (auto& t : makers) t.join();

  SetFaults(faults, 1, "metadata_write=eio\n");
  SetFaults(faults, 2, "metadata_write=eio\n");
  SetFaults(faults, 0, "delay_ms=300\n");
  const auto copy = a.Ok("POST", SpacePath(source) + "/dentries/" + big + "/copy" + kUser,
                         R"({"targetSpaceId":")" + target + R"(","targetFolderId":"0"})");
  ASSERT_TRUE(copy.at("async").as_bool());
  const std::string task(copy.at("taskId").as_string());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (TaskStatus(b, task) == "INIT" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  cluster.Kill(0);  // Claimed; its copy not committed (node 0 sleeps before each store call).
  ASSERT_EQ(TaskStatus(b, task), "IN_PROGRESS");
  SetFaults(faults, 1, "");
  SetFaults(faults, 2, "");

  std::string status;
  const auto done_by = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((status = TaskStatus(b, task)) == "IN_PROGRESS" &&
         std::chrono::steady_clock::now() < done_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, "SUCCESS");
  const auto root = b.Ok("GET", SpacePath(target) + "/dentries" + kUser + "&parentId=0");
  ASSERT_EQ(root.at("dentries").as_array().size(), 1u) << json::serialize(root);
  const std::string copied(root.at("dentries").as_array()[0].at("id").as_string());
  int64_t children = 0;
  std::string token;
  do {
    const auto page =
        b.Ok("GET", SpacePath(target) + "/dentries" + kUser + "&parentId=" + copied +
                        "&maxResults=50" + (token.empty() ? "" : "&nextToken=" + token));
    children += static_cast<int64_t>(page.at("dentries").as_array().size());
    token = page.contains("nextToken") ? std::string(page.at("nextToken").as_string()) : "";
  } while (!token.empty());
  EXPECT_EQ(children, kChildren);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClusterTest,
                         ::testing::Values(SqliteClusterBackend(), PostgresS3Backend()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace spacestore::testing
