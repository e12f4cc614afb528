#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "server/prometheus_text.h"

namespace spacestore::server {

// HttpMetrics counts what the HTTP server answers: requests by method, route template and
// status; a latency histogram and request and response body bytes by method and route; open
// connections. The route is the template the router matched (never the raw path, whose ids
// would make every request a new series); a request no route matched counts as "unmatched",
// and a method outside the usual verbs as "other", so the number of series stays bounded.
//
// The request path only touches atomics, with relaxed ordering: no mutex, no allocation. Each
// (method, route) pair gets a slot in a fixed open-addressed table on its first request,
// claimed by compare-and-swap; the slot is found again by the address of the route text,
// which therefore must stay valid while the server runs (a route table's template or a string
// literal). Each thread counts in slots of its own shard (the key includes it, Write merges
// them): atomics shared by the socket threads made every request bounce cache lines between
// cores, which cost GetSpace about 7% of its rate in one run. Counts are read without a global
// snapshot, so one scrape may show a request in one family and not yet in another; each counter on
// its own only grows.
//
// Ownership: owns its counters; borrows nothing.
// Thread-safety: thread-safe; every method may be called from any thread.
class HttpMetrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds (a last bucket, +Inf, takes
  // the rest). GetSpace takes well under a millisecond; uploads and downloads take seconds.
  static constexpr std::array<double, 8> kLatencyBounds = {0.001, 0.005, 0.01, 0.05,
                                                           0.1,   0.5,   1,    5};
  // The route label of a request no route matched (404, or refused before routing).
  static constexpr std::string_view kUnmatched = "unmatched";

  HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  // Counts one answered request: `route` is the matched template (empty: unmatched);
  // `bytes_in` the request body received, `bytes_out` the response body sent, `elapsed` the
  // time from its head read to its response written.
  void Record(std::string_view method, std::string_view route, int status, uint64_t bytes_in,
              uint64_t bytes_out, std::chrono::nanoseconds elapsed);
  // Adds request body bytes as they arrive (a streamed upload, whose Record gets 0).
  void AddBytesIn(std::string_view method, std::string_view route, uint64_t bytes);

  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }

  // Writes every family (HELP and TYPE lines even before the first request), series sorted by
  // method, route and status so that the page is stable.
  void Write(PrometheusText& out) const;

  // Marks one connection open for its lifetime; a null `metrics` does nothing.
  class ConnectionScope {
   public:
    explicit ConnectionScope(HttpMetrics* metrics) : metrics_(metrics) {
      if (metrics_ != nullptr) metrics_->ConnectionOpened();
    }
    ~ConnectionScope() {
      if (metrics_ != nullptr) metrics_->ConnectionClosed();
    }
    ConnectionScope(const ConnectionScope&) = delete;
    ConnectionScope& operator=(const ConnectionScope&) = delete;

   private:
    HttpMetrics* metrics_;
  };

 private:
  // Room for every (method, route) pair the route tables can produce, 405s included; past it
  // requests count in one overflow slot labelled route "other".
  static constexpr size_t kSlots = 512;
  // Distinct statuses kept per slot; more (never seen in practice) count as status "other".
  static constexpr size_t kStatuses = 16;

  struct StatusCount {
    std::atomic<uint32_t> status{0};  // 0: free.
    std::atomic<uint64_t> count{0};
  };
  // Shards of the slot table: threads beyond this many share one.
  static constexpr int kShards = 8;

  struct alignas(64) Slot {
    // kFree -> kClaiming (one thread writes the key) -> kReady (the key is visible).
    std::atomic<int> state{0};
    const char* route_data = nullptr;  // The key, with `method`; written before kReady.
    size_t route_size = 0;
    int method = 0;
    int shard = 0;
    std::array<StatusCount, kStatuses> statuses;
    std::atomic<uint64_t> other_status{0};
    std::array<std::atomic<uint64_t>, kLatencyBounds.size() + 1> latency{};  // Per bucket.
    std::atomic<uint64_t> latency_sum_ns{0};
    std::atomic<uint64_t> bytes_in{0};
    std::atomic<uint64_t> bytes_out{0};
  };

  Slot& SlotFor(std::string_view method, std::string_view route);

  std::unique_ptr<std::array<Slot, kSlots>> slots_;  // On the heap: about 200 KiB.
  Slot overflow_;
  std::array<uint64_t, kLatencyBounds.size()> bounds_ns_{};
  std::atomic<int64_t> open_connections_{0};
};

}  // namespace spacestore::server
