#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "domain/event_pusher.h"

namespace spacestore::storage::s3 {
class HttpClient;
}

namespace spacestore::app {

// The signature header's value for a push (docs/events.md, "Signatures"):
// "v1=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), timestamp in decimal seconds.
std::string EventSignature(std::string_view secret, int64_t timestamp_seconds,
                           std::string_view body);

struct HttpEventPusherOptions {
  // Renders an event as the JSON body of the log endpoint. REQUIRES: set.
  std::function<std::string(const domain::Event&)> render;
  // Bound on each push: connecting, and sending plus reading the answer, each. Default: 10 s.
  std::chrono::milliseconds timeout{10000};
};

// HttpEventPusher is the EventPusher over HTTP/1.1 (and HTTPS, checked against the system's
// trust store): one POST per event to the app's event URL with the headers of docs/events.md,
// through the HTTP client the S3 adapter uses (storage/blob/s3/http_client.h: keep-alive pools,
// every step bounded). One client per scheme, host and port, made on first use.
//
// Thread-safety: thread-safe. Owns its clients.
class HttpEventPusher final : public domain::EventPusher {
 public:
  HttpEventPusher(const Clock& clock, HttpEventPusherOptions options);
  ~HttpEventPusher() override;

  // EventPusher
  Result<void> Push(const domain::App& app, const domain::Event& event, int attempt) override;

 private:
  // The client for `origin` ("http://host:port"), made on first use. Shared: the cache may
  // drop it while another thread's push still uses it.
  std::shared_ptr<storage::s3::HttpClient> ClientFor(const std::string& origin, bool tls,
                                                     const std::string& host,
                                                     const std::string& port);

  const Clock& clock_;
  const HttpEventPusherOptions options_;
  Mutex mu_;
  std::map<std::string, std::shared_ptr<storage::s3::HttpClient>> clients_ GUARDED_BY(mu_);
};

}  // namespace spacestore::app
