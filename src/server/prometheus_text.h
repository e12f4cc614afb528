#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace spacestore::server {

// One label of a sample: name="value". The value is escaped when written.
using MetricLabel = std::pair<std::string_view, std::string_view>;

// PrometheusText builds a page in the Prometheus text exposition format, version 0.0.4: for
// each metric family a "# HELP" and a "# TYPE" line, then its samples, one per line as
// `name{label="value",...} value`. Label values are escaped (backslash, double quote and line
// feed), so a route template or an org id cannot break a line. Callers write each family's
// samples right after its Family() call, as the format requires.
//
// Ownership: owns the text it builds; Take() hands it over.
// Thread-safety: not thread-safe; one scrape builds one page.
class PrometheusText {
 public:
  // The Content-Type of the page.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // Starts a family: `type` is "counter", "gauge" or "histogram". `help` is one line.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  // One sample of an integer value.
  void Sample(std::string_view name, std::initializer_list<MetricLabel> labels, uint64_t value);
  void Sample(std::string_view name, std::initializer_list<MetricLabel> labels, int64_t value);
  // One sample of a value in seconds given in nanoseconds, written with nine decimals at most
  // and no trailing zeros (1500000 ns is "0.0015").
  void SampleSeconds(std::string_view name, std::initializer_list<MetricLabel> labels,
                     uint64_t nanoseconds);

  const std::string& text() const { return text_; }
  std::string Take() { return std::move(text_); }

 private:
  void Start(std::string_view name, std::initializer_list<MetricLabel> labels);

  std::string text_;
};

}  // namespace spacestore::server
