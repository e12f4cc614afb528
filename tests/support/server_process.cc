#include "server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>

namespace spacestore::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string ServerProcess::BinaryPath() {
  const char* bin = std::getenv("SPACESTORE_BIN");
  if (bin == nullptr || *bin == '\0') throw std::runtime_error("SPACESTORE_BIN is not set");
  return bin;
}

namespace {

pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, int out_fd,
            int err_fd) {
  // Everything the child needs is built before fork: tests start nodes from several threads
  // at once, and a child of a multithreaded process may only make async-signal-safe calls
  // until exec (a malloc there can deadlock on a lock another thread held at the fork).
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    const bool overridden = std::any_of(env.begin(), env.end(), [&](const std::string& kv) {
      return std::string_view(kv).substr(0, kv.find('=')) == name;
    });
    if (!overridden) environment.emplace_back(entry);
  }
  environment.insert(environment.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& kv : environment) envp.push_back(kv.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_copies = argv;
  std::vector<char*> args;
  for (auto& a : arg_copies) args.push_back(a.data());
  args.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extra_args, std::string data_dir)
    : data_dir_(data_dir.empty() ? dir_.File("data") : std::move(data_dir)) {
  // Close-on-exec, so a node started at the same moment from another thread does not inherit
  // this node's pipe (dup2 clears the flag on the child's own stdout and stderr).
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int err_fd =
      open(dir_.File("stderr.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::vector<std::string> argv = {BinaryPath(),  "serve",      "--listen",
                                   "127.0.0.1:0", "--data-dir", data_dir_};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  static const std::vector<std::string> env = {std::string("SPACESTORE_CORP_ID=") + kCorpId,
                                               std::string("SPACESTORE_APP_KEY=") + kAppKey,
                                               std::string("SPACESTORE_APP_SECRET=") + kAppSecret,
                                               std::string("SPACESTORE_UNION_ID=") + kUnionId};
  pid_ = Spawn(argv, env, out[1], err_fd);
  close(out[1]);
  close(err_fd);

  // Read stdout until the listening line, for at most 60 s: a sanitizer build starting three
  // nodes on a loaded 2-core machine (PostgreSQL and s3rver beside them) needs more than 30.
  std::string seen;
  const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out[0], POLLIN, 0};
    if (poll(&pfd, 1, 200) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
    std::smatch m;
    if (std::regex_search(seen, m, listening)) {
      port_ = std::stoi(m[1]);
      break;
    }
  }
  // Keep draining stdout in the background so the server never blocks on a full pipe.
  std::thread([fd = out[0]] {
    char buf[4096];
    while (read(fd, buf, sizeof buf) > 0) {
    }
    close(fd);
  }).detach();
  if (port_ == 0) {
    const bool exited = waitpid(pid_, nullptr, WNOHANG) == pid_;
    if (exited) pid_ = -1;
    Kill();
    // Its stderr says why (a refused flag, a store it could not open).
    std::ifstream err(dir_.File("stderr.log"));
    std::string err_text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    if (err_text.size() > 4000) err_text = "..." + err_text.substr(err_text.size() - 4000);
    throw std::runtime_error(std::string("server did not start (") +
                             (exited ? "it exited" : "no listening line within 60 s") +
                             "); stdout: " + seen + "\nstderr: " + err_text);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServerProcess::Admin(const std::vector<std::string>& args) const {
  std::string cmd = "'" + BinaryPath() + "' admin --data-dir '" + data_dir_ + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed");
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  if (pclose(p) != 0) throw std::runtime_error("admin command failed: " + cmd);
  return out;
}

HttpResult ServerProcess::Request(
    const std::string& method, const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port_)));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.keep_alive(false);
  req.prepare_payload();
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  HttpResult out;
  out.status = res.result_int();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  out.body = std::move(res.body());
  return out;
}

namespace {

// Runs `cmd` through the shell: its exit status (-1 if it did not exit) and its output.
std::pair<int, std::string> RunShell(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, "cannot run " + cmd};
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

}  // namespace

bool ServerProcess::HasFsck() {
  const auto [rc, help] = RunShell("'" + BinaryPath() + "' fsck --help");
  return rc == 0 && help.find("Usage: spacestore fsck") != std::string::npos;
}

std::optional<std::pair<int, std::string>> ServerProcess::Fsck(const std::string& data_dir) {
  if (!HasFsck()) return std::nullopt;
  return RunShell("'" + BinaryPath() + "' fsck --data-dir '" + data_dir + "' --json");
}

std::string ServerProcess::Token() const {
  const auto r = Request(
      "POST", "/v1.0/oauth2/accessToken",
      std::string(R"({"appKey":")") + kAppKey + R"(","appSecret":")" + kAppSecret + R"("})");
  if (r.status != 200) throw std::runtime_error("token call failed: " + r.body);
  return std::string(boost::json::parse(r.body).at("accessToken").as_string());
}

int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("connect failed");
  }
  return fd;
}

std::string RawExchange(int port, const std::string& bytes, int timeout_ms) {
  const int fd = ConnectLoopback(port);
  (void)!write(fd, bytes.data(), bytes.size());
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

}  // namespace spacestore::testing
