#include "domain/placement.h"

#include <gtest/gtest.h>

namespace spacestore::domain {
namespace {

TEST(PlacementTest, AutoRenameKeepsTheExtension) {
  EXPECT_EQ(AutoRenamed("report.txt", 1, false), "report (1).txt");
  EXPECT_EQ(AutoRenamed("archive.tar.gz", 2, false), "archive.tar (2).gz");
  EXPECT_EQ(AutoRenamed("README", 3, false), "README (3)");
  EXPECT_EQ(AutoRenamed("v1.2", 1, true), "v1.2 (1)");
}

TEST(PlacementTest, FileExtension) {
  EXPECT_EQ(FileExtension("a.TXT"), "TXT");
  EXPECT_EQ(FileExtension(".bashrc"), "");
  EXPECT_EQ(FileExtension("noext"), "");
}

TEST(PlacementTest, CursorsRoundTripAndRejectForeignOrders) {
  Dentry d;
  d.id = "42";
  d.name = "naïve name";
  d.modified_time = 1234;
  const std::string by_name = EncodeCursor(DentryOrder::kName, d);
  auto c = DecodeCursor(DentryOrder::kName, by_name);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->text, "naïve name");
  EXPECT_EQ(c->id, "42");
  auto t = DecodeCursor(DentryOrder::kModifiedTime, EncodeCursor(DentryOrder::kModifiedTime, d));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->number, 1234);
  EXPECT_FALSE(DecodeCursor(DentryOrder::kSize, by_name));
  EXPECT_FALSE(DecodeCursor(DentryOrder::kName, "n.zz.1"));
  EXPECT_FALSE(DecodeCursor(DentryOrder::kName, ""));
}

}  // namespace
}  // namespace spacestore::domain
