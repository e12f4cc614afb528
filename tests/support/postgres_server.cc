// Starts and stops a throwaway PostgreSQL server for the contract suites. Readiness is polled
// with libpq's PQping rather than by reading the server's log, which changes across versions.
#include "postgres_server.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <thread>

namespace spacestore::testing {
namespace {

namespace fs = std::filesystem;

std::string FindBinDir() {
  if (const char* env = std::getenv("SPACESTORE_PG_BIN"); env && *env) return env;
  std::error_code ec;
  std::string best;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto bin = entry.path() / "bin";
    if (fs::exists(bin / "postgres") && fs::exists(bin / "initdb") && bin.string() > best) {
      best = bin.string();
    }
  }
  return best;
}

// A port nothing listens on now (the kernel's pick for port 0).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free loopback port");
  }
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

// The postgres user's ids when running as root (PostgreSQL refuses to run as root).
const passwd* ServerUser() {
  if (geteuid() != 0) return nullptr;
  const passwd* pw = getpwnam("postgres");
  if (pw == nullptr) throw std::runtime_error("running as root and there is no postgres user");
  return pw;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

bool PostgresServer::Available() { return !FindBinDir().empty(); }

PostgresServer& PostgresServer::ForTest() {
  static PostgresServer server;
  return server;
}

pid_t PostgresServer::Spawn(const std::vector<std::string>& argv, const std::string& log) const {
  const passwd* user = ServerUser();
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    if (user != nullptr && (setgid(user->pw_gid) != 0 || setuid(user->pw_uid) != 0)) _exit(126);
    // After setuid, which clears it: the server dies with the test process.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

PostgresServer::PostgresServer() : bin_(FindBinDir()) {
  if (bin_.empty()) throw std::runtime_error("PostgreSQL server binaries not found");
  const std::string data = dir_.File("data");
  const std::string log = dir_.File("server.log");
  if (const passwd* user = ServerUser()) {
    if (chown(dir_.path().c_str(), user->pw_uid, user->pw_gid) != 0) {
      throw std::runtime_error("cannot give the server's directory to the postgres user");
    }
  }
  // --no-sync: the cluster is thrown away; the server itself runs with fsync on.
  if (Wait(Spawn({bin_ + "/initdb", "-D", data, "-U", "spacestore", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions"},
                 log)) != 0) {
    throw std::runtime_error("initdb failed; see " + log);
  }
  for (int attempt = 0; attempt < 3 && pid_ < 0; ++attempt) {
    port_ = FreePort();
    const pid_t pid = Spawn({bin_ + "/postgres", "-D", data, "-k", dir_.path().string(), "-p",
                             std::to_string(port_), "-h", "127.0.0.1", "-c", "fsync=on", "-c",
                             "max_connections=200", "-c", "shared_buffers=32MB"},
                            log);
    const std::string url = Url();
    for (int i = 0; i < 300; ++i) {
      if (PQping(url.c_str()) == PQPING_OK) {
        pid_ = pid;
        break;
      }
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) break;  // Exited: the port was taken.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ < 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, WNOHANG);
    }
  }
  if (pid_ < 0) throw std::runtime_error("the PostgreSQL server did not start; see " + log);
}

PostgresServer::~PostgresServer() {
  if (pid_ < 0) return;
  kill(pid_, SIGINT);  // Fast shutdown: clients are disconnected, no checkpoint waited for.
  for (int i = 0; i < 200; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string PostgresServer::Url(const std::string& db) const {
  return "postgresql://spacestore@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string PostgresServer::NewSchemaUrl() {
  const std::string schema = "test_" + std::to_string(++schemas_);
  Exec("CREATE SCHEMA " + schema);
  // options=-c search_path=<schema>, URL-encoded.
  return Url() + "?options=-csearch_path%3D" + schema;
}

void PostgresServer::Exec(const std::string& sql) const {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(Url().c_str()), PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error(std::string("cannot connect: ") + PQerrorMessage(conn.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn.get(), sql.c_str()), PQclear);
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(r.get()));
  }
}

}  // namespace spacestore::testing
