#include "server/access_log.h"

#include <cctype>

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace spacestore::server {
namespace {

// The name as the server reads it: percent-escapes decoded and lower-cased, so that
// "%74oken" is seen as "token".
std::string DecodedLower(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '%' && i + 2 < name.size() && std::isxdigit(static_cast<unsigned char>(name[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(name[i + 2]))) {
      c = static_cast<char>(std::stoi(std::string(name.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool LooksSecret(std::string_view name) {
  const std::string lower = DecodedLower(name);
  if (lower == "nexttoken") return false;  // A paging cursor, worth keeping for debugging.
  for (const std::string_view word :
       {"sign", "token", "secret", "passw", "key", "credential", "auth", "session"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string RedactTarget(std::string_view target) {
  const size_t query = target.find('?');
  if (query == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, query + 1));
  std::string_view rest = target.substr(query + 1);
  for (bool first = true; first || !rest.empty(); first = false) {
    const size_t end = rest.find('&');
    const std::string_view pair = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    const size_t eq = pair.find('=');
    if (!first) out += '&';
    if (eq != std::string_view::npos && LooksSecret(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append("REDACTED");
    } else {
      out.append(pair);
    }
  }
  return out;
}

AccessLog::AccessLog(bool enabled) {
  if (!enabled) return;
  spdlog::init_thread_pool(8192, 1);
  logger_ = spdlog::create_async_nb<spdlog::sinks::stderr_sink_mt>("access");
  logger_->set_pattern("%v");
}

AccessLog::~AccessLog() {
  if (logger_) {
    logger_->flush();
    spdlog::drop("access");
  }
}

void AccessLog::Record(const AccessRecord& r) {
  if (!logger_) return;
  // The target is client-controlled: serialize it as a JSON string so a crafted path cannot
  // forge log fields. Secret-looking query values are never written.
  logger_->info(
      R"({{"type":"access","request_id":"{}","remote":"{}","method":"{}","target":{},"status":{},"bytes":{},"duration_us":{}}})",
      r.request_id, r.remote, r.method,
      boost::json::serialize(boost::json::string(RedactTarget(r.target))), r.status,
      r.response_bytes, r.duration_us);
}

}  // namespace spacestore::server
