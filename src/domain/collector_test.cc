#include "domain/collector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>

#include "base/crypto.h"
#include "upload_test_fixture.h"

namespace spacestore::domain {
namespace {

using CollectorTest = UploadServiceTest;

// A store that sets removed blobs aside, as the S3 adapter does (its own tests run the real
// thing), over the fixture's MemoryBlobStore: Remove moves a blob's bytes into a map, stamped
// with the time; Open and Exists look there too; SetAside is what a Remove raced by a duplicate
// commit leaves (a referenced blob set aside).
class SetAsideBlobStore final : public BlobStore {
 public:
  SetAsideBlobStore(BlobStore& inner, const Clock& clock) : inner_(inner), clock_(clock) {}

  void SetAside(const std::string& id) {
    auto reader = inner_.Open(id);
    ASSERT_TRUE(reader);
    std::string bytes(static_cast<size_t>((*reader)->size()), '\0');
    ASSERT_TRUE((*reader)->ReadAt(0, bytes.data(), bytes.size()));
    set_aside_[id] = {std::move(bytes), clock_.NowMillis()};
    ASSERT_TRUE(inner_.Remove(id, clock_.NowMillis() + 1).value());
  }

  // BlobStore
  Result<std::unique_ptr<BlobWriter>> NewWriter(bool compute_md5) override {
    return inner_.NewWriter(compute_md5);
  }
  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    return inner_.Open(id);  // The collector reads only committed blobs.
  }
  Result<bool> Exists(std::string_view id) override {
    auto exists = inner_.Exists(id);
    if (!exists || *exists) return exists;
    return set_aside_.contains(std::string(id));
  }
  Result<bool> Remove(std::string_view id, int64_t older_than_millis) override {
    auto listed = inner_.List(id, older_than_millis);
    if (!listed) return listed.error();
    if (std::find(listed->begin(), listed->end(), id) == listed->end()) return false;
    SetAside(std::string(id));
    return true;
  }
  Result<std::vector<std::string>> List(std::string_view prefix,
                                        int64_t older_than_millis) override {
    return inner_.List(prefix, older_than_millis);
  }
  Result<std::vector<std::string>> ListStaging(int64_t older_than_millis) override {
    return inner_.ListStaging(older_than_millis);
  }
  Result<int> SweepStaging(int64_t older_than_millis) override {
    return inner_.SweepStaging(older_than_millis);
  }
  Result<std::vector<std::string>> ListSetAside(std::string_view prefix,
                                                int64_t older_than_millis) override {
    std::vector<std::string> out;
    for (const auto& [id, entry] : set_aside_) {
      if (id.starts_with(prefix) && entry.time < older_than_millis) out.push_back(id);
    }
    return out;
  }
  Result<bool> RestoreSetAside(std::string_view id) override {
    const auto it = set_aside_.find(std::string(id));
    if (it == set_aside_.end()) return false;
    auto writer = inner_.NewWriter(false);
    if (!writer) return writer.error();
    if (auto r = (*writer)->Append(it->second.bytes); !r) return r.error();
    if (auto r = (*writer)->Commit(); !r) return r.error();
    set_aside_.erase(it);
    return true;
  }
  Result<bool> PurgeSetAside(std::string_view id, int64_t older_than_millis) override {
    auto it = set_aside_.find(std::string(id));
    if (it == set_aside_.end() || it->second.time >= older_than_millis) return false;
    set_aside_.erase(it);
    return true;
  }

 private:
  struct Entry {
    std::string bytes;
    int64_t time = 0;
  };
  BlobStore& inner_;
  const Clock& clock_;
  std::map<std::string, Entry> set_aside_;
};

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

// What a store set aside is settled once set aside for longer than the grace period: restored
// if referenced (a commit raced its removal), purged if not.
TEST_F(CollectorTest, SetAsideBlobsAreRestoredIfReferencedAndPurgedIfNot) {
  SetAsideBlobStore blobs{blobs_, clock_};
  Collector collector{store_, blobs, clock_, CollectorOptions{.blob_grace_seconds = 60}};
  auto file = Commit(Upload("kept", 4), "kept.txt");
  ASSERT_TRUE(file);
  Upload("orphan", 6);  // Never committed.
  const std::string orphan = Sha256Hex("orphan");
  clock_.AdvanceMillis(3'601'000);  // Past the upload session's life and the grace.
  blobs.SetAside(file->blob_id);    // A removal that a commit of "kept" raced.
  auto removed = collector.Collect();
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->blobs_removed, 1);  // "orphan", set aside now.
  EXPECT_EQ(removed->set_aside_restored + removed->set_aside_purged, 0);  // Not yet aged.
  EXPECT_TRUE(blobs.Exists(file->blob_id).value());
  EXPECT_TRUE(blobs.Exists(orphan).value());

  clock_.AdvanceMillis(61'000);
  auto settled = collector.Collect();
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->set_aside_restored, 1);
  EXPECT_EQ(settled->set_aside_purged, 1);
  EXPECT_EQ(settled->blobs_removed, 0);               // The restored blob is committed anew.
  EXPECT_TRUE(blobs_.Exists(file->blob_id).value());  // Committed again, not set aside.
  EXPECT_FALSE(blobs.Exists(orphan).value());
  EXPECT_TRUE(blobs.ListSetAside("", std::numeric_limits<int64_t>::max())->empty());
}

}  // namespace
}  // namespace spacestore::domain
