#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"
#include "domain/collector.h"
#include "domain/metadata_store.h"
#include "server/http_message.h"
#include "server/http_metrics.h"

namespace spacestore::app {

// The store operations whose backend failures are counted, by kind: the label
// `operation` of spacestore_store_errors_total.
enum class StoreOp {
  kMetadataTransact,  // MetadataStore::Transact: every write.
  kMetadataView,      // MetadataStore::View: a read snapshot.
  kMetadataRead,      // MetadataStore::ReadOne and the GetSpace/GetDentries fast paths.
  kBlobWrite,         // BlobStore::NewWriter, BlobWriter::Append.
  kBlobCommit,        // BlobWriter::Commit: fsync and rename.
  kBlobRead,          // BlobStore::Open, BlobReader::ReadAt.
  kBlobExists,        // BlobStore::Exists.
  kBlobRemove,        // BlobStore::Remove, RestoreSetAside, PurgeSetAside.
  kBlobList,          // BlobStore::List, SweepStaging, ListSetAside.
};
inline constexpr size_t kStoreOpCount = 9;

// Who may read GET /metrics (ServeConfig::metrics).
enum class MetricsAccess { kLoopback, kAny, kOff };

// ServiceMetrics is what GET /metrics shows for one server process: the HTTP server's counts
// (server::HttpMetrics), the collector's work, store failures by operation, and, read from the
// store at scrape time, each org's used, reserved and capacity bytes and the upload sessions
// still open. Counters only grow from start; a restart sets them back to zero, as Prometheus
// expects of counters.
//
// Ownership: owns its counters; borrows the metadata store it reads at scrape time and the
// clock, which must outlive it.
// Thread-safety: thread-safe. Counting is atomic with relaxed ordering (no lock); a scrape runs
// its own store reads on the calling thread.
class ServiceMetrics {
 public:
  ServiceMetrics(domain::MetadataStore& store, const Clock& clock, MetricsAccess access);
  ServiceMetrics(const ServiceMetrics&) = delete;
  ServiceMetrics& operator=(const ServiceMetrics&) = delete;

  // The HTTP server's counters: hand them to HttpServerOptions::metrics.
  server::HttpMetrics& http() { return http_; }

  // Counts one collector pass: its removals, or a failed run.
  void RecordCollection(const Result<domain::CollectStats>& pass);
  // Counts one backend failure (kUnavailable or kInternal) of operation `op`.
  void CountStoreError(StoreOp op);

  // Answers GET /metrics: 200 with the page, 403 to a peer `access` does not admit. With
  // MetricsAccess::kOff the frontend does not route here.
  server::HttpResponse Answer(const server::HttpRequest& request);
  // The page in the Prometheus text format 0.0.4. The store figures are read in one snapshot;
  // if the store fails, they are left out and spacestore_metrics_store_up is 0.
  std::string Render();

  MetricsAccess access() const { return access_; }

 private:
  domain::MetadataStore& store_;
  const Clock& clock_;
  const MetricsAccess access_;
  server::HttpMetrics http_;
  std::atomic<uint64_t> collector_runs_{0};
  std::atomic<uint64_t> collector_failures_{0};
  std::atomic<uint64_t> expired_uploads_{0};
  std::atomic<uint64_t> blobs_removed_{0};
  std::atomic<uint64_t> blob_bytes_removed_{0};
  std::atomic<uint64_t> staging_removed_{0};
  std::atomic<uint64_t> set_aside_restored_{0};
  std::atomic<uint64_t> set_aside_purged_{0};
  std::array<std::atomic<uint64_t>, kStoreOpCount> store_errors_{};
};

// Whether `remote` (an address as HttpRequest::remote holds it) is a loopback address:
// 127.0.0.0/8, ::1, or 127.0.0.0/8 mapped into IPv6.
bool IsLoopback(std::string_view remote);

}  // namespace spacestore::app
