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
    for (size_t j = 0; j < id.size(); ++j) {
      if (j == 8 || j == 13 || j == 18 || j == 23) {
        EXPECT_EQ(id[j], '-') << id;
      } else {
        EXPECT_TRUE((id[j] >= '0' && id[j] <= '9') || (id[j] >= 'A' && id[j] <= 'F')) << id;
      }
    }
    EXPECT_TRUE(seen.insert(id).second);
  }
  // The last twelve digits count requests in hex.
  const std::string a = NewRequestId();
  const std::string b = NewRequestId();
  EXPECT_EQ(a.substr(0, 24), b.substr(0, 24));
  EXPECT_EQ(std::stoull(b.substr(24), nullptr, 16), std::stoull(a.substr(24), nullptr, 16) + 1);
}

}  // namespace
}  // namespace spacestore
