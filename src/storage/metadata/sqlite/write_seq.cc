// WriteSeq: a shared-memory sequence number bumped around every write transaction.
#include "storage/metadata/sqlite/write_seq.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace spacestore::storage::sqlite {
namespace {

constexpr size_t kMapBytes = 4096;

static_assert(std::atomic_ref<uint64_t>::is_always_lock_free,
              "WriteSeq needs lock-free 64-bit atomics to work across processes");

Error Unavailable(const std::string& path, const char* what) {
  return MakeError(Errc::kUnavailable, "",
                   std::string("cannot ") + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<WriteSeq>> WriteSeq::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable(path, "open");
  struct stat st {};
  // Growing a new file to one page fills it with zeros; processes racing to do so agree, and
  // an existing file is never shrunk.
  if (::fstat(fd, &st) != 0 ||
      (st.st_size < static_cast<off_t>(kMapBytes) && ::ftruncate(fd, kMapBytes) != 0)) {
    const Error e = Unavailable(path, "size");
    ::close(fd);
    return e;
  }
  void* map = ::mmap(nullptr, kMapBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);  // The mapping stays.
  if (map == MAP_FAILED) return Unavailable(path, "map");
  return std::unique_ptr<WriteSeq>(new WriteSeq(map));
}

WriteSeq::~WriteSeq() { ::munmap(map_, kMapBytes); }

uint64_t WriteSeq::Load() const { return std::atomic_ref<uint64_t>(*word()).load(); }

uint64_t WriteSeq::BeginWrite() {
  std::atomic_ref<uint64_t> seq(*word());
  uint64_t now = seq.load();
  // Odd already: a writer died between its marks (or is still ending after its COMMIT); a
  // fresh odd value keeps that writer's EndWrite from making the value even under this write.
  uint64_t next = Stable(now) ? now + 1 : now + 2;
  while (!seq.compare_exchange_weak(now, next)) next = Stable(now) ? now + 1 : now + 2;
  return next;
}

void WriteSeq::EndWrite(uint64_t token) {
  uint64_t expected = token;
  std::atomic_ref<uint64_t>(*word()).compare_exchange_strong(expected, token + 1);
}

}  // namespace spacestore::storage::sqlite
