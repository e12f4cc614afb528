// GET /metrics against the real binary: a scrape, then requests of known kinds (a GetSpace, a
// 404, an upload), then a second scrape whose counts must have moved by exactly what was sent;
// the page must parse as the Prometheus text format; who may read it.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::HttpResult;
using testing::ServerProcess;

// One scrape: every sample by its series (name and labels as written), the families named by
// HELP and TYPE lines, and the lines that are neither a comment nor a sample.
struct Scrape {
  std::map<std::string, double> samples;
  std::set<std::string> helped;
  std::map<std::string, std::string> types;
  std::vector<std::string> malformed;

  double At(const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? 0 : it->second;
  }
};

Scrape Parse(const std::string& page) {
  // name{label="value",...} value, with escaped quotes allowed inside values.
  static const std::regex kSample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})?) (-?[0-9.e+]+|\+Inf|NaN)$)");
  static const std::regex kHelp(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  static const std::regex kType(
      R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  Scrape s;
  std::istringstream lines(page);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, m, kHelp)) {
      s.helped.insert(m[1]);
    } else if (std::regex_match(line, m, kType)) {
      s.types[m[1]] = m[2];
    } else if (std::regex_match(line, m, kSample)) {
      s.samples[m[1]] = std::stod(m[5]);
    } else {
      s.malformed.push_back(line);
    }
  }
  return s;
}

// The family a sample belongs to: its name without the labels and a histogram's suffix.
std::string FamilyOf(const std::string& series) {
  std::string name = series.substr(0, series.find('{'));
  for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
    if (name.ends_with(suffix)) {
      const std::string base = name.substr(0, name.size() - suffix.size());
      if (base.ends_with("_seconds")) return base;
    }
  }
  return name;
}

std::string Requests(const std::string& method, const std::string& route, int status) {
  return "spacestore_http_requests_total{method=\"" + method + "\",route=\"" + route +
         "\",status=\"" + std::to_string(status) + "\"}";
}

std::string ByRoute(const std::string& name, const std::string& method, const std::string& route) {
  return name + "{method=\"" + method + "\",route=\"" + route + "\"}";
}

// Requests counted, those to /metrics apart (a test's own scrapes).
double TotalRequests(const Scrape& s) {
  double total = 0;
  for (const auto& [series, value] : s.samples) {
    if (series.starts_with("spacestore_http_requests_total{") &&
        series.find("route=\"/metrics\"") == std::string::npos) {
      total += value;
    }
  }
  return total;
}

double MetricsScrapes(const Scrape& s) {
  return s.At("spacestore_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"}");
}

