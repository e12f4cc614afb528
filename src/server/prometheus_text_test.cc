#include "server/prometheus_text.h"

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

TEST(PrometheusTextTest, WritesFamiliesAndSamples) {
  PrometheusText out;
  out.Family("x_total", "counter", "Things counted.");
  out.Sample("x_total", {}, uint64_t{3});
  out.Sample("x_total", {{"a", "1"}, {"b", "two"}}, int64_t{-4});
  EXPECT_EQ(out.text(),
            "# HELP x_total Things counted.\n"
            "# TYPE x_total counter\n"
            "x_total 3\n"
            "x_total{a=\"1\",b=\"two\"} -4\n");
}

TEST(PrometheusTextTest, EscapesLabelValues) {
  PrometheusText out;
  out.Sample("m", {{"route", "a\\b\"c\nd"}}, uint64_t{1});
  EXPECT_EQ(out.text(), "m{route=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST(PrometheusTextTest, WritesSecondsWithoutTrailingZeros) {
  PrometheusText out;
  out.SampleSeconds("s", {}, 1'500'000);
  out.SampleSeconds("s", {}, 2'000'000'000);
  out.SampleSeconds("s", {}, 0);
  out.SampleSeconds("s", {}, 1'000'000'001);
  EXPECT_EQ(out.text(), "s 0.0015\ns 2\ns 0\ns 1.000000001\n");
}

TEST(PrometheusTextTest, ContentTypeIsVersion004) {
  EXPECT_EQ(PrometheusText::kContentType, "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace
}  // namespace spacestore::server
