// The crash loop (`make crash-test CYCLES=N`, tests/README.md): start the real server on one
// data directory, drive mixed writes through both dialects from several threads, SIGKILL it
// at a random moment, run `spacestore fsck` on the directory when the binary has it, restart,
// and check that everything the server acknowledged is still there: each committed file byte
// for byte, each folder, each space, the last acknowledged KooDrive capacity (or a later one
// that was in flight), each acknowledged deletion. Every answer the server gives before it dies
// must be a success: a wrong status is a failure, a dropped connection after the kill is not.
//
// Environment: SPACESTORE_BIN (the binary), CYCLES (default 20), SEED (default: from the
// clock; printed, so a failing run repeats its operations and kill times with SEED=),
// CRASH_KEEP_DATA=1 keeps the data directory (under /tmp). Exit status 0 when every check held.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <boost/system/system_error.hpp>

#include "drive_client.h"
#include "server_process.h"
#include "temp_dir.h"

namespace spacestore::crash {
namespace {

namespace json = boost::json;
using testing::DriveClient;
using testing::ServerProcess;
using testing::StatusError;
using Clock = std::chrono::steady_clock;

constexpr int kLoadThreads = 3;
constexpr size_t kPartBytes = 102400;  // The smallest part but the last that commit accepts.
constexpr int kFullCheckEvery = 250;   // Cycles between checks of everything acknowledged.
constexpr size_t kSampleOld = 16;      // Older files re-checked on the other cycles.
// The collector runs every second, and collects what killed uploads left after 30 s, so it
// works between kills without racing an upload in flight.
const std::vector<std::string> kServeArgs = {"--collect-interval", "1", "--blob-grace", "30"};

std::string Bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t v = rng();
    std::memcpy(&out[i], &v, 8);
  }
  for (; i < n; ++i) out[i] = static_cast<char>(rng());
  return out;
}

struct FileRecord {
  std::string space;
  std::string id;
  uint64_t seed;
  size_t size;
};

// A KooDrive capacity: the last acknowledged value and those sent since (which may have landed).
struct Capacity {
  std::optional<int64_t> acked;
  std::set<int64_t> in_flight;
};

// What the server acknowledged, shared by the load threads.
struct Model {
  std::mutex mu;
  std::vector<std::string> spaces;                           // DingTalk AddSpace, files go here.
  std::vector<FileRecord> files;                             // Committed, single or multipart.
  std::vector<std::pair<std::string, std::string>> folders;  // space, folder id.
  std::map<std::string, Capacity> capacities;                // space -> KooDrive capacity in GB.
  std::set<std::string> deleted;    // Spaces whose KooDrive DELETE answered 0.
  size_t verified_from = 0;         // files[verified_from..] are new this cycle.
  size_t spaces_verified_from = 0;  // Likewise for spaces.
  int koodrive_creates = 0;
};

struct Stats {
  std::atomic<int64_t> ops{0};
  std::atomic<int64_t> failures{0};
  int64_t files_verified = 0;
};

void Fail(Stats& stats, const std::string& what) {
  ++stats.failures;
  std::cerr << "FAIL: " << what << "\n";
}

// One load thread of one cycle: random writes until the server dies or `stop`.
class Load {
 public:
  Load(const ServerProcess& server, Model& model, Stats& stats, uint64_t seed, int thread,
       int cycle, const std::atomic<bool>& killed)
      : server_(server),
        model_(model),
        stats_(stats),
        rng_(seed),
        tag_("c" + std::to_string(cycle) + "t" + std::to_string(thread)),
        thread_(static_cast<size_t>(thread)),
        killed_(killed) {}

  void Run() {
    std::optional<DriveClient> client;
    for (int i = 0; !killed_; ++i) {
      try {
        if (!client) client.emplace(server_);
        Step(*client, tag_ + "n" + std::to_string(i));
        ++stats_.ops;
      } catch (const StatusError& e) {
        Fail(stats_, std::string("wrong answer: ") + e.what());
      } catch (const boost::system::system_error& e) {
        if (!killed_) Fail(stats_, std::string("connection failed before the kill: ") + e.what());
        return;
      } catch (const std::exception& e) {
        if (!killed_) Fail(stats_, std::string("bad reply: ") + e.what());
        return;
      }
    }
  }