class MetricsTest : public ::testing::Test {
 protected:
  Scrape ScrapeOnce(HttpResult* raw = nullptr) const {
    const auto r = server_.Request("GET", "/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    if (raw != nullptr) *raw = r;
    return Parse(r.body);
  }

  // A request is counted just after its response is written, so the client can be a moment
  // ahead: scrape until `requests` more requests than `before` (and the scrape `before`) are
  // counted, then the test compares exact figures. `retries` gets how many scrapes were made
  // before the one returned: each may be counted too.
  Scrape ScrapeAfter(const Scrape& before, int requests, int& retries) const {
    Scrape now;
    for (retries = 0; retries < 100; ++retries) {
      now = ScrapeOnce();
      if (TotalRequests(now) - TotalRequests(before) >= requests &&
          MetricsScrapes(now) - MetricsScrapes(before) >= 1) {
        return now;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the counts never caught up";
    return now;
  }

  ServerProcess server_;
};

TEST_F(MetricsTest, CountsMoveByExactlyWhatWasSent) {
  const std::string token = server_.Token();
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"x-acs-dingtalk-access-token", token}};
  const auto created = server_.Request("POST", "/v1.0/storage/spaces?unionId=union1",
                                       R"({"option":{"scene":"metrics"}})", auth);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string space(json::parse(created.body).at("space").at("id").as_string());

  HttpResult first_raw;
  EXPECT_EQ(ScrapeOnce(&first_raw).samples.empty(), false);
  EXPECT_EQ(first_raw.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  // A request is counted just after its answer is written, so the baseline waits until the
  // token call and the AddSpace above are in: counted later, they would look like extra ones.
  int settle_retries = 0;
  const Scrape first = ScrapeAfter(Scrape{}, 2, settle_retries);

  // 1: a GetSpace.
  const auto got =
      server_.Request("GET", "/v1.0/storage/spaces/" + space + "?unionId=union1", "", auth);
  ASSERT_EQ(got.status, 200);
  // 2: a path no route has.
  ASSERT_EQ(server_.Request("GET", "/v1.0/storage/nowhere/42", "", auth).status, 404);
  // 3 and 4: an upload of 1000 bytes, authorized then sent.
  const std::string data(1000, 'x');
  const auto info = server_.Request(
      "POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
      R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":{"preCheckParam":{"size":1000}}})",
      auth);
  ASSERT_EQ(info.status, 200) << info.body;
  const auto signed_info = json::parse(info.body).at("headerSignatureInfo");
  const std::string url(signed_info.at("resourceUrls").at(0).as_string());
  std::vector<std::pair<std::string, std::string>> put_headers;
  for (const auto& [k, v] : signed_info.at("headers").as_object()) {
    put_headers.emplace_back(k, std::string(v.as_string()));
  }
  const auto put = server_.Request("PUT", url.substr(url.find("/blobs/")), data, put_headers);
  ASSERT_EQ(put.status, 200) << put.body;

  // The four requests, and the first scrape.
  int retries = 0;
  const Scrape second = ScrapeAfter(first, 4, retries);
  auto moved = [&](const std::string& series) { return second.At(series) - first.At(series); };

  const std::string get_space = "/v1.0/storage/spaces/{spaceId}";
  const std::string upload_info = "/v1.0/storage/spaces/{spaceId}/files/uploadInfos/query";
  const std::string upload = "/blobs/upload/{uploadKey}";
  EXPECT_EQ(moved(Requests("GET", get_space, 200)), 1);
  EXPECT_EQ(moved(Requests("GET", "unmatched", 404)), 1);
  EXPECT_EQ(moved(Requests("POST", upload_info, 200)), 1);
  EXPECT_EQ(moved(Requests("PUT", upload, 200)), 1);
  EXPECT_GE(moved(Requests("GET", "/metrics", 200)), 1);
  EXPECT_LE(moved(Requests("GET", "/metrics", 200)), 1 + retries);
  EXPECT_EQ(TotalRequests(second) - TotalRequests(first), 4);  // Nothing else was counted.
  // Never the raw path.
  for (const auto& [series, value] : second.samples) {
    EXPECT_EQ(series.find(space), std::string::npos) << series;
  }

  const std::string duration = "spacestore_http_request_duration_seconds";
  EXPECT_EQ(moved(ByRoute(duration + "_count", "GET", get_space)), 1);
  EXPECT_EQ(moved(duration + "_bucket{method=\"GET\",route=\"" + get_space + "\",le=\"+Inf\"}"), 1);
  EXPECT_GT(moved(ByRoute(duration + "_sum", "GET", get_space)), 0);
  EXPECT_EQ(moved(ByRoute("spacestore_http_response_body_bytes_total", "GET", get_space)),
            static_cast<double>(got.body.size()));
  EXPECT_EQ(moved(ByRoute("spacestore_http_request_body_bytes_total", "PUT", upload)), 1000);
  EXPECT_EQ(moved(ByRoute("spacestore_http_response_body_bytes_total", "PUT", upload)),
            static_cast<double>(put.body.size()));

  // Read from the store at scrape time: the upload is open and holds its 1000 bytes.
  EXPECT_EQ(moved("spacestore_upload_sessions_open"), 1);
  EXPECT_EQ(moved("spacestore_org_reserved_bytes{corp_id=\"dingcorp1\"}"), 1000);
  EXPECT_EQ(second.At("spacestore_org_used_bytes{corp_id=\"dingcorp1\"}"), 0);
  EXPECT_EQ(second.At("spacestore_metrics_store_up"), 1);
  EXPECT_GE(second.At("spacestore_http_open_connections"), 1);  // The scrape's own.
  EXPECT_EQ(second.At("spacestore_store_errors_total{store=\"metadata\",operation=\"transact\"}"),
            0);
  EXPECT_EQ(second.At("spacestore_collector_runs_total"), 0);  // Every 60 s by default.

  // Format: every line a comment or a sample, every family with HELP and TYPE.
  EXPECT_TRUE(second.malformed.empty()) << second.malformed.front();
  for (const auto& [series, value] : second.samples) {
    const std::string family = FamilyOf(series);
    EXPECT_TRUE(second.helped.contains(family)) << family;
    EXPECT_TRUE(second.types.contains(family)) << family;
  }
  EXPECT_EQ(second.types.at(duration), "histogram");
  EXPECT_EQ(second.types.at("spacestore_http_requests_total"), "counter");
  EXPECT_EQ(second.types.at("spacestore_http_open_connections"), "gauge");
}

// A local IPv4 address other than loopback, if this machine has one.
std::optional<in_addr> NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<in_addr> found;
  for (ifaddrs* a = list; a != nullptr && !found; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    const in_addr addr = reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr;
    if ((ntohl(addr.s_addr) >> 24) != 127) found = addr;
  }
  freeifaddrs(list);
  return found;
}

// GET /metrics sent to 127.0.0.1 from `source`: the server sees a peer that is not loopback.
// Returns the status line.
std::string MetricsFrom(in_addr source, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = source;
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<uint16_t>(port));
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
      connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0) {
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) reply.append(buffer, n);
    }
  }
  close(fd);
  return reply.substr(0, reply.find("\r\n"));
}

