#include "base/ids.h"

#include <set>

#include <gtest/gtest.h>

namespace spacestore {
namespace {

TEST(IdsTest, AlnumIdsHaveLengthAndAlphabet) {
  const std::string id = RandomAlnumId(40);
  ASSERT_EQ(id.size(), 40u);
  for (const char c : id) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
}

TEST(IdsTest, DigitIdsNeverStartWithZero) {
  for (int i = 0; i < 200; ++i) {
    const std::string id = RandomDigitsId(12);
    ASSERT_EQ(id.size(), 12u);
    EXPECT_NE(id[0], '0');
    for (const char c : id) EXPECT_TRUE(c >= '0' && c <= '9');
  }
}

TEST(IdsTest, RequestIdsAreUniqueAndUuidShaped) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[8], '-');
    EXPECT_TRUE(seen.insert(id).second);
  }
}

}  // namespace
}  // namespace spacestore
