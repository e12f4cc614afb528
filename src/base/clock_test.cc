#include "base/clock.h"

#include <gtest/gtest.h>

namespace spacestore {
namespace {

TEST(ClockTest, FormatsIsoSecondsLikeTheReference) {
  EXPECT_EQ(FormatIsoSeconds(1641031200000), "2022-01-01T10:00:00Z");
  EXPECT_EQ(FormatIsoSeconds(0), "1970-01-01T00:00:00Z");
}

TEST(ClockTest, FormatsIsoMillis) {
  EXPECT_EQ(FormatIsoMillis(1699994346123), "2023-11-14T20:39:06.123Z");
}

TEST(ClockTest, FormatsLeapDaysCenturiesAndNegativeTimes) {
  EXPECT_EQ(FormatIsoSeconds(951782400000), "2000-02-29T00:00:00Z");
  EXPECT_EQ(FormatIsoSeconds(4107542399000), "2100-02-28T23:59:59Z");
  EXPECT_EQ(FormatIsoMillis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIsoSeconds(253402300799000), "9999-12-31T23:59:59Z");
}

TEST(ClockTest, IsoSecondsTextIsFormatIsoSecondsInPlace) {
  EXPECT_EQ(IsoSecondsText(1641031200000).view(), "2022-01-01T10:00:00Z");
  // Years beyond four digits take the slow path and still fit.
  for (const int64_t ms : {INT64_MAX, INT64_MIN, int64_t{253402300800000}}) {
    EXPECT_EQ(IsoSecondsText(ms).view(), FormatIsoSeconds(ms));
    EXPECT_LE(IsoSecondsText(ms).view().size(), IsoText::kCapacity);
  }
  EXPECT_EQ(IsoSecondsText(253402300800000).view(), "10000-01-01T00:00:00Z");
}

TEST(ClockTest, SystemClockIsAfter2024) { EXPECT_GT(SystemClock().NowMillis(), 1704067200000); }

}  // namespace
}  // namespace spacestore
