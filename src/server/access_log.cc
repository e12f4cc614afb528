#include "server/access_log.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace spacestore::server {

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
  // forge log fields.
  logger_->info(
      R"({{"type":"access","request_id":"{}","remote":"{}","method":"{}","target":{},"status":{},"bytes":{},"duration_us":{}}})",
      r.request_id, r.remote, r.method, boost::json::serialize(boost::json::string(r.target)),
      r.status, r.response_bytes, r.duration_us);
}

}  // namespace spacestore::server
