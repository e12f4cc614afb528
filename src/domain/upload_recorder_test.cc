#include "domain/upload_recorder.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/crypto.h"
#include "base/mutex.h"
#include "domain/upload_test_fixture.h"

namespace spacestore::domain {
namespace {

using UploadRecorderTest = UploadServiceTest;

// An authorized single upload of `size` bytes, not yet PUT.
std::string Authorized(UploadService& uploads, const Actor& actor, const std::string& space,
                       int64_t size) {
  PreCheck check;
  check.size = size;
  auto ticket = uploads.Authorize(actor, space, check, false);
  EXPECT_TRUE(ticket) << ticket.error().message;
  return ticket ? ticket->key : std::string();
}

TEST_F(UploadRecorderTest, BodiesFinishingTogetherAreEachRecordedWithTheirOwnBlob) {
  UseUncappedSpace();
  constexpr int kUploads = 16;
  std::vector<std::string> keys;
  for (int i = 0; i < kUploads; ++i) keys.push_back(Authorized(uploads_, actor_, space_, 9));
  std::vector<std::thread> threads;
  threads.reserve(kUploads);
  for (int i = 0; i < kUploads; ++i) {
    threads.emplace_back([&, i] {
      TransferGrant g;
      g.upload_key = keys[i];
      auto sink = transfers_.OpenUpload(g, 9);
      ASSERT_TRUE(sink) << sink.error().message;
      ASSERT_TRUE((*sink)->Append("body " + std::to_string(1000 + i)));
      auto done = (*sink)->Finish();
      EXPECT_TRUE(done) << done.error().message;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kUploads; ++i) {
    auto u = store_.Read([&](MetadataTransaction& tx) { return tx.uploads().Get(keys[i]); });
    ASSERT_TRUE(u);
    EXPECT_EQ(u->state, UploadSession::State::kUploaded);
    EXPECT_EQ(u->blob_id, Sha256Hex("body " + std::to_string(1000 + i)));
  }
}

TEST_F(UploadRecorderTest, ARefusedRecordIsRefusedAloneAndTheRestOfItsBatchCommits) {
  UseUncappedSpace();
  const std::string committed = Upload("first", 5);
  ASSERT_TRUE(Commit(committed, "a.txt"));
  const std::string open1 = Authorized(uploads_, actor_, space_, 3);
  const std::string open2 = Authorized(uploads_, actor_, space_, 3);
  UploadRecorder recorder(store_);
  // A transaction held open makes the recorder's first batch wait in the store, so the records
  // that come meanwhile queue up and go together in the next.
  Mutex mu;
  CondVar cv;
  bool holding = false;
  bool release = false;
  std::thread holder([&] {
    EXPECT_TRUE(store_.Transact([&](MetadataTransaction&) -> Result<void> {
      MutexLock lock(mu);
      holding = true;
      cv.SignalAll();
      while (!release) cv.Wait(mu);
      return {};
    }));
  });
  {
    MutexLock lock(mu);
    while (!holding) cv.Wait(mu);
  }
  const BlobInfo blob{Sha256Hex("abc"), 3, ""};
  Result<void> refused, first, second;
  std::vector<std::thread> callers;
  callers.emplace_back([&] { first = recorder.Record(open1, 0, blob); });
  callers.emplace_back([&] { refused = recorder.Record(committed, 0, blob); });
  callers.emplace_back([&] { second = recorder.Record(open2, 0, blob); });
  while (recorder.QueuedForTest() < 2) std::this_thread::yield();
  {
    MutexLock lock(mu);
    release = true;
  }
  cv.SignalAll();
  holder.join();
  for (std::thread& t : callers) t.join();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kConflict);
  EXPECT_TRUE(first);
  EXPECT_TRUE(second);
  for (const std::string& key : {open1, open2}) {
    auto u = store_.Read([&](MetadataTransaction& tx) { return tx.uploads().Get(key); });
    ASSERT_TRUE(u);
    EXPECT_EQ(u->state, UploadSession::State::kUploaded);
    EXPECT_EQ(u->blob_id, blob.id);
  }
}

}  // namespace
}  // namespace spacestore::domain
