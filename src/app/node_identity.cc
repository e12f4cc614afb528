// NodeIdentity: lease holder ids kept in flock-ed slot files of the node's data dir. A random
// id per process was the simple alternative, rejected because a node restarted after a crash
// would then wait out its own dead leases (a task resumed only after the lease length).
#include "app/node_identity.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/ids.h"

namespace spacestore::app {
namespace {

constexpr int kMaxSlots = 1024;
constexpr size_t kIdChars = 16;

Error Unavailable(const std::string& what) {
  return MakeError(Errc::kUnavailable, "node_id", what + ": " + std::strerror(errno));
}

std::string HostName() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) return "host";
  return host.data();
}

// The id stored in the locked slot `fd`, written first if the slot is new.
Result<std::string> SlotId(int fd, const std::string& path) {
  std::array<char, 64> buf{};
  const ssize_t n = ::pread(fd, buf.data(), buf.size(), 0);
  if (n < 0) return Unavailable("read " + path);
  std::string id(buf.data(), static_cast<size_t>(n));
  if (id.size() == kIdChars) return id;
  // New (or torn by a crash while it was written): a fresh id; nobody can hold its leases.
  id = RandomAlnumId(kIdChars);
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, id.data(), id.size(), 0) != std::ssize(id) ||
      ::fsync(fd) != 0) {
    return Unavailable("write " + path);
  }
  return id;
}

}  // namespace

Result<NodeIdentity> NodeIdentity::Claim(const std::string& data_dir) {
  const auto dir = std::filesystem::path(data_dir) / "nodes";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return MakeError(Errc::kUnavailable, "node_id", "cannot create " + dir.string());
  for (int slot = 0; slot < kMaxSlots; ++slot) {
    const std::string path = (dir / ("slot-" + std::to_string(slot))).string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Unavailable("open " + path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      if (errno == EWOULDBLOCK) continue;  // A live process owns this slot.
      return Unavailable("lock " + path);
    }
    auto id = SlotId(fd, path);
    if (!id) {
      ::close(fd);
      return id.error();
    }
    return NodeIdentity(fd, HostName() + "-" + *id);
  }
  return MakeError(Errc::kUnavailable, "node_id", "no free node slot in " + dir.string());
}

NodeIdentity::NodeIdentity(NodeIdentity&& other) noexcept
    : fd_(other.fd_), id_(std::move(other.id_)) {
  other.fd_ = -1;
}

NodeIdentity::~NodeIdentity() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace spacestore::app
