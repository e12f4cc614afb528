// S3Server: forks `node s3rver.js` and reads its "S3rver listening on ADDR:PORT" line. Port 0
// lets the kernel pick a free port, so parallel test binaries never collide. Buckets are made
// with an anonymous PUT /NAME, which s3rver accepts (it checks credentials only on signed
// requests).
#include "s3_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace spacestore::testing {

namespace {

// One request on a fresh connection; returns the status line and everything after it.
std::string Exchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to s3rver");
  }
  (void)::write(fd, request.data(), request.size());
  std::string reply;
  char buf[4096];
  for (;;) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 10000) <= 0) break;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

}  // namespace

std::string S3Server::ScriptPath() {
  if (const char* path = std::getenv("SPACESTORE_S3RVER"); path != nullptr && *path != '\0') {
    return path;
  }
  return std::string(SPACESTORE_SOURCE_DIR) +
         "/tests/conformance/node_modules/s3rver/bin/s3rver.js";
}

S3Server::S3Server(const Tls& tls) {
  const std::string script = ScriptPath();
  if (!std::filesystem::exists(script)) {
    throw std::runtime_error("s3rver is not installed at " + script +
                             "; run `make conformance-deps` once");
  }
  const std::string data = dir_.File("s3");
  std::vector<std::string> argv = {
      "/usr/bin/env", "node", script,     "--directory",       data, "--address", "127.0.0.1",
      "--port",       "0",    "--silent", "--no-vhost-buckets"};
  if (tls.on) {
    cert_ = dir_.File("cert.pem");
    const std::string key = dir_.File("key.pem");
    // Before the fork below: std::system forks too, and this runs before any server thread.
    const std::string make_cert =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=spacestore-test -addext subjectAltName=" +
        tls.names + " -keyout " + key + " -out " + cert_ + " >/dev/null 2>&1";
    if (std::system(make_cert.c_str()) != 0) {
      throw std::runtime_error("openssl could not make a test certificate");
    }
    argv.insert(argv.end(), {"--key", key, "--cert", cert_});
    for (const auto& bucket : tls.buckets) argv.insert(argv.end(), {"--configure-bucket", bucket});
  }
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  // Built before the fork: the child only calls async-signal-safe functions.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Dies with the test binary, even one that crashed before its destructors ran.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    ::dup2(out[1], STDOUT_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string seen;
  const std::regex listening(R"(S3rver listening on [0-9.]+:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out[0], POLLIN, 0};
    if (::poll(&pfd, 1, 200) <= 0) continue;
    char buf[1024];
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
    std::smatch m;
    if (std::regex_search(seen, m, listening)) port_ = std::stoi(m[1]);
  }
  // Keep draining stdout so the emulator never blocks on a full pipe.
  std::thread([fd = out[0]] {
    char buf[1024];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
    ::close(fd);
  }).detach();
  if (port_ == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("s3rver did not start; stdout: " + seen);
  }
}

S3Server::~S3Server() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

std::string S3Server::endpoint() const {
  return (cert_.empty() ? "http://127.0.0.1:" : "https://127.0.0.1:") + std::to_string(port_);
}

std::string S3Server::NewBucketName() { return "test-bucket-" + std::to_string(++buckets_); }

std::string S3Server::NewBucket(const std::string& name) {
  const std::string reply = Exchange(port_, "PUT /" + name +
                                                " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Content-Length: 0\r\nConnection: close\r\n\r\n");
  if (reply.rfind("HTTP/1.1 200", 0) != 0) {
    throw std::runtime_error("s3rver refused bucket " + name + ": " + reply.substr(0, 200));
  }
  return "s3://" + name + "?endpoint=" + endpoint() + "&region=us-east-1";
}

}  // namespace spacestore::testing
