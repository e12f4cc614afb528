// HttpEventPusher: an event as one signed POST. The URL is parsed with Boost.URL on every push
// (it may change between pushes: `admin app set`); clients are kept per origin so keep-alive
// connections are reused across events.
#include "app/http_event_pusher.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <utility>

#include "base/clock.h"
#include "base/crypto.h"
#include "storage/blob/s3/http_client.h"

namespace spacestore::app {

namespace {

// Replies are read only for their status; a longer answer fails the attempt (documented).
constexpr size_t kReplyLimit = size_t{64} * 1024;
// More origins than this (URLs changed many times) start the cache afresh.
constexpr size_t kMaxClients = 64;

}  // namespace

std::string EventSignature(std::string_view secret, int64_t timestamp_seconds,
                           std::string_view body) {
  std::string payload = std::to_string(timestamp_seconds);
  payload += '.';
  payload += body;
  return "v1=" + HexEncode(HmacSha256(secret, payload));
}

HttpEventPusher::HttpEventPusher(const Clock& clock, HttpEventPusherOptions options)
    : clock_(clock), options_(std::move(options)) {}

HttpEventPusher::~HttpEventPusher() = default;

std::shared_ptr<storage::s3::HttpClient> HttpEventPusher::ClientFor(const std::string& origin,
                                                                    bool tls,
                                                                    const std::string& host,
                                                                    const std::string& port) {
  MutexLock lock(mu_);
  auto it = clients_.find(origin);
  if (it != clients_.end()) return it->second;
  if (clients_.size() >= kMaxClients) clients_.clear();
  storage::s3::HttpClientOptions client_options{.connect_timeout = options_.timeout,
                                                .io_timeout = options_.timeout,
                                                .max_idle = 2,
                                                .tls = tls,
                                                .ca_file = ""};
  auto client = std::make_shared<storage::s3::HttpClient>(host, port, client_options);
  clients_.emplace(origin, client);
  return client;
}

Result<void> HttpEventPusher::Push(const domain::App& app, const domain::Event& event,
                                   int attempt) {
  auto url = boost::urls::parse_absolute_uri(app.event_url);
  if (!url || !url->has_authority() || url->host().empty() ||
      (url->scheme() != "http" && url->scheme() != "https")) {
    return MakeError(Errc::kInvalidArgument, "eventUrl", "not an http(s) URL");
  }
  const bool tls = url->scheme() == "https";
  std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
  // An IPv6 literal is connected to without its brackets.
  std::string host = url->host_type() == boost::urls::host_type::ipv6
                         ? std::string(url->encoded_host_address())
                         : std::string(url->encoded_host());
  std::string target = std::string(url->encoded_path());
  if (target.empty()) target = "/";
  if (url->has_query()) target += "?" + std::string(url->encoded_query());
  // Held for the whole push: another worker may clear the cache meanwhile.
  const auto client =
      ClientFor(std::string(url->scheme()) + "://" + host + ":" + port, tls, host, port);

  const std::string body = options_.render(event);
  const int64_t timestamp = clock_.NowMillis() / 1000;
  storage::s3::HttpRequest request{
      .method = "POST",
      .target = std::move(target),
      .headers = {{"Content-Type", "application/json"},
                  {"User-Agent", "spacestore-events/1"},
                  {"X-Spacestore-Event-Id", event.event_id},
                  {"X-Spacestore-Event-Type", event.type},
                  {"X-Spacestore-Event-Seq", std::to_string(event.seq)},
                  {"X-Spacestore-Delivery-Attempt", std::to_string(attempt)},
                  {"X-Spacestore-Timestamp", std::to_string(timestamp)},
                  {"X-Spacestore-Signature", EventSignature(app.event_secret, timestamp, body)}},
      .body = body};
  auto reply = client->Send(request, kReplyLimit);
  if (!reply) return MakeError(Errc::kUnavailable, "eventUrl", reply.error().message);
  if (reply->status < 200 || reply->status > 299) {
    return MakeError(Errc::kUnavailable, "eventUrl", "HTTP " + std::to_string(reply->status));
  }
  return {};
}

}  // namespace spacestore::app
