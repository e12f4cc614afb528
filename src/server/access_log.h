#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace spacestore::server {

// One finished request, as the access log records it.
struct AccessRecord {
  std::string_view request_id;
  std::string_view remote;
  std::string_view method;
  std::string_view target;
  int status = 0;
  uint64_t response_bytes = 0;
  int64_t duration_us = 0;
};

// `target` with the value of every query parameter whose name looks secret (contains "sign",
// "token", "secret", "passw", "key", "credential", "auth" or "session", in any case) replaced
// by REDACTED, so that a credential a client puts in a URL never reaches the log. The paging
// cursor nextToken is kept.
std::string RedactTarget(std::string_view target);

// AccessLog writes one JSON line per request through an asynchronous spdlog logger, so the
// socket threads never wait on the terminal or disk.
// Thread-safety: Record is thread-safe.
class AccessLog {
 public:
  // Logs to stderr. With `enabled` false, Record does nothing.
  explicit AccessLog(bool enabled);
  ~AccessLog();
  void Record(const AccessRecord& record);

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace spacestore::server
