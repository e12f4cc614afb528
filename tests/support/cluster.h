#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "server_process.h"
#include "temp_dir.h"

namespace spacestore::testing {

// How the nodes of a Cluster share their stores: one test parameter of the cluster suites.
struct ClusterBackend {
  // Names the backend in test names ("sqlite").
  std::string name;
  // Called once per Cluster: the arguments given to every node's `serve` naming a fresh,
  // empty shared store (e.g. --metadata and --blobs URLs). Null or empty: the defaults, SQLite
  // and local blobs in the (fresh) data dir.
  std::function<std::vector<std::string>()> store_args;
  // true: every node runs on one data dir (SQLite and local blobs shared by the processes of
  // one machine); false: each node has its own (a shared database and object store hold the
  // data, the data dir only the node's thumbnail cache and node id).
  bool shared_data_dir = true;
};

// Names the backend in gtest's messages (instead of the struct's bytes).
inline void PrintTo(const ClusterBackend& backend, std::ostream* os) { *os << backend.name; }

// The SQLite backend: one data dir shared by every node's process.
ClusterBackend SqliteClusterBackend();

// Cluster runs N `spacestore serve` processes (ServerProcess) on one shared metadata and blob
// configuration, started all at once (each on its own thread, like nodes started together by
// an orchestrator). The nodes use ServerProcess's fixed bootstrap credentials. Its destructor
// stops every node still running (SIGKILL), also when a test fails.
// Not thread-safe: one per test; node(i) may be used from several threads once started.
class Cluster {
 public:
  // Starts `nodes` nodes together, each with `backend.store_args()` then `extra_args`, in which
  // "{node}" stands for the node's index (per-node files). Throws std::runtime_error naming
  // every node that did not start.
  Cluster(int nodes, ClusterBackend backend, std::vector<std::string> extra_args = {});
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int size() const { return static_cast<int>(nodes_.size()); }
  // Node `i`; REQUIRES: it is running (not Kill-ed).
  ServerProcess& node(int i) { return *nodes_.at(static_cast<size_t>(i)); }
  bool running(int i) const { return nodes_.at(static_cast<size_t>(i)) != nullptr; }
  // SIGKILLs node `i` (a crash: no lease is released, nothing is flushed).
  void Kill(int i);
  // Starts a new node in place of the killed node `i`, on the same configuration.
  void Restart(int i);
  // The data dir of node `i` (the shared one for a shared-dir backend).
  std::string DataDir(int i) const;

 private:
  std::unique_ptr<ServerProcess> Start(int i) const;

  TempDir dir_;
  ClusterBackend backend_;
  std::vector<std::string> store_args_;  // From backend_.store_args, the same for every node.
  std::vector<std::string> extra_args_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
};

}  // namespace spacestore::testing
