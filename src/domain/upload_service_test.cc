#include "domain/upload_service.h"

#include <atomic>
#include <limits>
#include <thread>

#include <gtest/gtest.h>

#include "domain/dentry_service.h"
#include "upload_test_fixture.h"

namespace spacestore::domain {
namespace {

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
  // Each body fits alone while it arrives; together they do not, and the commit is exact.
  const std::string first = Upload(std::string(600, 'x'), std::nullopt);
  const std::string second = Upload(std::string(600, 'y'), std::nullopt);
  ASSERT_TRUE(Commit(first, "first.bin"));
  auto r = Commit(second, "second.bin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kQuotaExceeded);
  EXPECT_EQ(GetSpace().used_bytes, 600);
  EXPECT_EQ(store_.ListChildren(space_, "0", {})->dentries.size(), 1u);
}

// Nothing was committed to the blob store (a refused body's writer was dropped unfinished).
void ExpectNoBlobs(BlobStore& blobs) {
  auto all = blobs.List("", std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

TEST_F(UploadServiceTest, UnannouncedBodyPastQuotaIsCutWhileItArrives) {
  auto ticket = uploads_.Authorize(actor_, space_, {}, false);
  ASSERT_TRUE(ticket);
  auto sink = transfers_.OpenUpload(*ticket->grant, std::nullopt);
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_TRUE((*sink)->Append(std::string(600, 'x')));
  EXPECT_TRUE((*sink)->Append(std::string(400, 'x')));  // Exactly the quota still fits.
  auto past = (*sink)->Append("x");
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, Errc::kQuotaExceeded);
  EXPECT_EQ(past.error().subject, "space");
  sink->reset();
  ExpectNoBlobs(blobs_);
  auto session =
      store_.Read([&](MetadataTransaction& tx) { return tx.uploads().Get(ticket->key); });
  ASSERT_TRUE(session);
  EXPECT_EQ(session->state, UploadSession::State::kPending);
}

TEST_F(UploadServiceTest, UnannouncedContentLengthPastQuotaIsRefusedAtOpen) {
  auto ticket = uploads_.Authorize(actor_, space_, {}, false);
  ASSERT_TRUE(ticket);
  auto sink = transfers_.OpenUpload(*ticket->grant, 1001);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().code, Errc::kQuotaExceeded);
  EXPECT_TRUE(transfers_.OpenUpload(*ticket->grant, 1000));
}

TEST_F(UploadServiceTest, OtherReservationsShrinkWhatAnUnannouncedBodyMayHold) {
  PreCheck check;
  check.size = 700;
  ASSERT_TRUE(uploads_.Authorize(actor_, space_, check, false));
  auto ticket = uploads_.Authorize(actor_, space_, {}, false);
  ASSERT_TRUE(ticket);
  auto sink = transfers_.OpenUpload(*ticket->grant, std::nullopt);
  ASSERT_TRUE(sink);
  EXPECT_TRUE((*sink)->Append(std::string(300, 'x')));
  auto past = (*sink)->Append("x");
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, Errc::kQuotaExceeded);
}

TEST_F(UploadServiceTest, PartsMayUseTheirUploadsOwnReservation) {
  PreCheck check;
  check.size = 1000;  // Reserves the whole space.
  auto ticket = uploads_.Authorize(actor_, space_, check, true);
  ASSERT_TRUE(ticket);
  auto grants = uploads_.PartGrants(actor_, ticket->key, {1, 2});
  ASSERT_TRUE(grants);
  ASSERT_NO_FATAL_FAILURE(PutPart((*grants)[0], std::string(700, 'a')));
  ASSERT_NO_FATAL_FAILURE(PutPart((*grants)[1], std::string(300, 'b')));
  // Past its own reservation, with nothing else left, a part is cut.
  auto sink = transfers_.OpenUpload((*grants)[1], std::nullopt);
  ASSERT_TRUE(sink);
  EXPECT_TRUE((*sink)->Append(std::string(300, 'c')));
  auto past = (*sink)->Append("c");
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, Errc::kQuotaExceeded);
}

TEST_F(UploadServiceTest, RoomIsReadAgainEachMiBOfBody) {
  constexpr int64_t kMiB = int64_t{1} << 20;
  AddSpaceParams p;
  p.scene_id = "mib";
  p.quota_bytes = 3 * kMiB;
  auto s = spaces_.AddSpace(actor_, p);
  ASSERT_TRUE(s);
  space_ = s->id;
  auto ticket = uploads_.Authorize(actor_, space_, {}, false);
  ASSERT_TRUE(ticket);
  auto sink = transfers_.OpenUpload(*ticket->grant, std::nullopt);  // Room: 3 MiB.
  ASSERT_TRUE(sink);
  EXPECT_TRUE((*sink)->Append(std::string(kMiB, 'a')));
  // Meanwhile another upload takes 2.5 MiB: the next MiB is measured against what is left.
  ASSERT_TRUE(Commit(Upload(std::string(5 * kMiB / 2, 'b'), std::nullopt), "other.bin"));
  auto past = (*sink)->Append(std::string(kMiB, 'a'));
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, Errc::kQuotaExceeded);
}

