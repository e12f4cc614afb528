#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "temp_dir.h"

namespace spacestore::testing {

// A response as the integration tests see it.
struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // Lower-case names.
  std::string body;
};

// ServerProcess starts the real `spacestore serve` binary (path from the SPACESTORE_BIN
// environment variable, set by CTest) on 127.0.0.1 port 0 with a temporary data directory and
// fixed bootstrap credentials, waits for its "listening on" line and stops it with SIGTERM.
// Not thread-safe; one per test fixture.
class ServerProcess {
 public:
  static constexpr const char* kCorpId = "dingcorp1";
  static constexpr const char* kAppKey = "itest-key";
  static constexpr const char* kAppSecret = "itest-secret";
  static constexpr const char* kUnionId = "union1";

  // `extra_args` are appended to the serve command line. A non-empty `data_dir` is used instead
  // of a fresh temporary one (to restart a server on the same data).
  explicit ServerProcess(std::vector<std::string> extra_args = {}, std::string data_dir = "");
  ~ServerProcess();

  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  // Sends SIGTERM and returns the exit status (as from waitpid's WEXITSTATUS, -1 if signalled).
  int Stop();
  // Sends SIGKILL and reaps the process.
  void Kill();
  // Runs `spacestore admin --data-dir <dir> args...`; returns its stdout.
  std::string Admin(const std::vector<std::string>& args) const;

  // One request on a fresh connection.
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  // A fresh access token for the bootstrap app.
  std::string Token() const;

  static std::string BinaryPath();

  // Whether the binary has the fsck subcommand: `fsck --help` exits 0 with fsck's own usage (a
  // binary without one exits 0 too, with the top-level usage).
  static bool HasFsck();
  // Runs `spacestore fsck --data-dir <data_dir> --json` (on a stopped server's data): its exit
  // status (-1 if it did not exit) and output; nullopt when the binary has no fsck.
  static std::optional<std::pair<int, std::string>> Fsck(const std::string& data_dir);

 private:
  TempDir dir_;
  std::string data_dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A new blocking TCP connection to 127.0.0.1:`port`; the caller closes it. Throws
// std::runtime_error if the connect fails.
int ConnectLoopback(int port);

// Sends raw bytes on a new connection and returns everything read until the peer closes or
// `timeout_ms` passes.
std::string RawExchange(int port, const std::string& bytes, int timeout_ms);

}  // namespace spacestore::testing
