// HttpMetrics: a fixed open-addressed table of per-(method, route) slots, keyed by the address
// of the route text. Hashing or comparing the text on every request would cost more than the
// counting; a map under a mutex would put a lock on the request path. A slot is claimed once
// (free -> claiming -> ready); a thread that meets a slot being claimed probes on, so the same
// pair can end up in two slots, which Write merges. Write also merges equal texts at different
// addresses.
#include "server/http_metrics.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include <fmt/format.h>

namespace spacestore::server {
namespace {

enum SlotState : int { kFree = 0, kClaiming = 1, kReady = 2 };

// Methods get their own label value; anything else (Beast accepts any token) is "other".
constexpr std::array<std::string_view, 8> kMethods = {"other", "GET",    "HEAD",  "POST",
                                                      "PUT",   "DELETE", "PATCH", "OPTIONS"};

int MethodIndex(std::string_view method) {
  for (size_t i = 1; i < kMethods.size(); ++i) {
    if (kMethods[i] == method) return static_cast<int>(i);
  }
  return 0;
}

constexpr auto kRelaxed = std::memory_order_relaxed;

struct Totals {
  std::map<uint32_t, uint64_t> statuses;  // 0: "other".
  std::array<uint64_t, HttpMetrics::kLatencyBounds.size() + 1> latency{};
  uint64_t latency_sum_ns = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

std::string BoundLabel(double bound) { return fmt::format("{}", bound); }

}  // namespace

HttpMetrics::HttpMetrics() : slots_(std::make_unique<std::array<Slot, kSlots>>()) {
  for (size_t i = 0; i < kLatencyBounds.size(); ++i) {
    bounds_ns_[i] = static_cast<uint64_t>(kLatencyBounds[i] * 1e9);
  }
  overflow_.route_data = "other";
  overflow_.route_size = 5;
}

HttpMetrics::Slot& HttpMetrics::SlotFor(std::string_view method, std::string_view route) {
  if (route.empty()) route = kUnmatched;
  const int method_index = MethodIndex(method);
  // The calling thread's shard, fixed at its first request.
  static std::atomic<int> next_shard{0};
  thread_local const int shard = next_shard.fetch_add(1, kRelaxed) % kShards;
  const auto key = reinterpret_cast<uintptr_t>(route.data());
  size_t at = ((key >> 3) * 31 + static_cast<size_t>(method_index) +
               static_cast<size_t>(shard) * (kSlots / kShards)) %
              kSlots;
  for (size_t probes = 0; probes < kSlots; ++probes, at = (at + 1) % kSlots) {
    Slot& slot = (*slots_)[at];
    int state = slot.state.load(std::memory_order_acquire);
    if (state == kFree) {
      if (slot.state.compare_exchange_strong(state, kClaiming, std::memory_order_acquire)) {
        slot.route_data = route.data();
        slot.route_size = route.size();
        slot.method = method_index;
        slot.shard = shard;
        slot.state.store(kReady, std::memory_order_release);
        return slot;
      }
    }
    if (state == kReady && slot.route_data == route.data() && slot.route_size == route.size() &&
        slot.method == method_index && slot.shard == shard) {
      return slot;
    }
  }
  // Shown from its first use on (the key was written in the constructor).
  overflow_.state.store(kReady, std::memory_order_release);
  return overflow_;
}

void HttpMetrics::Record(std::string_view method, std::string_view route, int status,
                         uint64_t bytes_in, uint64_t bytes_out, std::chrono::nanoseconds elapsed) {
  Slot& slot = SlotFor(method, route);
  const auto code = static_cast<uint32_t>(status);
  bool counted = false;
  for (StatusCount& entry : slot.statuses) {
    uint32_t seen = entry.status.load(kRelaxed);
    if (seen == 0 && entry.status.compare_exchange_strong(seen, code, kRelaxed)) seen = code;
    if (seen == code) {
      entry.count.fetch_add(1, kRelaxed);
      counted = true;
      break;
    }
  }
  if (!counted) slot.other_status.fetch_add(1, kRelaxed);
  const auto ns = static_cast<uint64_t>(std::max<int64_t>(0, elapsed.count()));
  size_t bucket = 0;
  while (bucket < bounds_ns_.size() && ns > bounds_ns_[bucket]) ++bucket;
  slot.latency[bucket].fetch_add(1, kRelaxed);
  slot.latency_sum_ns.fetch_add(ns, kRelaxed);
  if (bytes_in != 0) slot.bytes_in.fetch_add(bytes_in, kRelaxed);
  slot.bytes_out.fetch_add(bytes_out, kRelaxed);
}

void HttpMetrics::AddBytesIn(std::string_view method, std::string_view route, uint64_t bytes) {
  SlotFor(method, route).bytes_in.fetch_add(bytes, kRelaxed);
}

void HttpMetrics::Write(PrometheusText& out) const {
  // Merge the slots by (method, route text): the page has one series per pair.
  std::map<std::pair<std::string_view, std::string_view>, Totals> series;
  auto add = [&](const Slot& slot) {
    if (slot.state.load(std::memory_order_acquire) != kReady) return;
    Totals& t = series[{kMethods[slot.method], std::string_view(slot.route_data, slot.route_size)}];
    for (const StatusCount& entry : slot.statuses) {
      const uint32_t status = entry.status.load(kRelaxed);
      const uint64_t count = entry.count.load(kRelaxed);
      if (status != 0 && count != 0) t.statuses[status] += count;
    }
    if (const uint64_t other = slot.other_status.load(kRelaxed); other != 0) {
      t.statuses[0] += other;
    }
    for (size_t i = 0; i < t.latency.size(); ++i) t.latency[i] += slot.latency[i].load(kRelaxed);
    t.latency_sum_ns += slot.latency_sum_ns.load(kRelaxed);
    t.bytes_in += slot.bytes_in.load(kRelaxed);
    t.bytes_out += slot.bytes_out.load(kRelaxed);
  };
  for (const Slot& slot : *slots_) add(slot);
  add(overflow_);

  out.Family("spacestore_http_requests_total", "counter",
             "HTTP requests answered, by method, route template and status.");
  for (const auto& [key, t] : series) {
    for (const auto& [status, count] : t.statuses) {
      const std::string code = status == 0 ? "other" : std::to_string(status);
      out.Sample("spacestore_http_requests_total",
                 {{"method", key.first}, {"route", key.second}, {"status", code}}, count);
    }
  }
  out.Family("spacestore_http_request_duration_seconds", "histogram",
             "Time from a request's head read to its response written, by method and route.");
  for (const auto& [key, t] : series) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < t.latency.size(); ++i) {
      cumulative += t.latency[i];
      const std::string le = i < kLatencyBounds.size() ? BoundLabel(kLatencyBounds[i]) : "+Inf";
      out.Sample("spacestore_http_request_duration_seconds_bucket",
                 {{"method", key.first}, {"route", key.second}, {"le", le}}, cumulative);
    }
    out.SampleSeconds("spacestore_http_request_duration_seconds_sum",
                      {{"method", key.first}, {"route", key.second}}, t.latency_sum_ns);
    out.Sample("spacestore_http_request_duration_seconds_count",
               {{"method", key.first}, {"route", key.second}}, cumulative);
  }
  out.Family("spacestore_http_request_body_bytes_total", "counter",
             "Request body bytes received, by method and route.");
  for (const auto& [key, t] : series) {
    out.Sample("spacestore_http_request_body_bytes_total",
               {{"method", key.first}, {"route", key.second}}, t.bytes_in);
  }
  out.Family("spacestore_http_response_body_bytes_total", "counter",
             "Response body bytes sent, by method and route.");
  for (const auto& [key, t] : series) {
    out.Sample("spacestore_http_response_body_bytes_total",
               {{"method", key.first}, {"route", key.second}}, t.bytes_out);
  }
  out.Family("spacestore_http_open_connections", "gauge", "Client connections open now.");
  out.Sample("spacestore_http_open_connections", {}, open_connections_.load(kRelaxed));
}

}  // namespace spacestore::server