TEST_F(UploadServiceTest, PartsPastQuotaAreCutAndLeaveNoPartRecord) {
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  ASSERT_TRUE(ticket);
  auto grants = uploads_.PartGrants(actor_, ticket->key, {1, 2});
  ASSERT_TRUE(grants);
  ASSERT_NO_FATAL_FAILURE(PutPart((*grants)[0], std::string(600, 'a')));
  // Part 2 may hold only what part 1 left.
  auto two = transfers_.OpenUpload((*grants)[1], 401);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, Errc::kQuotaExceeded);
  two = transfers_.OpenUpload((*grants)[1], std::nullopt);
  ASSERT_TRUE(two);
  EXPECT_TRUE((*two)->Append(std::string(400, 'b')));
  auto past = (*two)->Append("b");
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, Errc::kQuotaExceeded);
  two->reset();
  auto parts =
      store_.Read([&](MetadataTransaction& tx) { return tx.uploads().ListParts(ticket->key); });
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].part_number, 1);
  // A repeated part replaces its earlier self, so it is measured without it.
  ASSERT_NO_FATAL_FAILURE(PutPart((*grants)[0], std::string(1000, 'c')));
}

TEST_F(UploadServiceTest, SizeBeyondAnnouncedIsRefused) {
  PreCheck check;
  check.size = 3;
  auto ticket = uploads_.Authorize(actor_, space_, check, false);
  ASSERT_TRUE(ticket);
  auto sink = transfers_.OpenUpload(*ticket->grant, 10);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().subject, "size");
  sink = transfers_.OpenUpload(*ticket->grant, std::nullopt);
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
      auto sink = transfers_.OpenUpload(*ticket->grant, 48);
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

TEST_F(UploadServiceTest, MultipartAssemblesInPartOrder) {
  UseUncappedSpace();
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  ASSERT_TRUE(ticket);
  auto grants = uploads_.PartGrants(actor_, ticket->key, {2, 1});
  ASSERT_TRUE(grants);
  // Every part but the last holds at least 100 KB; the last may be smaller.
  const std::string first = std::string(100 * 1024 - 6, '.') + "hello ";
  const std::pair<int, std::string> parts[] = {{2, "world"}, {1, first}};
  for (const auto& [n, data] : parts) {
    ASSERT_NO_FATAL_FAILURE(PutPart((*grants)[n == 2 ? 0 : 1], data));
  }
  auto file = Commit(ticket->key, "mp.txt");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->size, 100 * 1024 + 5);
  auto grant = uploads_.DownloadGrant(actor_, space_, file->id, std::nullopt);
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->kind, TransferGrant::Kind::kDownload);
  EXPECT_EQ(grant->version, 1);
  auto dl = transfers_.OpenDownload(*grant);
  ASSERT_TRUE(dl) << dl.error().message;
  std::string out(11, '\0');
  ASSERT_EQ(dl->reader->ReadAt(100 * 1024 - 6, out.data(), 11).value(), 11u);
  EXPECT_EQ(out, "hello world");
}

TEST_F(UploadServiceTest, PartsButTheLastMustHold100KB) {
  UseUncappedSpace();
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  ASSERT_TRUE(ticket);
  auto grants = uploads_.PartGrants(actor_, ticket->key, {1, 2});
  ASSERT_TRUE(grants);
  for (int n : {1, 2}) {
    ASSERT_NO_FATAL_FAILURE(PutPart((*grants)[n - 1], std::string(100 * 1024 - 1, 'x')));
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
  auto grants = uploads_.PartGrants(actor_, ticket->key, {1});
  ASSERT_TRUE(grants);
  EXPECT_EQ((*grants)[0].part_number, 1);
  EXPECT_EQ((*grants)[0].max_bytes, kMaxPartBytes);
  auto sink = transfers_.OpenUpload((*grants)[0], uint64_t{5} * 1024 * 1024 * 1024 + 1);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().subject, "size");
}

TEST_F(UploadServiceTest, MissingPartIsRefused) {
  auto ticket = uploads_.Authorize(actor_, space_, {}, true);
  auto grants = uploads_.PartGrants(actor_, ticket->key, {2});
  ASSERT_NO_FATAL_FAILURE(PutPart((*grants)[0], "x"));
  auto r = Commit(ticket->key, "gap");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().subject, "uploadKey");
}

}  // namespace
}  // namespace spacestore::domain