 private:
  std::string AnySpace() {
    std::lock_guard lock(model_.mu);
    return model_.spaces[rng_() % model_.spaces.size()];
  }

  // A space only this thread modifies (index modulo the thread count), so that the order of
  // its acknowledged capacities is the order they were applied in.
  std::string OwnSpace() {
    std::lock_guard lock(model_.mu);
    std::vector<size_t> own;
    for (size_t i = thread_; i < model_.spaces.size(); i += kLoadThreads) own.push_back(i);
    if (own.empty()) return "";
    return model_.spaces[own[rng_() % own.size()]];
  }

  void Step(DriveClient& client, const std::string& name) {
    const uint64_t pick = rng_() % 100;
    if (pick < 45) {
      Upload(client, name, false);
    } else if (pick < 60) {
      Upload(client, name, true);
    } else if (pick < 72) {
      const std::string space = AnySpace();
      const std::string id = client.AddFolder(space, "0", name);
      std::lock_guard lock(model_.mu);
      model_.folders.emplace_back(space, id);
    } else if (pick < 80) {
      const std::string id = client.AddSpace("crash", name);
      std::lock_guard lock(model_.mu);
      model_.spaces.push_back(id);
    } else if (pick < 90) {
      ModifyCapacity(client);
    } else if (pick < 95) {
      KooDriveOk(
          client.KooDrive("POST", "/koodrive/ose/v1/space/union1",
                          R"({"type":"1","capacity":)" + std::to_string(1 + rng_() % 50) + "}"),
          "KooDrive create");
      std::lock_guard lock(model_.mu);
      ++model_.koodrive_creates;
    } else {
      // A space made for deleting, so the files of the others stay checkable.
      const std::string space = client.AddSpace("doomed", name);
      KooDriveOk(
          client.KooDrive("DELETE", "/koodrive/ose/v1/space/union1?type=1&containerId=" + space),
          "KooDrive delete");
      std::lock_guard lock(model_.mu);
      model_.deleted.insert(space);
    }
  }

  void Upload(DriveClient& client, const std::string& name, bool multipart) {
    const uint64_t roll = rng_() % 100;
    size_t size = roll < 60   ? rng_() % 65536
                  : roll < 90 ? 65536 + rng_() % 983040
                              : (1 << 20) + rng_() % (2 << 20);
    if (multipart) size = kPartBytes / 2 + rng_() % (5 * kPartBytes);
    const uint64_t seed = rng_();
    const std::string space = AnySpace();
    const std::string data = Bytes(size, seed);
    const json::object dentry = multipart ? client.PutMultipart(space, name, data, kPartBytes)
                                          : client.PutFile(space, name, data);
    std::lock_guard lock(model_.mu);
    model_.files.push_back({space, std::string(dentry.at("id").as_string()), seed, size});
  }

  void ModifyCapacity(DriveClient& client) {
    const std::string space = OwnSpace();
    if (space.empty()) return;
    const int64_t gb = 1 + static_cast<int64_t>(rng_() % 100);
    {
      std::lock_guard lock(model_.mu);
      model_.capacities[space].in_flight.insert(gb);
    }
    KooDriveOk(client.KooDrive("PUT", "/koodrive/ose/v1/space/union1",
                               R"({"type":"1","containerId":")" + space + R"(","capacity":)" +
                                   std::to_string(gb) + "}"),
               "KooDrive modify");
    std::lock_guard lock(model_.mu);
    Capacity& c = model_.capacities[space];
    c.acked = gb;
    c.in_flight.clear();  // Anything sent before this answer was applied before it.
  }

  static void KooDriveOk(const testing::HttpResult& r, const std::string& what) {
    if (r.status != 200 || json::parse(r.body).at("code").as_int64() != 0) {
      throw StatusError(r.status, what + " -> " + std::to_string(r.status) + " " + r.body);
    }
  }

