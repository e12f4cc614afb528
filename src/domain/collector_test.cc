#include "domain/collector.h"

#include <gtest/gtest.h>

#include "upload_test_fixture.h"

namespace spacestore::domain {
namespace {

using CollectorTest = UploadServiceTest;

TEST_F(CollectorTest, ExpiredUploadsReleaseTheirReservation) {
  PreCheck check;
  check.size = 400;
  ASSERT_TRUE(uploads_.Authorize(actor_, space_, check, false));
  EXPECT_EQ(GetSpace().reserved_bytes, 400);
  clock_.AdvanceMillis(3'601'000);
  auto stats = collector_.Collect();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->expired_uploads, 1);
  EXPECT_EQ(GetSpace().reserved_bytes, 0);
}

TEST_F(CollectorTest, OnlyTheLeaseHolderExpiresUploadsAndRemovesBlobs) {
  Lease uploads_a{store_, clock_, kUploadExpiryLease, "a", LeaseOptions{.ttl_ms = 10'000}};
  Lease blobs_a{store_, clock_, kCollectorLease, "a", LeaseOptions{.ttl_ms = 10'000}};
  Lease uploads_b{store_, clock_, kUploadExpiryLease, "b", LeaseOptions{.ttl_ms = 10'000}};
  Lease blobs_b{store_, clock_, kCollectorLease, "b", LeaseOptions{.ttl_ms = 10'000}};
  const CollectorOptions options{.blob_grace_seconds = 60};
  Collector a{store_, blobs_, clock_, options, nullptr, {&uploads_a, &blobs_a}};
  Collector b{store_, blobs_, clock_, options, nullptr, {&uploads_b, &blobs_b}};
  ASSERT_TRUE(uploads_a.Acquire().value() && blobs_a.Acquire().value());
  PreCheck check;
  check.size = 400;
  ASSERT_TRUE(uploads_.Authorize(actor_, space_, check, false));
  Upload("orphan", 6);              // Its upload session reserves 6 bytes more.
  clock_.AdvanceMillis(3'601'000);  // Past the uploads' life, the grace, and a's leases.
  ASSERT_TRUE(uploads_a.Acquire().value() && blobs_a.Acquire().value());  // a renewed them.
  auto skipped = b.Collect();
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->leased_elsewhere, 2);
  EXPECT_EQ(skipped->expired_uploads, 0);
  EXPECT_EQ(skipped->blobs_removed, 0);
  EXPECT_EQ(GetSpace().reserved_bytes, 406);
  clock_.AdvanceMillis(10'000);  // a died: b takes both over.
  auto took_over = b.Collect();
  ASSERT_TRUE(took_over);
  EXPECT_EQ(took_over->leased_elsewhere, 0);
  EXPECT_EQ(took_over->expired_uploads, 2);
  EXPECT_EQ(took_over->blobs_removed, 1);
  EXPECT_EQ(GetSpace().reserved_bytes, 0);
  auto fenced = a.Collect();  // a is back: b's leases are live.
  ASSERT_TRUE(fenced);
  EXPECT_EQ(fenced->leased_elsewhere, 2);
}

TEST_F(CollectorTest, UnreferencedBlobsAreCollectedAfterTheGrace) {
  auto file = Commit(Upload("kept", 4), "kept.txt");
  ASSERT_TRUE(file);
  Upload("orphan", 6);  // Never committed.
  clock_.AdvanceMillis(3'601'000);
  auto stats = collector_.Collect();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->blobs_removed, 1);
  EXPECT_EQ(stats->blob_bytes_removed, 6);  // "orphan"'s body, not "kept"'s.
  EXPECT_TRUE(blobs_.Exists(file->blob_id).value());
}

TEST_F(CollectorTest, ACollectPassIsBoundedAndTheNextGoesOn) {
  auto file = Commit(Upload("kept", 4), "kept.txt");
  ASSERT_TRUE(file);
  constexpr int kOrphans = 20;
  for (int i = 0; i < kOrphans; ++i) {
    auto w = blobs_.NewWriter(false);
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Append("orphan " + std::to_string(i)));
    ASSERT_TRUE((*w)->Commit());
  }
  clock_.AdvanceMillis(3'601'000);
  // Stop after the first slice holding any blob.
  Collector bounded{store_, blobs_, clock_,
                    CollectorOptions{.blob_grace_seconds = 60, .blobs_per_pass = 1}};
  auto first = bounded.Collect();
  ASSERT_TRUE(first);
  EXPECT_GE(first->blobs_removed, 0);
  EXPECT_LT(first->blobs_removed, kOrphans);
  int removed = first->blobs_removed;
  for (int pass = 0; pass < 256 && removed < kOrphans; ++pass) {
    auto stats = bounded.Collect();
    ASSERT_TRUE(stats);
    removed += stats->blobs_removed;
  }
  EXPECT_EQ(removed, kOrphans);
  EXPECT_TRUE(blobs_.Exists(file->blob_id).value());
}

}  // namespace
}  // namespace spacestore::domain
