#pragma once

#include "api/console/console_api.h"
#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/koodrive/koodrive_api.h"
#include "api/pages/open_pages.h"
#include "api/transfer/transfer_api.h"
#include "app/service_metrics.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"
#include "server/http_server.h"

namespace spacestore::app {

// Frontend is the HttpHandler the server calls: it answers the health probes and GET /metrics
// and hands every other request to the API its path prefix names: /blobs/ to the transfer
// endpoints, /koodrive/ to KooDrive, /console to the web console, /open/ and /office/ to the
// open-link pages, everything else to DingTalk, whose error shape is the default. Every response
// carries its route template (HttpResponse::route) for the metrics; upload bodies are counted as
// they stream in. GET /readyz is 200 while the metadata store and the blob store both answer a
// cheap read (one query, one HEAD or stat), else 503, so a balancer takes a node whose
// PostgreSQL or bucket is out of reach out of rotation.
// Thread-safety: thread-safe. Borrows the APIs, the stores and the metrics.
class Frontend final : public server::HttpHandler {
 public:
  // `metrics` null, or with MetricsAccess::kOff: /metrics is not served (it falls through to
  // DingTalk's 404 like any unknown path) and upload bodies are not counted.
  Frontend(api::dingtalk_v1::DingTalkApi& dingtalk, api::koodrive::KooDriveApi& koodrive,
           api::transfer::TransferApi& transfer, const api::console::ConsoleApi& console,
           api::pages::OpenPages& pages, domain::MetadataStore& store, domain::BlobStore& blobs,
           ServiceMetrics* metrics = nullptr);

  // Whether HandleInline may answer the hot DingTalk reads on the I/O thread: only over a
  // store that answers them from memory and refuses the rest at once (SQLite), never over one
  // whose every read is a network round trip (PostgreSQL). Off by default.
  void AnswerHotReadsInline(bool on) { inline_reads_ = on; }

  // HttpHandler
  server::HttpResponse Handle(server::HttpRequest& request) override;
  std::optional<server::HttpResponse> HandleInline(server::HttpRequest& request) override;
  bool StreamsBody(const server::HttpRequest& head) const override;
  server::BodyStart OpenBody(server::HttpRequest& head) override;
  std::optional<server::HttpResponse> Admit(const server::HttpRequest& head) override;
  server::HttpResponse Reject(int status, const server::HttpRequest& request) noexcept override;

 private:
  api::dingtalk_v1::DingTalkApi& dingtalk_;
  api::koodrive::KooDriveApi& koodrive_;
  api::transfer::TransferApi& transfer_;
  const api::console::ConsoleApi& console_;
  api::pages::OpenPages& pages_;
  domain::MetadataStore& store_;
  domain::BlobStore& blobs_;
  ServiceMetrics* metrics_;
  bool inline_reads_ = false;
};

}  // namespace spacestore::app