  const ServerProcess& server_;
  Model& model_;
  Stats& stats_;
  std::mt19937_64 rng_;
  std::string tag_;
  size_t thread_;
  const std::atomic<bool>& killed_;
};

// Runs fsck on the stopped server's data; a failure prints its report.
void Fsck(const std::string& data_dir, Stats& stats, int cycle) {
  const auto result = ServerProcess::Fsck(data_dir);
  if (result && result->first != 0) {
    Fail(stats, "cycle " + std::to_string(cycle) + ": fsck exited " +
                    std::to_string(result->first) + ":\n" + result->second);
  }
}

void VerifyFile(const DriveClient& client, const FileRecord& f, Stats& stats) {
  const auto r = client.Download(f.space, f.id);
  ++stats.files_verified;
  if (r.status != 200) {
    return Fail(stats, "file " + f.id + " in space " + f.space + ": download answered " +
                           std::to_string(r.status) + " " + r.body);
  }
  if (r.body != Bytes(f.size, f.seed)) {
    Fail(stats, "file " + f.id + " in space " + f.space + ": content differs (" +
                    std::to_string(r.body.size()) + " bytes, " + std::to_string(f.size) +
                    " acknowledged)");
  }
}

// Checks what the model says on a freshly restarted server.
void Verify(const ServerProcess& server, Model& model, Stats& stats, bool everything,
            std::mt19937_64& rng) {
  const DriveClient client(server);
  std::vector<FileRecord> files;
  for (size_t i = everything ? 0 : model.verified_from; i < model.files.size(); ++i) {
    files.push_back(model.files[i]);
  }
  for (size_t i = 0; !everything && i < kSampleOld && model.verified_from > 0; ++i) {
    files.push_back(model.files[rng() % model.verified_from]);
  }
  model.verified_from = model.files.size();
  for (const FileRecord& f : files) VerifyFile(client, f, stats);

  for (const auto& [space, id] : model.folders) {
    if (!everything && rng() % 8 != 0) continue;  // A sample; all of them at full checks.
    const auto r = client.Call(
        "POST", "/v1.0/storage/spaces/" + space + "/dentries/" + id + "/query?unionId=union1",
        "{}");
    if (r.status != 200) Fail(stats, "folder " + id + ": " + std::to_string(r.status) + r.body);
  }
  for (size_t i = 0; i < model.spaces.size(); ++i) {
    const std::string& space = model.spaces[i];
    if (!everything && i < model.spaces_verified_from && rng() % 16 != 0) continue;
    const auto r = client.KooDrive("GET", "/koodrive/ose/v1/space/container/" + space);
    if (r.status != 200) {
      Fail(stats, "space " + space + ": " + std::to_string(r.status) + " " + r.body);
      continue;
    }
    Capacity& c = model.capacities[space];
    if (!c.acked && c.in_flight.empty()) continue;
    const int64_t gb = json::parse(r.body).at("data").at("capacity").as_int64();
    // Never acknowledged: the space may still show its first capacity (the org's, uncapped).
    if (c.acked && gb != *c.acked && c.in_flight.count(gb) == 0) {
      Fail(stats, "space " + space + ": capacity " + std::to_string(gb) + " GB, acknowledged " +
                      std::to_string(c.acked.value_or(-1)));
    }
    if (c.in_flight.count(gb) != 0) c.acked = gb;  // It landed: now the value to keep.
    c.in_flight.clear();
  }
  model.spaces_verified_from = model.spaces.size();
  for (const std::string& space : model.deleted) {
    if (!everything && rng() % 16 != 0) continue;
    const auto r = client.Call("GET", "/v1.0/storage/spaces/" + space + "?unionId=union1");
    if (r.status != 404)
      Fail(stats, "deleted space " + space + " answered " + std::to_string(r.status));
  }
}

