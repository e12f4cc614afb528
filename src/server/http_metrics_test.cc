#include "server/http_metrics.h"

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::string_view kSpace = "/spaces/{spaceId}";

std::string Page(const HttpMetrics& metrics) {
  PrometheusText out;
  metrics.Write(out);
  return out.Take();
}

TEST(HttpMetricsTest, AnEmptyPageHasEveryFamily) {
  HttpMetrics metrics;
  EXPECT_EQ(Page(metrics),
            "# HELP spacestore_http_requests_total HTTP requests answered, by method, route "
            "template and status.\n"
            "# TYPE spacestore_http_requests_total counter\n"
            "# HELP spacestore_http_request_duration_seconds Time from a request's head read to "
            "its response written, by method and route.\n"
            "# TYPE spacestore_http_request_duration_seconds histogram\n"
            "# HELP spacestore_http_request_body_bytes_total Request body bytes received, by "
            "method and route.\n"
            "# TYPE spacestore_http_request_body_bytes_total counter\n"
            "# HELP spacestore_http_response_body_bytes_total Response body bytes sent, by method "
            "and route.\n"
            "# TYPE spacestore_http_response_body_bytes_total counter\n"
            "# HELP spacestore_http_open_connections Client connections open now.\n"
            "# TYPE spacestore_http_open_connections gauge\n"
            "spacestore_http_open_connections 0\n");
}

TEST(HttpMetricsTest, CountsByMethodRouteAndStatus) {
  HttpMetrics metrics;
  metrics.Record("GET", kSpace, 200, 0, 500, microseconds(300));
  metrics.Record("GET", kSpace, 200, 0, 520, milliseconds(7));
  metrics.Record("GET", kSpace, 404, 0, 100, milliseconds(2));
  metrics.Record("BREW", "", 404, 12, 80, milliseconds(6000));
  metrics.ConnectionOpened();
  metrics.ConnectionOpened();
  metrics.ConnectionClosed();
  const std::string page = Page(metrics);
  const std::string expected =
      "# HELP spacestore_http_requests_total HTTP requests answered, by method, route template "
      "and status.\n"
      "# TYPE spacestore_http_requests_total counter\n"
      "spacestore_http_requests_total{method=\"GET\",route=\"/spaces/{spaceId}\",status=\"200\"} "
      "2\n"
      "spacestore_http_requests_total{method=\"GET\",route=\"/spaces/{spaceId}\",status=\"404\"} "
      "1\n"
      "spacestore_http_requests_total{method=\"other\",route=\"unmatched\",status=\"404\"} 1\n"
      "# HELP spacestore_http_request_duration_seconds Time from a request's head read to its "
      "response written, by method and route.\n"
      "# TYPE spacestore_http_request_duration_seconds histogram\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"0.001\"} 1\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"0.005\"} 2\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"0.01\"} 3\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"0.05\"} 3\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"0.1\"} 3\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"0.5\"} 3\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"1\"} 3\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"5\"} 3\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/spaces/"
      "{spaceId}\",le=\"+Inf\"} 3\n"
      "spacestore_http_request_duration_seconds_sum{method=\"GET\",route=\"/spaces/{spaceId}\"} "
      "0.0093\n"
      "spacestore_http_request_duration_seconds_count{method=\"GET\",route=\"/spaces/"
      "{spaceId}\"} 3\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"0.001\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"0.005\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"0.01\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"0.05\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"0.1\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"0.5\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"1\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"5\"} 0\n"
      "spacestore_http_request_duration_seconds_bucket{method=\"other\",route=\"unmatched\","
      "le=\"+Inf\"} 1\n"
      "spacestore_http_request_duration_seconds_sum{method=\"other\",route=\"unmatched\"} 6\n"
      "spacestore_http_request_duration_seconds_count{method=\"other\",route=\"unmatched\"} 1\n"
      "# HELP spacestore_http_request_body_bytes_total Request body bytes received, by method "
      "and route.\n"
      "# TYPE spacestore_http_request_body_bytes_total counter\n"
      "spacestore_http_request_body_bytes_total{method=\"GET\",route=\"/spaces/{spaceId}\"} 0\n"
      "spacestore_http_request_body_bytes_total{method=\"other\",route=\"unmatched\"} 12\n"
      "# HELP spacestore_http_response_body_bytes_total Response body bytes sent, by method and "
      "route.\n"
      "# TYPE spacestore_http_response_body_bytes_total counter\n"
      "spacestore_http_response_body_bytes_total{method=\"GET\",route=\"/spaces/{spaceId}\"} "
      "1120\n"
      "spacestore_http_response_body_bytes_total{method=\"other\",route=\"unmatched\"} 80\n"
      "# HELP spacestore_http_open_connections Client connections open now.\n"
      "# TYPE spacestore_http_open_connections gauge\n"
      "spacestore_http_open_connections 1\n";
  EXPECT_EQ(page, expected);
}

TEST(HttpMetricsTest, EqualTemplatesAtDifferentAddressesAreOneSeries) {
  HttpMetrics metrics;
  const std::string a(kSpace);
  const std::string b(kSpace);
  metrics.Record("GET", a, 200, 0, 1, microseconds(1));
  metrics.Record("GET", b, 200, 0, 1, microseconds(1));
  metrics.AddBytesIn("GET", b, 5);
  const std::string page = Page(metrics);
  EXPECT_NE(page.find("spacestore_http_requests_total{method=\"GET\",route=\"/spaces/{spaceId}\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("spacestore_http_request_body_bytes_total{method=\"GET\",route=\"/spaces/"
                      "{spaceId}\"} 5\n"),
            std::string::npos)
      << page;
}

TEST(HttpMetricsTest, ConcurrentRecordsAreAllCounted) {
  HttpMetrics metrics;
  const std::vector<std::string> routes = {"/a", "/b", "/c", "/d"};
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.Record("GET", routes[i % routes.size()], 200 + (i % 3), 1, 1, microseconds(1));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string page = Page(metrics);
  for (const auto& route : routes) {
    EXPECT_NE(page.find("spacestore_http_request_duration_seconds_count{method=\"GET\",route=\"" +
                        route + "\"} 20000\n"),
              std::string::npos)
        << page;
  }
}

TEST(HttpMetricsTest, ConnectionScopeCountsALiveConnection) {
  HttpMetrics metrics;
  {
    const HttpMetrics::ConnectionScope scope(&metrics);
    EXPECT_NE(Page(metrics).find("spacestore_http_open_connections 1\n"), std::string::npos);
  }
  EXPECT_NE(Page(metrics).find("spacestore_http_open_connections 0\n"), std::string::npos);
  const HttpMetrics::ConnectionScope nothing(nullptr);  // No metrics: nothing happens.
}

}  // namespace
}  // namespace spacestore::server
