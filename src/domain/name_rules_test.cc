#include "domain/name_rules.h"

#include <gtest/gtest.h>

namespace spacestore::domain {
namespace {

TEST(NameRulesTest, TrimsSurroundingSpaces) {
  auto name = NormalizeName("  report 2024  ", "name", 128);
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "report 2024");
}

TEST(NameRulesTest, RejectsForbiddenCharacters) {
  for (const char* bad : {"a\tb", "a*b", "a\"b", "a<b", "a>b", "a|b", "a\nb"}) {
    auto r = NormalizeName(bad, "name", 128);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().subject, "name");
  }
}

TEST(NameRulesTest, RejectsTrailingDotEmptyAndTooLong) {
  EXPECT_FALSE(NormalizeName("file.", "name", 128));
  EXPECT_FALSE(NormalizeName("   ", "name", 128));
  EXPECT_FALSE(NormalizeName(std::string(129, 'a'), "name", 128));
  EXPECT_TRUE(NormalizeName(std::string(128, 'a'), "name", 128));
}

TEST(NameRulesTest, CountsCodePointsNotBytes) {
  const std::string chinese = "测试空间";  // 4 code points, 12 bytes.
  EXPECT_EQ(Utf8Length(chinese), 4u);
  EXPECT_TRUE(NormalizeName(chinese, "name", 4));
  EXPECT_FALSE(NormalizeName("\xff\xfe", "name", 10));
}

}  // namespace
}  // namespace spacestore::domain
