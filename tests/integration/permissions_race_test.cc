// Grants and revokes racing with reads (docs/permissions.md, "How the checks stay fast and
// exact"): a granted user's readers hammer GetDentry and GetFileDownloadInfo while the owner
// grants and revokes. Every read records when it started; once DeletePermission has answered,
// no read that started after that instant may succeed, and once AddPermission has answered,
// every read that started after it and ended before the revoke was sent must succeed. On one
// node (SQLite), and on two nodes sharing PostgreSQL with the revoke sent to one node and the
// reads to the other (each node's Access cache must see the other's writes at once).
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "cluster.h"
#include "permission_client.h"
#include "postgres_server.h"
#include "server_process.h"
#include "storage/thumbnail/thumbnail_test_images.h"
#include "temp_dir.h"

namespace spacestore::testing {
namespace {

using Clock = std::chrono::steady_clock;
using SpaceType = PermissionClient::SpaceType;

constexpr const char* kRacer = "pm_racer";
constexpr int kRounds = 25;
constexpr int kReaders = 2;

struct Read {
  Clock::time_point start;
  Clock::time_point end;
  Reply reply;
};

struct Round {
  Clock::time_point grant_sent;   // AddPermission sent.
  Clock::time_point granted;      // AddPermission answered.
  Clock::time_point revoke_sent;  // DeletePermission sent.
  Clock::time_point revoked;      // DeletePermission answered.
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The race on a space made through `writer`; reads go to `reader` (the same node or another).
void Race(const PermissionClient& writer, const PermissionClient& reader, SpaceType type,
          const std::string& scene_id) {
  const std::string space(writer.AddSpace(type, scene_id).at("id").as_string());
  const std::string folder = writer.AddFolder(space, "0", "shared");
  const std::string file = writer.PutFile(space, folder, "f.gif", storage::testimages::Gif1x1());
  const std::optional<int64_t> duration =
      type == SpaceType::kUser ? std::nullopt : std::optional<int64_t>(3600);
  const std::string base = PermissionClient::SpacePath(space) + "/dentries/" + file;

  std::vector<Round> rounds(kRounds);
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<Read> reads;
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      std::vector<Read> mine;
      for (int i = 0; !stop; ++i) {
        Read read;
        read.start = Clock::now();
        read.reply = (i + t) % 2 == 0
                         ? reader.Call(kRacer, "POST", base + "/query", "{}")
                         : reader.Call(kRacer, "POST", base + "/downloadInfos/query", "{}");
        read.end = Clock::now();
        mine.push_back(std::move(read));
      }
      const std::lock_guard lock(mu);
      reads.insert(reads.end(), mine.begin(), mine.end());
    });
  }
  std::mt19937 rng(12);
  for (int r = 0; r < kRounds; ++r) {
    rounds[r].grant_sent = Clock::now();
    writer.Grant(space, folder, kRacer, "DOWNLOADER", duration);
    rounds[r].granted = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 30));
    rounds[r].revoke_sent = Clock::now();
    const Reply revoked =
        writer.Revoke(PermissionClient::kOwner, space, folder, kRacer, "DOWNLOADER");
    rounds[r].revoked = Clock::now();
    ASSERT_TRUE(revoked.ok()) << "revoke " << r << ": " << revoked.Text();
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 30));
  }
  stop = true;
  for (auto& t : readers) t.join();

  int allowed = 0;
  int refused = 0;
  int late = 0;
  int missed = 0;
  for (const Read& read : reads) {
    const bool ok = read.reply.ok();
    if (!ok && !(read.reply.status == 403 && read.reply.Code() == "permissionDenied")) {
      ADD_FAILURE() << "a read answered neither 200 nor 403 permissionDenied: "
                    << read.reply.Text();
      continue;
    }
    ok ? ++allowed : ++refused;
    for (size_t r = 0; r < rounds.size(); ++r) {
      const Round& round = rounds[r];
      const auto next_grant_sent =
          r + 1 < rounds.size() ? rounds[r + 1].grant_sent : Clock::time_point::max();
      // Started after the revoke was answered and ended before the next grant was sent: no
      // grant was in force at any instant of it.
      if (ok && read.start >= round.revoked && read.end < next_grant_sent && ++late <= 10) {
        ADD_FAILURE() << "a read that started " << Ms(read.start - round.revoked)
                      << " ms after the revoke of round " << r
                      << " was answered succeeded: " << read.reply.Text();
      }
      // Started after the grant was answered and ended before its revoke was sent.
      if (!ok && read.start >= round.granted && read.end < round.revoke_sent && ++missed <= 10) {
        ADD_FAILURE() << "a read that started " << Ms(read.start - round.granted)
                      << " ms after the grant of round " << r
                      << " was answered, and ended before its revoke, was refused: "
                      << read.reply.Text();
      }
    }
  }
  EXPECT_EQ(late, 0) << "reads succeeding after the revoke was answered";
  EXPECT_EQ(missed, 0) << "reads refused while the grant was in force";
  // The race must have happened: reads both allowed and refused.
  EXPECT_GT(allowed, 0);
  EXPECT_GT(refused, 0) << "no read was ever refused: the revokes had no effect";
  std::cout << reads.size() << " reads over " << kRounds << " rounds: " << allowed << " allowed, "
            << refused << " refused\n";
}

TEST(PermissionsRaceTest, NoReadStartedAfterARevokeAnsweredSucceeds) {
  ServerProcess server({"--access-log", "false"});
  PermissionClient::CreateUsers(server, {kRacer});
  const PermissionClient api(server);
  for (const SpaceType type : {SpaceType::kUser, SpaceType::kApp}) {
    SCOPED_TRACE(type == SpaceType::kUser ? "USER space" : "APP space");
    Race(api, api, type, type == SpaceType::kUser ? "r1" : "r2");
  }
}

// Two nodes on one PostgreSQL database (blobs local to each node: the reads need only
// metadata); grants and revokes go to node 0, the reads to node 1.
TEST(PermissionsRaceTest, OnTwoNodesSharingPostgresNoReadAfterTheRevokeSucceeds) {
  if (!PostgresServer::Available())
    GTEST_SKIP() << "PostgreSQL's server binaries are not installed";
  const std::string url = PostgresServer::ForTest().NewSchemaUrl();
  Cluster cluster(2,
                  ClusterBackend{.name = "postgres",
                                 .store_args =
                                     [url] {
                                       return std::vector<std::string>{"--metadata", url};
                                     },
                                 .shared_data_dir = false},
                  {"--access-log", "false"});
  TempDir dir;
  const CommandResult user =
      RunSpacestore({"admin", "--data-dir", dir.File("admin"), "--metadata", url, "user", "create",
                     "--corp-id", ServerProcess::kCorpId, "--union-id", kRacer});
  ASSERT_EQ(user.status, 0) << user.out;
  const PermissionClient writer(cluster.node(0));
  const PermissionClient reader(cluster.node(1));
  for (const SpaceType type : {SpaceType::kUser, SpaceType::kApp}) {
    SCOPED_TRACE(type == SpaceType::kUser ? "USER space" : "APP space");
    Race(writer, reader, type, type == SpaceType::kUser ? "p1" : "p2");
  }
}

}  // namespace
}  // namespace spacestore::testing
