#include "server/range_header.h"

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

using Kind = RangeRequest::Kind;

TEST(RangeHeaderTest, NoHeaderMeansWhole) {
  EXPECT_EQ(ParseRange(std::nullopt, 10).kind, Kind::kWhole);
}

TEST(RangeHeaderTest, ClosedOpenAndSuffixRanges) {
  auto r = ParseRange("bytes=0-3", 10);
  ASSERT_EQ(r.kind, Kind::kPartial);
  EXPECT_EQ(r.range.first, 0u);
  EXPECT_EQ(r.range.last, 3u);
  r = ParseRange("bytes=4-", 10);
  EXPECT_EQ(r.range.first, 4u);
  EXPECT_EQ(r.range.last, 9u);
  r = ParseRange("bytes=-3", 10);
  EXPECT_EQ(r.range.first, 7u);
  EXPECT_EQ(r.range.length(), 3u);
  r = ParseRange("bytes=5-100", 10);
  EXPECT_EQ(r.range.last, 9u);
  r = ParseRange("bytes=-100", 10);
  EXPECT_EQ(r.range.first, 0u);
}

TEST(RangeHeaderTest, UnsatisfiableRanges) {
  EXPECT_EQ(ParseRange("bytes=10-", 10).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=-0", 10).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=0-0", 0).kind, Kind::kUnsatisfiable);
}

TEST(RangeHeaderTest, MalformedOrMultipleRangesAreIgnored) {
  for (const char* h :
       {"bytes=a-b", "items=0-1", "bytes=5-2", "bytes=0-1,3-4", "bytes=", "bytes=-"}) {
    EXPECT_EQ(ParseRange(h, 10).kind, Kind::kWhole) << h;
  }
}

}  // namespace
}  // namespace spacestore::server
