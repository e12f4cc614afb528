// Descriptor limit: raise the soft limit to the hard one, then fit the connection limit to it.
//
// Raising the soft limit at start is what servers that hold many connections do (nginx's
// worker_rlimit_nofile, systemd's own services); the hard limit stays the operator's ceiling.
// A connection limit above what the descriptors allow is lowered, with a warning, rather than
// refused: the server still starts, and accept would fail with EMFILE at the same point anyway.
#include "server/descriptor_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include <spdlog/spdlog.h>

namespace spacestore::server {
namespace {

uint64_t AsCount(rlim_t limit) {
  return limit == RLIM_INFINITY ? std::numeric_limits<uint64_t>::max()
                                : static_cast<uint64_t>(limit);
}

}  // namespace

uint64_t RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::numeric_limits<uint64_t>::max();
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return AsCount(raised.rlim_cur);
    spdlog::warn("cannot raise the open files limit from {} to {}: {}", limit.rlim_cur,
                 limit.rlim_max, std::strerror(errno));
  }
  return AsCount(limit.rlim_cur);
}

size_t FitConnectionLimit(size_t requested, uint64_t descriptors) {
  const uint64_t room = descriptors > kReservedDescriptors ? descriptors - kReservedDescriptors : 1;
  return static_cast<size_t>(std::max<uint64_t>(1, std::min<uint64_t>(requested, room)));
}

size_t ConnectionLimitFor(size_t requested) {
  const uint64_t descriptors = RaiseDescriptorLimit();
  const size_t limit = FitConnectionLimit(requested, descriptors);
  if (limit < requested) {
    spdlog::warn(
        "max connections lowered from {} to {}: the open files limit is {} and {} descriptors "
        "are kept for stores, blob files and logs (raise the hard limit: ulimit -Hn, or "
        "LimitNOFILE= under systemd)",
        requested, limit, descriptors, kReservedDescriptors);
  }
  return limit;
}

}  // namespace spacestore::server
