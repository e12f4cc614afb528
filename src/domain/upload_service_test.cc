#include "domain/upload_service.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "domain/dentry_service.h"
#include "fake_clock.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class UploadServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    AddSpaceParams p;
    p.quota_bytes = 1000;
    auto s = spaces_.AddSpace(actor_, p);
    ASSERT_TRUE(s);
    space_ = s->id;
  }

  std::string Auth(const SignedRequest& r) { return r.headers.at(0).second; }

  // Switches the test to a second space without a quota, for multipart parts of 100 KB.
  void UseUncappedSpace() {
    AddSpaceParams p;
    p.scene_id = "uncapped";
    auto s = spaces_.AddSpace(actor_, p);
    ASSERT_TRUE(s);
    space_ = s->id;
  }

  // Authorizes, PUTs `data` and returns the upload key.
  std::string Upload(const std::string& data, std::optional<int64_t> declared) {
    PreCheck check;
    check.size = declared;
    auto ticket = uploads_.Authorize(actor_, space_, check, false);
    EXPECT_TRUE(ticket) << ticket.error().message;
    const std::string resource =
        ticket->request.url.substr(ticket->request.url.find("/blobs/upload/") + 14);
    auto sink = uploads_.OpenUpload(resource, Auth(ticket->request), data.size());
    EXPECT_TRUE(sink) << sink.error().message;
    EXPECT_TRUE((*sink)->Append(data));
    EXPECT_TRUE((*sink)->Finish());
    return ticket->key;
  }

  // PUTs `data` as part `n` of multipart upload `key` through its signed request.
  void PutPart(const std::string& key, int n, const SignedRequest& request,
               const std::string& data) {
    auto sink = uploads_.OpenUpload(key + "/" + std::to_string(n), Auth(request), std::nullopt);
    ASSERT_TRUE(sink) << sink.error().message;
    ASSERT_TRUE((*sink)->Append(data));
    ASSERT_TRUE((*sink)->Finish());
  }

  Result<Dentry> Commit(const std::string& key, const std::string& name) {
    CommitRequest r;
    r.upload_key = key;
    r.name = name;
    r.parent_id = "0";
    return uploads_.Commit(actor_, space_, r);
  }

  Space GetSpace() { return *spaces_.GetSpace(actor_, space_); }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  storage::MemoryBlobStore blobs_{clock_};
  SpaceService spaces_{store_, clock_};
  UrlSigner signer_{"k", "http://h", clock_};
  UploadService uploads_{store_, blobs_, clock_, spaces_, signer_, UploadOptions{900, 3600, 60}};
  const Actor actor_{"corp1", "app1", "u1"};
  std::string space_;
};

TEST_F(UploadServiceTest, CommitCreatesFileAndSettlesReservation) {
  const std::string key = Upload("hello", 5);
  EXPECT_EQ(GetSpace().reserved_bytes, 5);
  auto file = Commit(key, "a.txt");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->size, 5);
  EXPECT_EQ(file->version, 1);
  const Space s = GetSpace();
  EXPECT_EQ(s.used_bytes, 5);
  EXPECT_EQ(s.reserved_bytes, 0);
  auto replay = Commit(key, "b.txt");
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().subject, "uploadKey");
}

TEST_F(UploadServiceTest, ReservationBeyondQuotaIsRefused) {
  PreCheck check;
  check.size = 1001;
  auto r = uploads_.Authorize(actor_, space_, check, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kQuotaExceeded);
  EXPECT_EQ(GetSpace().reserved_bytes, 0);
}

TEST_F(UploadServiceTest, CommitWithoutDeclaredSizeChecksQuotaThenStoresNothing) {
  const std::string key = Upload(std::string(1200, 'x'), std::nullopt);
  auto r = Commit(key, "big.bin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kQuotaExceeded);
  EXPECT_EQ(GetSpace().used_bytes, 0);
  EXPECT_TRUE(store_.ListChildren(space_, "0", {})->dentries.empty());
}

TEST_F(UploadServiceTest, SizeBeyondAnnouncedIsRefused) {
  PreCheck check;
  check.size = 3;
  auto ticket = uploads_.Authorize(actor_, space_, check, false);
  ASSERT_TRUE(ticket);
  auto sink = uploads_.OpenUpload(ticket->key, Auth(ticket->request), 10);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().subject, "size");
  sink = uploads_.OpenUpload(ticket->key, Auth(ticket->request), std::nullopt);
  ASSERT_TRUE(sink);
  EXPECT_FALSE((*sink)->Append("four"));
}

TEST_F(UploadServiceTest, OverwriteAddsAVersionAndCountsBoth) {
  auto first = Commit(Upload("one", 3), "f.txt");
  ASSERT_TRUE(first);
  CommitRequest r;
  r.upload_key = Upload("three", 5);
  r.name = "ignored.txt";
  r.parent_id = "0";
  r.overwrite_dentry_id = first->id;
  auto second = uploads_.Commit(actor_, space_, r);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->name, "f.txt");
  EXPECT_EQ(GetSpace().used_bytes, 8);
  EXPECT_EQ(store_.SumVersionBytes(space_).value(), 8);
}

