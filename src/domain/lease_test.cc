#include "domain/lease.h"

#include <gtest/gtest.h>

#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class LeaseTest : public ::testing::Test {
 protected:
  Result<void> Checked(const Lease& lease) {
    return store_.Transact([&](MetadataTransaction& tx) { return lease.Check(tx); });
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  Lease a_{store_, clock_, "work", "node-a", LeaseOptions{.ttl_ms = 3000}};
  Lease b_{store_, clock_, "work", "node-b", LeaseOptions{.ttl_ms = 3000}};
};

TEST_F(LeaseTest, OneHolderAtATimeAndTakeoverAfterExpiry) {
  EXPECT_TRUE(a_.Acquire().value());
  EXPECT_FALSE(b_.Acquire().value());
  EXPECT_TRUE(Checked(a_));
  auto fenced = Checked(b_);
  ASSERT_FALSE(fenced);
  EXPECT_TRUE(Lease::IsLost(fenced.error()));
  clock_.AdvanceMillis(3000);  // a stopped renewing: its lease is over.
  EXPECT_TRUE(b_.Acquire().value());
  fenced = Checked(a_);
  ASSERT_FALSE(fenced);
  EXPECT_TRUE(Lease::IsLost(fenced.error()));
  EXPECT_FALSE(a_.Renew().value());  // Taken over: a renewal does not take it back.
}

TEST_F(LeaseTest, RenewWritesOnlyOnceAThirdOfTheLeaseHasPassed) {
  ASSERT_TRUE(a_.Acquire().value());
  clock_.AdvanceMillis(500);
  ASSERT_TRUE(a_.Renew().value());  // Not due: the stored lease still ends at 3000.
  clock_.AdvanceMillis(2500);
  EXPECT_TRUE(b_.Acquire().value());
  EXPECT_TRUE(b_.Release());
  ASSERT_TRUE(a_.Acquire().value());
  clock_.AdvanceMillis(1000);
  ASSERT_TRUE(a_.Renew().value());  // Due: now held until 4000 from here.
  clock_.AdvanceMillis(2500);
  EXPECT_FALSE(b_.Acquire().value());
  EXPECT_TRUE(Checked(a_));
}

TEST_F(LeaseTest, ReleaseLetsAnotherHolderTakeItAtOnce) {
  ASSERT_TRUE(a_.Acquire().value());
  ASSERT_TRUE(a_.Release());
  EXPECT_TRUE(b_.Acquire().value());
  EXPECT_FALSE(Checked(a_));
}

}  // namespace
}  // namespace spacestore::domain
