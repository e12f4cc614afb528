// spacestore-put-load: PUTs of SIZE-byte bodies, every one different, over CONNECTIONS
// keep-alive connections (a thread each) for SECONDS, round-robin over the signed request
// paths of KEYS_FILE (lines "path<TAB>Header: value<TAB>...", as bench/run.sh writes them).
// Prints the lines of wrk's report that bench/run.sh reads (Requests/sec, the 50% and 99%
// latencies, and the bench-lua line with the count of non-2xx answers).
//
// Why not wrk: the fixed body wrk sends makes every PUT after the first a duplicate of stored
// content, which the store keeps without an fsync; and wrk's Lua, making a new 1 MiB string per
// request, could not send more than ~200 a second. Here each body differs in its last 16 bytes
// (thread and request number), written in place into the thread's own buffer.
//
// Usage: spacestore-put-load HOST PORT SECONDS CONNECTIONS SIZE KEYS_FILE [PATH_PREFIX]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Target {
  std::string head;  // Request line and headers, ending with the blank line.
};

struct Tally {
  std::vector<double> latencies_ms;
  long non2xx = 0;
  int first_bad_status = 0;
  bool failed = false;
};

int Connect(const char* host, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host, &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool WriteAll(int fd, iovec* iov, int count) {
  while (count > 0) {
    const ssize_t n = ::writev(fd, iov, count);
    if (n < 0) return false;
    auto left = static_cast<size_t>(n);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

// Reads one response (head, then a Content-Length body); returns its status, 0 on failure.
int ReadResponse(int fd, std::string& buf) {
  std::array<char, 4096> chunk{};
  size_t end = std::string::npos;
  while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n <= 0) return 0;
    buf.append(chunk.data(), static_cast<size_t>(n));
  }
  const int status = std::atoi(buf.c_str() + 9);  // "HTTP/1.1 200 ..."
  size_t length = 0;
  std::string head = buf.substr(0, end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (const size_t at = head.find("\r\ncontent-length:"); at != std::string::npos) {
    length = std::strtoul(head.c_str() + at + 17, nullptr, 10);
  }
  const size_t total = end + 4 + length;
  while (buf.size() < total) {
    const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n <= 0) return 0;
    buf.append(chunk.data(), static_cast<size_t>(n));
  }
  buf.erase(0, total);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::cerr << "usage: spacestore-put-load HOST PORT SECONDS CONNECTIONS SIZE KEYS_FILE "
                 "[PATH_PREFIX]\n";
    return 2;
  }
  const char* host = argv[1];
  const int port = std::atoi(argv[2]);
  const double seconds = std::atof(argv[3]);
  const int connections = std::atoi(argv[4]);
  const size_t size = std::strtoul(argv[5], nullptr, 10);
  const std::string prefix = argc > 7 ? argv[7] : "";
  std::vector<Target> targets;
  std::ifstream keys(argv[6]);
  for (std::string line; std::getline(keys, line);) {
    if (line.empty()) continue;
    std::string head;
    size_t tab = line.find('\t');
    head = "PUT " + prefix + line.substr(0, tab) + " HTTP/1.1\r\nHost: " + host +
           "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(size) +
           "\r\n";
    while (tab != std::string::npos) {
      const size_t next = line.find('\t', tab + 1);
      head += line.substr(tab + 1, next == std::string::npos ? next : next - tab - 1) + "\r\n";
      tab = next;
    }
    targets.push_back(Target{head + "\r\n"});
  }
  if (targets.empty() || connections < 1 || size < 16) {
    std::cerr << "spacestore-put-load: no keys, no connections or a body under 16 bytes\n";
    return 2;
  }

  std::vector<Tally> tallies(static_cast<size_t>(connections));
  std::atomic<long> done{0};
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(connections));
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      Tally& tally = tallies[static_cast<size_t>(t)];
      std::string body(size, 'b');
      for (size_t i = 0; i + 29 <= size; i += 29) {
        std::memcpy(body.data() + i, "spacestore bench upload body\n", 29);
      }
      const int fd = Connect(host, port);
      if (fd < 0) {
        tally.failed = true;
        return;
      }
      std::string buf;
      for (long n = 0; Clock::now() < deadline; ++n) {
        std::array<char, 24> mark{};
        std::snprintf(mark.data(), mark.size(), "%08x%08x", static_cast<unsigned>(t),
                      static_cast<unsigned>(n));
        std::memcpy(body.data() + size - 16, mark.data(), 16);  // Every body is different.
        const Target& target = targets[static_cast<size_t>(t + n * connections) % targets.size()];
        std::array<iovec, 2> iov = {
            iovec{const_cast<char*>(target.head.data()), target.head.size()},
            iovec{body.data(), body.size()}};
        const auto sent = Clock::now();
        if (!WriteAll(fd, iov.data(), 2)) {
          tally.failed = true;
          break;
        }
        const int status = ReadResponse(fd, buf);
        if (status == 0) {
          tally.failed = true;
          break;
        }
        tally.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        if (status < 200 || status > 299) {
          if (tally.non2xx++ == 0) tally.first_bad_status = status;
        }
        done.fetch_add(1, std::memory_order_relaxed);
      }
      ::close(fd);
    });
  }
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  std::vector<double> all;
  long non2xx = 0;
  int first_bad = 0;
  int failed = 0;
  for (const Tally& tally : tallies) {
    all.insert(all.end(), tally.latencies_ms.begin(), tally.latencies_ms.end());
    non2xx += tally.non2xx;
    if (first_bad == 0) first_bad = tally.first_bad_status;
    failed += tally.failed ? 1 : 0;
  }
  std::sort(all.begin(), all.end());
  const auto at = [&](double q) {
    const auto count = static_cast<double>(all.size());
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(q * count))];
  };
  std::printf("Latency Distribution\n     50%%    %.3fms\n     99%%    %.3fms\n", at(0.50),
              at(0.99));
  std::printf("  %ld requests in %.2fs\n", done.load(), elapsed);
  if (failed > 0) std::printf("Socket errors: connect 0, read %d, write 0, timeout 0\n", failed);
  std::printf("Requests/sec: %.2f\n", static_cast<double>(done.load()) / elapsed);
  std::printf("bench-lua: requests=%ld non2xx=%ld first_bad_status=%d\n", done.load(), non2xx,
              first_bad);
  return 0;
}
