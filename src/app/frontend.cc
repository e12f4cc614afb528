#include "app/frontend.h"

#include "api/dingtalk_v1/errors.h"
#include "api/koodrive/errors.h"

namespace spacestore::app {
namespace {

bool IsKooDrive(const server::HttpRequest& request) {
  return request.path.starts_with("/koodrive/");
}

bool IsTransfer(const server::HttpRequest& request) { return request.path.starts_with("/blobs/"); }

server::HttpResponse Probe(int status, const char* state) {
  return server::MakeResponse(status, std::string(R"({"status":")") + state + "\"}");
}

}  // namespace

Frontend::Frontend(api::dingtalk_v1::DingTalkApi& dingtalk, api::koodrive::KooDriveApi& koodrive,
                   api::transfer::TransferApi& transfer, domain::MetadataStore& store)
    : dingtalk_(dingtalk), koodrive_(koodrive), transfer_(transfer), store_(store) {}

server::HttpResponse Frontend::Handle(server::HttpRequest& request) {
  if (request.path == "/livez" && request.method == "GET") return Probe(200, "ok");
  if (request.path == "/readyz" && request.method == "GET") {
    // The store is open and migrated once it answers a read (an unknown org is an answer); a
    // failing backend makes this 503.
    auto probe = store_.GetOrg("");
    const bool ready = probe || probe.error().code == Errc::kNotFound;
    return ready ? Probe(200, "ready") : Probe(503, "unavailable");
  }
  if (IsTransfer(request)) return transfer_.Handle(request);
  if (IsKooDrive(request)) return koodrive_.Handle(request);
  return dingtalk_.Handle(request);
}

bool Frontend::StreamsBody(const server::HttpRequest& head) const {
  return api::transfer::TransferApi::IsUpload(head);
}

server::BodyStart Frontend::OpenBody(server::HttpRequest& head) {
  return transfer_.OpenUpload(head);
}

std::optional<server::HttpResponse> Frontend::Admit(const server::HttpRequest& head) {
  if (IsTransfer(head)) return std::nullopt;  // Signed requests are checked in OpenBody.
  if (IsKooDrive(head)) return koodrive_.Admit(head);
  if (head.path == "/livez" || head.path == "/readyz") return std::nullopt;
  return dingtalk_.Admit(head);
}

server::HttpResponse Frontend::Reject(int status, const server::HttpRequest& request) noexcept {
  try {
    if (IsTransfer(request)) return api::transfer::TransferApi::RejectResponse(status, request);
    if (IsKooDrive(request)) return api::koodrive::RejectResponse(status, request);
    return api::dingtalk_v1::RejectResponse(status, request.request_id);
  } catch (...) {
    return server::MakeResponse(500, "{}");
  }
}

}  // namespace spacestore::app
