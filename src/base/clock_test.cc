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

TEST(ClockTest, SystemClockIsAfter2024) { EXPECT_GT(SystemClock().NowMillis(), 1704067200000); }

}  // namespace
}  // namespace spacestore
