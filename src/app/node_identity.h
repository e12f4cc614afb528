#pragma once

#include <string>

#include "base/result.h"

namespace spacestore::app {

// NodeIdentity names this serve process among the nodes sharing a store: the holder id of its
// leases (domain/lease.h). The id lives in a slot file under the node's data dir
// (`nodes/slot-N`, a random id written once) which the process keeps locked (flock) for its
// whole life, so
//  - two live processes never share an id, even on one shared data dir (the second takes the
//    next free slot), and
//  - a process restarted after a crash (SIGKILL) finds its slot free again and takes up the
//    same id, so it takes its own unexpired leases back at once instead of waiting them out.
// A slot is free only when its last owner is dead (the kernel drops a dead process's locks),
// so reusing its id can never let two live processes hold one lease.
//
// Thread-safety: immutable after Claim. Owns the slot's file descriptor; moves, never copies.
class NodeIdentity {
 public:
  // Takes the lowest free slot under `data_dir`/nodes (creating it and its id if new).
  // kUnavailable when the directory or a slot file cannot be created or read.
  static Result<NodeIdentity> Claim(const std::string& data_dir);

  NodeIdentity(NodeIdentity&& other) noexcept;
  NodeIdentity& operator=(NodeIdentity&&) = delete;
  NodeIdentity(const NodeIdentity&) = delete;
  NodeIdentity& operator=(const NodeIdentity&) = delete;
  ~NodeIdentity();

  // The holder id: "<host>-<slot's random id>".
  const std::string& id() const { return id_; }

 private:
  NodeIdentity(int fd, std::string id) : fd_(fd), id_(std::move(id)) {}
  int fd_ = -1;
  std::string id_;
};

}  // namespace spacestore::app
