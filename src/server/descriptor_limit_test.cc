#include "server/descriptor_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace spacestore::server {
namespace {

TEST(DescriptorLimitTest, KeepsARequestThatFits) {
  EXPECT_EQ(FitConnectionLimit(10000, 20000), 10000U);
  EXPECT_EQ(FitConnectionLimit(4, 1024), 4U);
  EXPECT_EQ(FitConnectionLimit(10000, std::numeric_limits<uint64_t>::max()), 10000U);
}

TEST(DescriptorLimitTest, LeavesTheReservedDescriptorsOut) {
  EXPECT_EQ(FitConnectionLimit(10000, 1024), 1024 - kReservedDescriptors);
  EXPECT_EQ(FitConnectionLimit(20000, 20000), 20000 - kReservedDescriptors);
}

TEST(DescriptorLimitTest, NeverBelowOne) {
  EXPECT_EQ(FitConnectionLimit(10000, 100), 1U);
  EXPECT_EQ(FitConnectionLimit(10000, 0), 1U);
  EXPECT_EQ(FitConnectionLimit(0, 20000), 1U);
}

TEST(DescriptorLimitTest, RaisesTheSoftLimitToTheHardLimit) {
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &before), 0);
  rlimit lowered = before;
  lowered.rlim_cur = std::min<rlim_t>(before.rlim_max, 512);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  const uint64_t now = RaiseDescriptorLimit();
  rlimit after{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(after.rlim_cur, before.rlim_max);
  if (after.rlim_cur != RLIM_INFINITY) {
    EXPECT_EQ(now, after.rlim_cur);
  }
}

}  // namespace
}  // namespace spacestore::server