int Main() {
  const char* cycles_env = std::getenv("CYCLES");
  const int cycles = cycles_env != nullptr ? std::atoi(cycles_env) : 20;
  const char* seed_env = std::getenv("SEED");
  const uint64_t seed = seed_env != nullptr
                            ? std::strtoull(seed_env, nullptr, 10)
                            : static_cast<uint64_t>(Clock::now().time_since_epoch().count());
  const std::string bin = ServerProcess::BinaryPath();
  testing::TempDir dir;
  std::string data_dir = dir.File("data");
  const bool keep = std::getenv("CRASH_KEEP_DATA") != nullptr;
  if (keep) {  // Outside the TempDir, which removes itself.
    std::string kept = "/tmp/spacestore-crash-XXXXXX";
    if (mkdtemp(kept.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    data_dir = kept + "/data";
  }
  const bool fsck = ServerProcess::HasFsck();
  std::cout << "crash loop: CYCLES=" << cycles << " SEED=" << seed << "\n";
  if (!fsck)
    std::cout << "crash loop: NOTICE: " << bin << " has no fsck; the fsck step is skipped\n";

  std::mt19937_64 rng(seed);
  Model model;
  Stats stats;
  const auto start = Clock::now();
  std::optional<ServerProcess> server;
  server.emplace(kServeArgs, data_dir);
  {
    const DriveClient setup(*server);
    for (int i = 0; i < 2; ++i)
      model.spaces.push_back(setup.AddSpace("crash", "base" + std::to_string(i)));
  }
  int done = 0;
  for (int cycle = 1; cycle <= cycles; ++cycle) {
    done = cycle;
    std::atomic<bool> killed{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kLoadThreads; ++t) {
      threads.emplace_back(
          [&, t, s = rng()] { Load(*server, model, stats, s, t, cycle, killed).Run(); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 1450));
    killed = true;
    server->Kill();
    for (auto& t : threads) t.join();
    server.reset();
    if (fsck) Fsck(data_dir, stats, cycle);
    try {
      server.emplace(kServeArgs, data_dir);
    } catch (const std::exception& e) {
      Fail(stats, "cycle " + std::to_string(cycle) + ": restart: " + e.what());
      break;
    }
    try {
      Verify(*server, model, stats, cycle % kFullCheckEvery == 0 || cycle == cycles, rng);
    } catch (const std::exception& e) {
      Fail(stats, "cycle " + std::to_string(cycle) + ": verify: " + e.what());
    }
    if (cycle % 10 == 0 || cycle == cycles) {
      std::lock_guard lock(model.mu);
      std::cout << "cycle " << cycle << ": " << model.files.size() << " files, "
                << model.spaces.size() << " spaces, " << model.folders.size() << " folders, "
                << stats.ops << " operations, " << stats.failures << " failures, "
                << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count()
                << " s" << std::endl;
    }
    if (stats.failures > 0) break;  // Keep the data as the failure left it.
  }
  if (server) server->Stop();
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count();
  std::cout << "crash loop: SEED=" << seed << ", " << done << " cycles in " << seconds
            << " s; acknowledged: " << model.files.size() << " files, " << model.folders.size()
            << " folders, " << model.spaces.size() << " spaces, " << model.deleted.size()
            << " deletions, " << model.koodrive_creates << " KooDrive creates; " << stats.ops
            << " operations; " << stats.files_verified << " file downloads verified; fsck "
            << (fsck ? "run each cycle" : "skipped (no fsck subcommand)") << "; " << stats.failures
            << " failures" << std::endl;  // Now: removing a large data dir takes a while.
  if (stats.failures > 0) {
    std::cout << "crash loop: FAILED; repeat with SEED=" << seed << "\n";
    if (!keep) std::cout << "crash loop: CRASH_KEEP_DATA=1 keeps the data directory\n";
  }
  if (keep) std::cout << "crash loop: data kept in " << data_dir << "\n";
  if (stats.failures > 0) return 1;
  return 0;
}

}  // namespace
}  // namespace spacestore::crash

int main() {
  try {
    return spacestore::crash::Main();
  } catch (const std::exception& e) {
    std::cerr << "crash loop: " << e.what() << "\n";
    return 1;
  }
}