TEST(MetricsAccessTest, LoopbackOnlyByDefault) {
  const auto source = NonLoopbackAddress();
  if (!source) GTEST_SKIP() << "no non-loopback IPv4 address here";
  ServerProcess loopback_only;
  EXPECT_EQ(MetricsFrom(*source, loopback_only.port()), "HTTP/1.1 403 Forbidden");
  ServerProcess open_to_all({"--metrics", "any"});
  EXPECT_EQ(MetricsFrom(*source, open_to_all.port()), "HTTP/1.1 200 OK");
}

TEST(MetricsAccessTest, OffServesNoMetrics) {
  ServerProcess server({"--metrics", "off"});
  const auto r = server.Request("GET", "/metrics");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("InvalidAction.NotFound"), std::string::npos) << r.body;
}

TEST(MetricsAccessTest, OnlyGetIsServed) {
  ServerProcess server;
  EXPECT_EQ(server.Request("POST", "/metrics").status, 404);
}

TEST(MetricsAccessTest, CollectorWorkIsCounted) {
  ServerProcess server({"--collect-interval", "1"});
  for (int attempt = 0; attempt < 100; ++attempt) {
    const Scrape s = Parse(server.Request("GET", "/metrics").body);
    if (s.At("spacestore_collector_runs_total") >= 1) {
      EXPECT_EQ(s.At("spacestore_collector_failed_runs_total"), 0);
      // Local blobs set nothing aside, but the series are there for every store.
      for (const char* series : {"spacestore_collector_set_aside_restored_total",
                                 "spacestore_collector_set_aside_purged_total"}) {
        EXPECT_TRUE(s.samples.contains(series)) << series;
        EXPECT_TRUE(s.helped.contains(series)) << series;
      }
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "no collector run counted";
}

}  // namespace
}  // namespace spacestore
