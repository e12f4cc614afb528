#include "app/node_identity.h"

#include <gtest/gtest.h>

#include <optional>

#include "temp_dir.h"

namespace spacestore::app {
namespace {

TEST(NodeIdentityTest, LiveProcessesNeverShareAnIdAndAFreedSlotKeepsItsId) {
  testing::TempDir dir;
  std::optional<NodeIdentity> a(NodeIdentity::Claim(dir.path()).value());
  auto b = NodeIdentity::Claim(dir.path());
  ASSERT_TRUE(b);
  EXPECT_NE(a->id(), b->id());
  const std::string a_id = a->id();
  a.reset();  // As if a's process died: the kernel drops its lock.
  auto again = NodeIdentity::Claim(dir.path());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id(), a_id);  // A restarted node takes its own leases back at once.
  auto third = NodeIdentity::Claim(dir.path());
  ASSERT_TRUE(third);
  EXPECT_NE(third->id(), a_id);
  EXPECT_NE(third->id(), b->id());
}

}  // namespace
}  // namespace spacestore::app
