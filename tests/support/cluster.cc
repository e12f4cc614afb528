// Cluster: N real serve processes on one set of stores, started on N threads at once so that
// races between nodes (bootstrap, migrations, leases) happen as they do in a deployment.
#include "cluster.h"

#include <exception>
#include <stdexcept>
#include <thread>

namespace spacestore::testing {

ClusterBackend SqliteClusterBackend() {
  return ClusterBackend{.name = "sqlite", .store_args = {}, .shared_data_dir = true};
}

Cluster::Cluster(int nodes, ClusterBackend backend, std::vector<std::string> extra_args)
    : backend_(std::move(backend)),
      store_args_(backend_.store_args ? backend_.store_args() : std::vector<std::string>()),
      extra_args_(std::move(extra_args)),
      nodes_(static_cast<size_t>(nodes)) {
  std::vector<std::string> errors(nodes_.size());
  std::vector<std::thread> starters;
  for (int i = 0; i < nodes; ++i) {
    starters.emplace_back([this, i, &errors] {
      try {
        nodes_[static_cast<size_t>(i)] = Start(i);
      } catch (const std::exception& e) {
        errors[static_cast<size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : starters) t.join();
  std::string failed;
  for (size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i].empty()) failed += "node " + std::to_string(i) + ": " + errors[i] + "\n";
  }
  if (!failed.empty()) throw std::runtime_error("cluster did not start:\n" + failed);
}

Cluster::~Cluster() = default;  // Each ServerProcess kills its process.

std::string Cluster::DataDir(int i) const {
  return dir_.File(backend_.shared_data_dir ? "data" : "data-" + std::to_string(i));
}

std::unique_ptr<ServerProcess> Cluster::Start(int i) const {
  std::vector<std::string> args = store_args_;
  for (std::string arg : extra_args_) {
    if (const size_t at = arg.find("{node}"); at != std::string::npos) {
      arg.replace(at, 6, std::to_string(i));
    }
    args.push_back(std::move(arg));
  }
  return std::make_unique<ServerProcess>(std::move(args), DataDir(i));
}

void Cluster::Kill(int i) {
  auto& node = nodes_.at(static_cast<size_t>(i));
  if (node) node->Kill();
  node.reset();
}

void Cluster::Restart(int i) {
  Kill(i);
  nodes_.at(static_cast<size_t>(i)) = Start(i);
}

}  // namespace spacestore::testing
