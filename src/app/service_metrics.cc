// ServiceMetrics: counters are atomics bumped where the work happens; figures that live in the
// store (bytes per org, open upload sessions) are read when Prometheus scrapes, so the request
// path never pays for them and they are never stale or lost across restarts or nodes.
#include "app/service_metrics.h"

#include <vector>

#include "server/prometheus_text.h"

namespace spacestore::app {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

constexpr std::array<std::pair<std::string_view, std::string_view>, kStoreOpCount> kStoreOps = {{
    {"metadata", "transact"},
    {"metadata", "view"},
    {"metadata", "read"},
    {"blob", "write"},
    {"blob", "commit"},
    {"blob", "read"},
    {"blob", "exists"},
    {"blob", "remove"},
    {"blob", "list"},
}};

struct OrgUsage {
  std::string corp_id;
  domain::UsageTotals totals;
};

struct StoreFigures {
  std::vector<OrgUsage> orgs;
  int64_t open_uploads = 0;
};

void Counter(server::PrometheusText& out, std::string_view name, std::string_view help,
             const std::atomic<uint64_t>& value) {
  out.Family(name, "counter", help);
  out.Sample(name, {}, value.load(kRelaxed));
}

}  // namespace

bool IsLoopback(std::string_view remote) {
  return remote.starts_with("127.") || remote == "::1" || remote.starts_with("::ffff:127.");
}

ServiceMetrics::ServiceMetrics(domain::MetadataStore& store, const Clock& clock,
                               MetricsAccess access)
    : store_(store), clock_(clock), access_(access) {}

void ServiceMetrics::RecordCollection(const Result<domain::CollectStats>& pass) {
  collector_runs_.fetch_add(1, kRelaxed);
  if (!pass) {
    collector_failures_.fetch_add(1, kRelaxed);
    return;
  }
  expired_uploads_.fetch_add(static_cast<uint64_t>(pass->expired_uploads), kRelaxed);
  blobs_removed_.fetch_add(static_cast<uint64_t>(pass->blobs_removed), kRelaxed);
  blob_bytes_removed_.fetch_add(static_cast<uint64_t>(pass->blob_bytes_removed), kRelaxed);
  staging_removed_.fetch_add(static_cast<uint64_t>(pass->staging_removed), kRelaxed);
  set_aside_restored_.fetch_add(static_cast<uint64_t>(pass->set_aside_restored), kRelaxed);
  set_aside_purged_.fetch_add(static_cast<uint64_t>(pass->set_aside_purged), kRelaxed);
}

void ServiceMetrics::CountStoreError(StoreOp op) {
  store_errors_[static_cast<size_t>(op)].fetch_add(1, kRelaxed);
}

server::HttpResponse ServiceMetrics::Answer(const server::HttpRequest& request) {
  if (access_ == MetricsAccess::kLoopback && !IsLoopback(request.remote)) {
    auto refused = server::MakeResponse(
        403, "/metrics is served to loopback clients only (--metrics any serves everyone)\n",
        "text/plain; charset=utf-8");
    refused.route = "/metrics";
    return refused;
  }
  auto page =
      server::MakeResponse(200, Render(), std::string(server::PrometheusText::kContentType));
  page.route = "/metrics";
  return page;
}

std::string ServiceMetrics::Render() {
  server::PrometheusText out;
  http_.Write(out);

  Counter(out, "spacestore_collector_runs_total", "Collector passes started.", collector_runs_);
  Counter(out, "spacestore_collector_failed_runs_total",
          "Collector passes that stopped on a store error.", collector_failures_);
  Counter(out, "spacestore_collector_expired_uploads_total",
          "Expired upload sessions removed, their reservations released.", expired_uploads_);
  Counter(out, "spacestore_collector_blobs_removed_total", "Unreferenced blobs removed.",
          blobs_removed_);
  Counter(out, "spacestore_collector_blob_bytes_removed_total",
          "Bytes of the unreferenced blobs removed.", blob_bytes_removed_);
  Counter(out, "spacestore_collector_staging_files_removed_total",
          "Abandoned staging files removed.", staging_removed_);
  Counter(out, "spacestore_collector_set_aside_restored_total",
          "Set-aside blobs restored: a commit that raced their removal references them.",
          set_aside_restored_);
  Counter(out, "spacestore_collector_set_aside_purged_total",
          "Set-aside blobs deleted for good, unreferenced past the grace period.",
          set_aside_purged_);

  out.Family("spacestore_store_errors_total", "counter",
             "Store operations that failed in the backend (unavailable or internal), by store "
             "and operation.");
  for (size_t i = 0; i < kStoreOpCount; ++i) {
    out.Sample("spacestore_store_errors_total",
               {{"store", kStoreOps[i].first}, {"operation", kStoreOps[i].second}},
               store_errors_[i].load(kRelaxed));
  }

  // One snapshot, so the orgs' figures agree with each other.
  const int64_t now = clock_.NowMillis();
  auto figures = store_.Snapshot([&](domain::MetadataTransaction& tx) -> Result<StoreFigures> {
    StoreFigures f;
    auto orgs = tx.identity().ListOrgs();
    if (!orgs) return orgs.error();
    for (const auto& org : *orgs) {
      auto totals = tx.spaces().Totals(org.corp_id, "");
      if (!totals) return totals.error();
      f.orgs.push_back({org.corp_id, *totals});
    }
    auto open = tx.uploads().CountOpen(now);
    if (!open) return open.error();
    f.open_uploads = *open;
    return f;
  });
  out.Family("spacestore_metrics_store_up", "gauge",
             "1 if this scrape read the store figures below, 0 if the store failed.");
  out.Sample("spacestore_metrics_store_up", {}, uint64_t{figures ? 1U : 0U});
  if (!figures) return out.Take();

  out.Family("spacestore_upload_sessions_open", "gauge",
             "Upload sessions authorized and neither committed nor expired.");
  out.Sample("spacestore_upload_sessions_open", {}, figures->open_uploads);
  out.Family("spacestore_org_used_bytes", "gauge", "Bytes stored by the spaces of an org.");
  for (const auto& org : figures->orgs) {
    out.Sample("spacestore_org_used_bytes", {{"corp_id", org.corp_id}}, org.totals.org_used);
  }
  out.Family("spacestore_org_reserved_bytes", "gauge",
             "Bytes an org holds back for authorized uploads.");
  for (const auto& org : figures->orgs) {
    out.Sample("spacestore_org_reserved_bytes", {{"corp_id", org.corp_id}},
               org.totals.org_reserved);
  }
  out.Family("spacestore_org_capacity_bytes", "gauge", "An org's capacity.");
  for (const auto& org : figures->orgs) {
    out.Sample("spacestore_org_capacity_bytes", {{"corp_id", org.corp_id}},
               org.totals.org_capacity);
  }
  return out.Take();
}

}  // namespace spacestore::app