TEST_F(UploadServiceTest, ConcurrentUploadsNeverPassTheQuota) {
  // 32 uploads of 48 bytes into 1000: at most 20 fit.
  std::atomic<int> committed{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&, i] {
      PreCheck check;
      check.size = 48;
      auto ticket = uploads_.Authorize(actor_, space_, check, false);
      if (!ticket) {
        EXPECT_EQ(ticket.error().code, Errc::kQuotaExceeded);
        ++refused;
        return;
      }
      auto sink = uploads_.OpenUpload(ticket->key, Auth(ticket->request), 48);
      ASSERT_TRUE(sink);
      ASSERT_TRUE((*sink)->Append(std::string(48, static_cast<char>('a' + i % 26))));
      ASSERT_TRUE((*sink)->Finish());
      if (Commit(ticket->key, "f" + std::to_string(i))) ++committed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.load(), 20);
  EXPECT_EQ(refused.load(), 12);
  EXPECT_EQ(GetSpace().used_bytes, 960);
  EXPECT_EQ(GetSpace().reserved_bytes, 0);
}

TEST_F(UploadServiceTest, ExpiredUploadsReleaseTheirReservation) {
  PreCheck check;
  check.size = 400;
  ASSERT_TRUE(uploads_.Authorize(actor_, space_, check, false));
  EXPECT_EQ(GetSpace().reserved_bytes, 400);
  clock_.AdvanceMillis(3'601'000);
  auto stats = uploads_.Collect();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->expired_uploads, 1);
  EXPECT_EQ(GetSpace().reserved_bytes, 0);
}

TEST_F(UploadServiceTest, UnreferencedBlobsAreCollectedAfterTheGrace) {
  auto file = Commit(Upload("kept", 4), "kept.txt");
  ASSERT_TRUE(file);
  Upload("orphan", 6);  // Never committed.
  clock_.AdvanceMillis(3'601'000);
  auto stats = uploads_.Collect();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->blobs_removed, 1);
  EXPECT_TRUE(blobs_.Exists(file->blob_id).value());
}

TEST_F(UploadServiceTest, ACollectPassIsBoundedAndTheNextGoesOn) {
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
  UploadOptions options{900, 3600, 60};
  options.collect_blobs_per_pass = 1;  // Stop after the first slice holding any blob.
  UploadService bounded{store_, blobs_, clock_, spaces_, signer_, options};
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

TEST_F(UploadServiceTest, MultipartAssemblesInPartOrder) {
  UseUncappedSpace();
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  ASSERT_TRUE(ticket);
  auto urls = uploads_.PartUrls(actor_, ticket->key, {2, 1});
  ASSERT_TRUE(urls);
  // Every part but the last holds at least 100 KB; the last may be smaller.
  const std::string first = std::string(100 * 1024 - 6, '.') + "hello ";
  const std::pair<int, std::string> parts[] = {{2, "world"}, {1, first}};
  for (const auto& [n, data] : parts) {
    ASSERT_NO_FATAL_FAILURE(PutPart(ticket->key, n, (*urls)[n == 2 ? 0 : 1].second, data));
  }
  auto file = Commit(ticket->key, "mp.txt");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->size, 100 * 1024 + 5);
  auto info = uploads_.DownloadInfo(actor_, space_, file->id, std::nullopt);
  ASSERT_TRUE(info);
  auto dl =
      uploads_.OpenDownload(info->url.substr(info->url.find("/blobs/download/") + 16), Auth(*info));
  ASSERT_TRUE(dl) << dl.error().message;
  std::string out(11, '\0');
  ASSERT_EQ(dl->reader->ReadAt(100 * 1024 - 6, out.data(), 11).value(), 11u);
  EXPECT_EQ(out, "hello world");
}

TEST_F(UploadServiceTest, PartsButTheLastMustHold100KB) {
  UseUncappedSpace();
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  ASSERT_TRUE(ticket);
  auto urls = uploads_.PartUrls(actor_, ticket->key, {1, 2});
  ASSERT_TRUE(urls);
  for (int n : {1, 2}) {
    ASSERT_NO_FATAL_FAILURE(
        PutPart(ticket->key, n, (*urls)[n - 1].second, std::string(100 * 1024 - 1, 'x')));
  }
  auto r = Commit(ticket->key, "small-parts.bin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(r.error().subject, "uploadKey");
  EXPECT_NE(r.error().message.find("part 1 of 102399 bytes"), std::string::npos)
      << r.error().message;
}

TEST_F(UploadServiceTest, APartAbove5GBIsRefusedBeforeItsBody) {
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  ASSERT_TRUE(ticket);
  auto urls = uploads_.PartUrls(actor_, ticket->key, {1});
  ASSERT_TRUE(urls);
  auto sink = uploads_.OpenUpload(ticket->key + "/1", Auth((*urls)[0].second),
                                  uint64_t{5} * 1024 * 1024 * 1024 + 1);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().subject, "size");
}

TEST_F(UploadServiceTest, MissingPartIsRefused) {
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  auto urls = uploads_.PartUrls(actor_, ticket->key, {2});
  ASSERT_NO_FATAL_FAILURE(PutPart(ticket->key, 2, (*urls)[0].second, "x"));
  auto r = Commit(ticket->key, "gap");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().subject, "uploadKey");
}

}  // namespace
}  // namespace spacestore::domain
