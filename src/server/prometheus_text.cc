// PrometheusText: the exposition format written by hand, as it is a handful of line shapes; a
// client library (prometheus-cpp) would bring its own registry and HTTP server, both of which
// spacestore already has.
#include "server/prometheus_text.h"

#include <iterator>

#include <fmt/format.h>

namespace spacestore::server {

void PrometheusText::Family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(text_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void PrometheusText::Start(std::string_view name, std::initializer_list<MetricLabel> labels) {
  text_ += name;
  if (labels.size() == 0) {
    text_ += ' ';
    return;
  }
  char separator = '{';
  for (const auto& [label, value] : labels) {
    text_ += separator;
    separator = ',';
    text_ += label;
    text_ += "=\"";
    for (const char c : value) {
      if (c == '\\') {
        text_ += "\\\\";
      } else if (c == '"') {
        text_ += "\\\"";
      } else if (c == '\n') {
        text_ += "\\n";
      } else {
        text_ += c;
      }
    }
    text_ += '"';
  }
  text_ += "} ";
}

void PrometheusText::Sample(std::string_view name, std::initializer_list<MetricLabel> labels,
                            uint64_t value) {
  Start(name, labels);
  fmt::format_to(std::back_inserter(text_), "{}\n", value);
}

void PrometheusText::Sample(std::string_view name, std::initializer_list<MetricLabel> labels,
                            int64_t value) {
  Start(name, labels);
  fmt::format_to(std::back_inserter(text_), "{}\n", value);
}

void PrometheusText::SampleSeconds(std::string_view name, std::initializer_list<MetricLabel> labels,
                                   uint64_t nanoseconds) {
  Start(name, labels);
  constexpr uint64_t kPerSecond = 1'000'000'000;
  std::string fraction = fmt::format("{:09}", nanoseconds % kPerSecond);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (fraction.empty()) {
    fmt::format_to(std::back_inserter(text_), "{}\n", nanoseconds / kPerSecond);
  } else {
    fmt::format_to(std::back_inserter(text_), "{}.{}\n", nanoseconds / kPerSecond, fraction);
  }
}

}  // namespace spacestore::server
