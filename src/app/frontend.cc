#include "app/frontend.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "api/dingtalk_v1/errors.h"
#include "api/koodrive/errors.h"

namespace spacestore::app {
namespace {

// The route templates of what the frontend answers itself and of the transfer URLs, whose
// handler has no route table (api/transfer). String literals: they outlive the server, as
// HttpResponse::route requires.
constexpr std::string_view kLivez = "/livez";
constexpr std::string_view kReadyz = "/readyz";
constexpr std::string_view kMetrics = "/metrics";
constexpr std::string_view kUploadRoute = "/blobs/upload/{uploadKey}";
constexpr std::string_view kPartRoute = "/blobs/upload/{uploadKey}/{partNumber}";
constexpr std::string_view kDownloadRoute = "/blobs/download/{spaceId}/{dentryId}/{version}";
constexpr std::string_view kThumbnailRoute = "/blobs/thumbnail/{spaceId}/{dentryId}/{version}";

bool IsKooDrive(const server::HttpRequest& request) {
  return request.path.starts_with("/koodrive/");
}

bool IsTransfer(const server::HttpRequest& request) { return request.path.starts_with("/blobs/"); }

server::HttpResponse Probe(int status, const char* state, std::string_view route) {
  auto response = server::MakeResponse(status, std::string(R"({"status":")") + state + "\"}");
  response.route = route;
  return response;
}

// The template of a /blobs/ path by its shape: non-empty segments after the prefix. Empty
// (unmatched) for anything else.
std::string_view TransferRoute(std::string_view path) {
  auto segments_after = [&](std::string_view prefix) -> std::optional<int> {
    if (!path.starts_with(prefix)) return std::nullopt;
    path.remove_prefix(prefix.size());
    int count = 0;
    for (size_t pos = 0; pos <= path.size();) {
      const size_t end = std::min(path.find('/', pos), path.size());
      if (end == pos) return std::nullopt;  // An empty segment.
      ++count;
      pos = end + 1;
    }
    return count;
  };
  if (auto n = segments_after("/blobs/upload/")) {
    if (*n == 1) return kUploadRoute;
    if (*n == 2) return kPartRoute;
    return {};
  }
  if (auto n = segments_after("/blobs/download/"); n && *n == 3) return kDownloadRoute;
  if (auto n = segments_after("/blobs/thumbnail/"); n && *n == 3) return kThumbnailRoute;
  return {};
}

// Counts an upload's body as it arrives and labels its answer with the upload's route.
class CountingSink final : public server::BodySink {
 public:
  CountingSink(std::unique_ptr<server::BodySink> sink, server::HttpMetrics& metrics,
               std::string_view route)
      : sink_(std::move(sink)), metrics_(metrics), route_(route) {}

  std::optional<server::HttpResponse> Write(std::string_view chunk) override {
    metrics_.AddBytesIn("PUT", route_, chunk.size());
    auto refusal = sink_->Write(chunk);
    if (refusal) refusal->route = route_;
    return refusal;
  }
  server::HttpResponse Finish() override {
    auto response = sink_->Finish();
    response.route = route_;
    return response;
  }

 private:
  std::unique_ptr<server::BodySink> sink_;
  server::HttpMetrics& metrics_;
  std::string_view route_;
};

}  // namespace

Frontend::Frontend(api::dingtalk_v1::DingTalkApi& dingtalk, api::koodrive::KooDriveApi& koodrive,
                   api::transfer::TransferApi& transfer, const api::console::ConsoleApi& console,
                   api::pages::OpenPages& pages, domain::MetadataStore& store,
                   domain::BlobStore& blobs, ServiceMetrics* metrics)
    : dingtalk_(dingtalk),
      koodrive_(koodrive),
      transfer_(transfer),
      console_(console),
      pages_(pages),
      store_(store),
      blobs_(blobs),
      metrics_(metrics != nullptr && metrics->access() != MetricsAccess::kOff ? metrics : nullptr) {
}

server::HttpResponse Frontend::Handle(server::HttpRequest& request) {
  if (request.path == kLivez && request.method == "GET") return Probe(200, "ok", kLivez);
  if (request.path == kReadyz && request.method == "GET") {
    // The store is open and migrated once it answers a read (an unknown org is an answer), and
    // the blob store once it answers whether an id no content has is stored (a HEAD on S3, a
    // stat on local files); a failing backend makes this 503.
    auto probe = store_.GetOrg("");
    bool ready = probe || probe.error().code == Errc::kNotFound;
    if (ready) {
      const std::string no_content(64, '0');
      ready = blobs_.Exists(no_content).has_value();
    }
    return ready ? Probe(200, "ready", kReadyz) : Probe(503, "unavailable", kReadyz);
  }
  if (request.path == kMetrics && request.method == "GET" && metrics_ != nullptr) {
    return metrics_->Answer(request);
  }
  if (IsTransfer(request)) {
    auto response = transfer_.Handle(request);
    response.route = TransferRoute(request.path);
    return response;
  }
  if (IsKooDrive(request)) return koodrive_.Handle(request);
  if (api::console::ConsoleApi::Owns(request.path)) return console_.Handle(request);
  if (api::pages::OpenPages::Serves(request.path)) {
    auto response = pages_.Handle(request);
    response.route = api::pages::OpenPages::Route(request.path);
    return response;
  }
  return dingtalk_.Handle(request);
}

std::optional<server::HttpResponse> Frontend::HandleInline(server::HttpRequest& request) {
  // Only DingTalk paths: everything Handle sends elsewhere goes to a worker.
  if (!inline_reads_ || !request.path.starts_with("/v1.0/storage/") || IsKooDrive(request)) {
    return std::nullopt;
  }
  return dingtalk_.HandleInline(request);
}

bool Frontend::StreamsBody(const server::HttpRequest& head) const {
  return api::transfer::TransferApi::IsUpload(head);
}

server::BodyStart Frontend::OpenBody(server::HttpRequest& head) {
  server::BodyStart start = transfer_.OpenUpload(head);
  const std::string_view route = TransferRoute(head.path);
  start.refusal.route = route;
  if (start.sink && metrics_ != nullptr) {
    start.sink = std::make_unique<CountingSink>(std::move(start.sink), metrics_->http(), route);
  }
  return start;
}

std::optional<server::HttpResponse> Frontend::Admit(const server::HttpRequest& head) {
  if (IsTransfer(head)) return std::nullopt;  // Signed requests are checked in OpenBody.
  if (IsKooDrive(head)) return koodrive_.Admit(head);
  // The console checks its own requests (its session cookie) when it answers them.
  if (api::console::ConsoleApi::Owns(head.path)) return std::nullopt;
  // The pages check their own links and tokens when they answer.
  if (api::pages::OpenPages::Serves(head.path)) return std::nullopt;
  // Answered by Handle itself, before either dialect.
  if (head.path == "/livez" || head.path == "/readyz" || head.path == kMetrics) return std::nullopt;
  return dingtalk_.Admit(head);
}

server::HttpResponse Frontend::Reject(int status, const server::HttpRequest& request) noexcept {
  try {
    if (IsTransfer(request)) {
      auto response = api::transfer::TransferApi::RejectResponse(status, request);
      response.route = TransferRoute(request.path);
      return response;
    }
    if (IsKooDrive(request)) return api::koodrive::RejectResponse(status, request);
    return api::dingtalk_v1::RejectResponse(status, request.request_id);
  } catch (...) {
    return server::MakeResponse(500, "{}");
  }
}

}  // namespace spacestore::app
