// End-to-end tests of the connection limit (--max-connections) against the real binary: at the
// limit the server stops accepting, so a further client waits in the listen backlog and is
// served once a held connection closes; the server stays healthy throughout. Timing is only
// ever a generous upper bound for what must happen, plus a short window in which an answer
// must not arrive (an answer there is the bug itself, never a slow machine).
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server_process.h"

namespace spacestore {
namespace {

using testing::ServerProcess;

constexpr int kGenerousMs = 10000;
constexpr const char* kLivez = "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n";

// One client connection, held open until destroyed or Close().
class Client {
 public:
  // Connects even when the server is not accepting: the kernel's backlog completes it.
  explicit Client(int port) : fd_(testing::ConnectLoopback(port)) {}
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void Send(const std::string& bytes) const {
    ASSERT_EQ(write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  // Reads until a whole response to GET /livez (its body closes the JSON object) has arrived
  // or `timeout_ms` passes; returns what arrived.
  std::string ReadResponse(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline && !Complete()) {
      pollfd pfd{fd_, POLLIN, 0};
      if (poll(&pfd, 1, 20) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      got_.append(buf, static_cast<size_t>(n));
    }
    std::string out;
    out.swap(got_);
    return out;
  }
  // Whether the server closed the connection within `timeout_ms`.
  bool ClosedByServer(int timeout_ms) const {
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) <= 0) return false;
    char byte = 0;
    return read(fd_, &byte, 1) == 0;
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  bool Complete() const {
    return got_.find("HTTP/1.1") != std::string::npos && got_.ends_with("}");
  }

  int fd_;
  std::string got_;
};

bool Served(const std::string& reply) { return reply.starts_with("HTTP/1.1 200"); }

TEST(ConnectionsTest, AtTheLimitANewConnectionWaitsUntilOneCloses) {
  ServerProcess server({"--max-connections", "4", "--read-timeout-ms", "60000"});
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<Client>(server.port()));
    held.back()->Send(kLivez);
    ASSERT_TRUE(Served(held.back()->ReadResponse(kGenerousMs))) << "connection " << i;
  }
  // The fifth connects (the kernel queues it) but is not accepted, so it is not answered.
  Client fifth(server.port());
  fifth.Send(kLivez);
  EXPECT_EQ(fifth.ReadResponse(500), "");
  // The four held connections are still served meanwhile.
  held[1]->Send(kLivez);
  EXPECT_TRUE(Served(held[1]->ReadResponse(kGenerousMs)));

  held[0]->Close();
  EXPECT_TRUE(Served(fifth.ReadResponse(kGenerousMs)));
  // Healthy: every connection still open is served, and once another closes, a new one is.
  for (size_t i = 1; i < held.size(); ++i) {
    held[i]->Send(kLivez);
    EXPECT_TRUE(Served(held[i]->ReadResponse(kGenerousMs))) << "connection " << i;
  }
  held[1]->Close();
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(ConnectionsTest, IdleConnectionsAtTheLimitAreClosedAfterTheReadTimeout) {
  // Two connections that never send a byte hold both slots until the read timeout closes them.
  ServerProcess server({"--max-connections", "2", "--read-timeout-ms", "300"});
  Client idle1(server.port());
  Client idle2(server.port());
  Client waiting(server.port());
  waiting.Send(kLivez);
  EXPECT_TRUE(idle1.ClosedByServer(kGenerousMs));
  EXPECT_TRUE(idle2.ClosedByServer(kGenerousMs));
  EXPECT_TRUE(Served(waiting.ReadResponse(kGenerousMs)));
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(ConnectionsTest, ManyShortConnectionsPastTheLimitAreAllServed) {
  // Connections that come and go never leak a slot: 40 in turn through a limit of 2.
  ServerProcess server({"--max-connections", "2"});
  for (int i = 0; i < 40; ++i) ASSERT_EQ(server.Request("GET", "/livez").status, 200) << i;
}

TEST(ConnectionsTest, ShutdownWhilePausedAtTheLimitExitsCleanly) {
  // The accept loop waits for a slot when SIGTERM comes: shutdown must end that wait too.
  ServerProcess server({"--max-connections", "1", "--read-timeout-ms", "60000"});
  Client held(server.port());
  held.Send(kLivez);
  ASSERT_TRUE(Served(held.ReadResponse(kGenerousMs)));
  Client waiting(server.port());
  waiting.Send(kLivez);
  EXPECT_EQ(waiting.ReadResponse(200), "");
  EXPECT_EQ(server.Stop(), 0);
}

TEST(ConnectionsTest, MaxConnectionsMustBePositive) {
  EXPECT_THROW(ServerProcess({"--max-connections", "0"}), std::runtime_error);
}

}  // namespace
}  // namespace spacestore
