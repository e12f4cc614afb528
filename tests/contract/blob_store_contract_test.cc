// The BlobStore contract: one typed suite run against every adapter (memory, local directory,
// S3 bucket on the s3rver emulator).
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "domain/blob_store.h"
#include "domain/collector.h"
#include "fake_clock.h"
#include "s3_server.h"
#include "storage/blob/local/local_blob_store.h"
#include "storage/blob/memory/memory_blob_store.h"
#include "storage/blob/s3/s3_blob_store.h"
#include "storage/metadata/memory/memory_metadata_store.h"
#include "temp_dir.h"

namespace spacestore {
namespace {

constexpr int64_t kAnyAge = std::numeric_limits<int64_t>::max();

// Every byte of blob `id`, as one ReadAt returns them.
std::string ReadAll(domain::BlobStore& store, const std::string& id) {
  auto reader = store.Open(id);
  EXPECT_TRUE(reader) << reader.error().message;
  if (!reader) return "";
  std::string out((*reader)->size(), '\0');
  auto n = (*reader)->ReadAt(0, out.data(), out.size());
  EXPECT_TRUE(n);
  out.resize(n ? *n : 0);
  return out;
}

// Commits `data` in one Append; returns its id.
std::string CommitBlob(domain::BlobStore& store, const std::string& data) {
  auto writer = store.NewWriter(false);
  EXPECT_TRUE(writer && (*writer)->Append(data));
  auto info = writer ? (*writer)->Commit() : Result<domain::BlobInfo>(writer.error());
  EXPECT_TRUE(info);
  return info ? info->id : std::string();
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

struct MemoryBlobs {
  testing::FakeClock clock;
  std::unique_ptr<domain::BlobStore> Make() {
    return std::make_unique<storage::MemoryBlobStore>(clock);
  }
};

struct LocalBlobs {
  testing::TempDir dir;
  std::unique_ptr<domain::BlobStore> Make() {
    auto store = storage::LocalBlobStore::OpenDirectory(dir.path());
    EXPECT_TRUE(store.has_value());
    return std::move(*store);
  }
};

// One emulator per test binary (started on first use, stopped at exit), one bucket per test.
testing::S3Server& SharedS3Server() {
  static testing::S3Server server;
  return server;
}

// Small parts and copy limit, so the suite's 1-3 MiB blobs take every path of the writer:
// one PUT, multipart + CopyObject, and multipart + read-back past the copy limit.
storage::S3BlobStoreOptions SmallS3Parts() {
  return {.part_size = 512 * 1024, .read_ahead = 64 * 1024, .max_copy_bytes = 2 * 1024 * 1024};
}

std::unique_ptr<storage::S3BlobStore> OpenS3Bucket(const Clock& clock) {
  auto& server = SharedS3Server();
  auto location = storage::s3::ParseS3Url(server.NewBucket(server.NewBucketName()));
  EXPECT_TRUE(location);
  auto store = storage::S3BlobStore::Open(
      *location, {testing::S3Server::kAccessKeyId, testing::S3Server::kSecretAccessKey}, clock,
      SmallS3Parts());
  EXPECT_TRUE(store) << store.error().message;
  return std::move(*store);
}

struct S3Blobs {
  SystemClock clock;
  std::unique_ptr<domain::BlobStore> Make() { return OpenS3Bucket(clock); }
};

template <class Factory>
class BlobStoreContract : public ::testing::Test {
 protected:
  void SetUp() override { store_ = factory_.Make(); }

  domain::BlobInfo Put(const std::string& data, bool md5 = false) {
    auto writer = store_->NewWriter(md5);
    EXPECT_TRUE(writer);
    EXPECT_TRUE((*writer)->Append(data.substr(0, data.size() / 2)));
    EXPECT_TRUE((*writer)->Append(data.substr(data.size() / 2)));
    auto info = (*writer)->Commit();
    EXPECT_TRUE(info);
    return *info;
  }

  std::string ReadAll(const std::string& id) { return spacestore::ReadAll(*store_, id); }

  Factory factory_;
  std::unique_ptr<domain::BlobStore> store_;
};

using Backends = ::testing::Types<MemoryBlobs, LocalBlobs, S3Blobs>;
TYPED_TEST_SUITE(BlobStoreContract, Backends);

TYPED_TEST(BlobStoreContract, CommitNamesContentBySha256) {
  const auto info = this->Put("hello world", true);
  EXPECT_EQ(info.id, Sha256Hex("hello world"));
  EXPECT_EQ(info.size, 11);
  EXPECT_EQ(info.md5, "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(this->ReadAll(info.id), "hello world");
  EXPECT_TRUE(this->store_->Exists(info.id).value());
}

TYPED_TEST(BlobStoreContract, Md5IsOnlyComputedWhenAsked) {
  EXPECT_TRUE(this->Put("abc").md5.empty());
}

TYPED_TEST(BlobStoreContract, NothingIsVisibleBeforeCommit) {
  auto writer = this->store_->NewWriter(false);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->Append("pending"));
  EXPECT_FALSE(this->store_->Exists(Sha256Hex("pending")).value());
  (*writer)->Abort();
  EXPECT_FALSE(this->store_->Exists(Sha256Hex("pending")).value());
  auto gone = this->store_->Open(Sha256Hex("pending"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
}

TYPED_TEST(BlobStoreContract, IdenticalContentIsStoredOnce) {
  const auto a = this->Put("same bytes");
  const auto b = this->Put("same bytes");
  EXPECT_EQ(a.id, b.id);
  auto all = this->store_->List("", std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TYPED_TEST(BlobStoreContract, ReadAtOffsetsAndPastTheEnd) {
  const auto info = this->Put("0123456789");
  auto reader = this->store_->Open(info.id);
  ASSERT_TRUE(reader);
  char buf[4];
  EXPECT_EQ((*reader)->ReadAt(6, buf, 4).value(), 4u);
  EXPECT_EQ(std::string(buf, 4), "6789");
  EXPECT_EQ((*reader)->ReadAt(8, buf, 4).value(), 2u);
  EXPECT_EQ((*reader)->ReadAt(10, buf, 4).value(), 0u);
}

// Sizes around the local adapter's 1 MiB writeback lag and its 128 KiB threshold for writing
// on the write thread, appended in uneven pieces that straddle them.
TYPED_TEST(BlobStoreContract, LargeBlobsInUnevenPiecesKeepEveryByte) {
  constexpr size_t kMiB = 1024 * 1024;
  for (const size_t size : {kMiB - 1, kMiB, kMiB + 1, 2 * kMiB, 3 * kMiB + 4097}) {
    std::string data(size, '\0');
    uint32_t x = static_cast<uint32_t>(size);
    for (char& c : data) {
      x = x * 1664525u + 1013904223u;  // Bytes that differ everywhere, so a misplaced run shows.
      c = static_cast<char>(x >> 24);
    }
    auto writer = this->store_->NewWriter(true);
    ASSERT_TRUE(writer);
    size_t at = 0;
    for (const size_t piece : {size_t{1}, size_t{4095}, kMiB - 7, size_t{12345}, 2 * kMiB}) {
      const size_t n = std::min(piece, size - at);
      ASSERT_TRUE((*writer)->Append(std::string_view(data).substr(at, n)));
      at += n;
    }
    ASSERT_TRUE((*writer)->Append(std::string_view(data).substr(at)));
    EXPECT_EQ((*writer)->size(), static_cast<int64_t>(size));
    auto info = (*writer)->Commit();
    ASSERT_TRUE(info);
    EXPECT_EQ(info->id, Sha256Hex(data)) << size;
    EXPECT_EQ(info->size, static_cast<int64_t>(size));
    Digest md5(Digest::Kind::kMd5);
    md5.Update(data);
    EXPECT_EQ(info->md5, md5.FinishHex()) << size;
    EXPECT_TRUE(this->ReadAll(info->id) == data) << "content differs at size " << size;
  }
}

TYPED_TEST(BlobStoreContract, EmptyBlob) {
  auto writer = this->store_->NewWriter(false);
  ASSERT_TRUE(writer);
  auto info = (*writer)->Commit();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 0);
  EXPECT_EQ(this->ReadAll(info->id), "");
}

TYPED_TEST(BlobStoreContract, RemoveAndList) {
  const auto a = this->Put("a");
  const auto b = this->Put("b");
  EXPECT_FALSE(this->store_->Remove(a.id, 0).value());  // Too young to go.
  EXPECT_TRUE(this->store_->Remove(a.id, kAnyAge).value());
  EXPECT_FALSE(this->store_->Remove(a.id, kAnyAge).value());  // Removing twice is fine.
  auto all = this->store_->List("", std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0], b.id);
  auto none = this->store_->List("", 0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

// Whether a store sets a removed blob aside is its own affair; what holds for all: a blob is
// readable (Open, Exists) exactly while it is committed or set aside, a set-aside one is listed
// by ListSetAside and not by List, and restoring or purging it leaves it committed or gone.
TYPED_TEST(BlobStoreContract, RemovedBlobsAreReadableExactlyWhileSetAside) {
  auto& store = *this->store_;
  const auto kept = this->Put("set aside, then restored");
  const auto gone = this->Put("set aside, then purged");
  ASSERT_TRUE(store.Remove(kept.id, kAnyAge).value());
  ASSERT_TRUE(store.Remove(gone.id, kAnyAge).value());
  bool kept_aside = false;
  bool gone_aside = false;
  for (const auto& [id, aside] :
       {std::pair{kept.id, &kept_aside}, std::pair{gone.id, &gone_aside}}) {
    const std::string slice = id.substr(0, 2);
    auto listed = store.ListSetAside(slice, kAnyAge);
    ASSERT_TRUE(listed) << listed.error().message;
    *aside = Contains(*listed, id);
    for (const auto& other : *listed) EXPECT_EQ(other.substr(0, 2), slice);
    EXPECT_FALSE(Contains(*store.List(slice, kAnyAge), id));
    EXPECT_FALSE(Contains(*store.ListSetAside(slice, 0), id));  // Set aside after the cutoff.
    EXPECT_EQ(store.Exists(id).value(), *aside);
    EXPECT_EQ(store.Open(id).has_value(), *aside);
  }
  if (kept_aside) {
    EXPECT_EQ(this->ReadAll(kept.id), "set aside, then restored");
  }
  EXPECT_EQ(store.RestoreSetAside(kept.id).value(), kept_aside);
  // Set aside after this cutoff (by a later removal): kept, whatever an older decision said.
  EXPECT_FALSE(store.PurgeSetAside(gone.id, 0).value());
  EXPECT_EQ(store.Exists(gone.id).value(), gone_aside);
  EXPECT_EQ(store.PurgeSetAside(gone.id, kAnyAge).value(), gone_aside);
  EXPECT_TRUE(store.ListSetAside("", kAnyAge)->empty());
  EXPECT_EQ(Contains(*store.List("", kAnyAge), kept.id), kept_aside);  // Committed again.
  if (kept_aside) {
    EXPECT_EQ(this->ReadAll(kept.id), "set aside, then restored");
  }
  EXPECT_FALSE(store.Exists(gone.id).value());
  ASSERT_FALSE(store.Open(gone.id));
  EXPECT_EQ(store.Open(gone.id).error().code, Errc::kNotFound);
  // Nothing set aside: false, whatever the id.
  for (const std::string& id : {gone.id, kept.id, std::string("../trash"), std::string()}) {
    EXPECT_FALSE(store.RestoreSetAside(id).value()) << id;
    EXPECT_FALSE(store.PurgeSetAside(id, kAnyAge).value()) << id;
  }
  EXPECT_TRUE(store.ListSetAside("zz", kAnyAge)->empty());
}

TYPED_TEST(BlobStoreContract, ListByPrefix) {
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(this->Put("blob " + std::to_string(i)).id);
  size_t total = 0;
  for (int slice = 0; slice < 256; ++slice) {
    const std::string prefix = HexEncode(std::string(1, static_cast<char>(slice)));
    auto got = this->store_->List(prefix, kAnyAge);
    ASSERT_TRUE(got) << prefix;
    for (const auto& id : *got) {
      EXPECT_EQ(id.substr(0, 2), prefix);
      EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end());
    }
    total += got->size();
  }
  EXPECT_EQ(total, ids.size());  // Every blob in exactly one slice.
  const std::string& id = ids[0];
  auto one = this->store_->List(id.substr(0, 5), kAnyAge);
  ASSERT_TRUE(one);
  EXPECT_NE(std::find(one->begin(), one->end(), id), one->end());
  for (const auto& other : *one) EXPECT_EQ(other.substr(0, 5), id.substr(0, 5));
  auto bad = this->store_->List("zz", kAnyAge);
  ASSERT_TRUE(bad);
  EXPECT_TRUE(bad->empty());
}

TYPED_TEST(BlobStoreContract, MalformedIdsAreNotFound) {
  for (const char* id : {"", "../../etc/passwd", "xyz", "ABCDEF"}) {
    auto r = this->store_->Open(id);
    ASSERT_FALSE(r) << id;
    EXPECT_EQ(r.error().code, Errc::kNotFound);
  }
}

TYPED_TEST(BlobStoreContract, AppendAfterCommitFails) {
  auto writer = this->store_->NewWriter(false);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->Commit());
  EXPECT_FALSE((*writer)->Append("more"));
}

TEST(LocalBlobStoreTest, AbandonedStagingFilesAreSwept) {
  testing::TempDir dir;
  auto store = storage::LocalBlobStore::OpenDirectory(dir.path());
  ASSERT_TRUE(store);
  // What a crash mid-upload leaves behind: a staging file no writer owns.
  { std::ofstream(dir.path() / "staging" / "crashed.part") << "half"; }
  auto listed = (*store)->ListStaging(std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, std::vector<std::string>{"crashed.part"});
  EXPECT_TRUE((*store)->ListStaging(0)->empty());  // Younger than the cutoff: not listed.
  auto removed = (*store)->SweepStaging(std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 1);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "staging"));
}

TEST(LocalBlobStoreTest, SurvivesAFanOutDirectoryRemovedUnderIt) {
  testing::TempDir dir;
  auto store = storage::LocalBlobStore::OpenDirectory(dir.path());
  ASSERT_TRUE(store);
  auto put = [&](const std::string& data) {
    auto writer = (*store)->NewWriter(false);
    EXPECT_TRUE((*writer)->Append(data));
    return (*writer)->Commit();
  };
  auto first = put("abc");
  ASSERT_TRUE(first);
  std::filesystem::remove_all(dir.path() / "blobs" / first->id.substr(0, 2));
  auto again = put("abc");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE((*store)->Exists(first->id).value());
}

TEST(LocalBlobStoreTest, DuplicatesAndConcurrentCommitsLeaveOnlyTheirBlobs) {
  testing::TempDir dir;
  auto store = storage::LocalBlobStore::OpenDirectory(dir.path());
  ASSERT_TRUE(store);
  auto put = [&](std::string_view data) {
    auto writer = (*store)->NewWriter(false);
    EXPECT_TRUE(writer);
    for (size_t at = 0; at < data.size(); at += 300000) {
      EXPECT_TRUE((*writer)->Append(data.substr(at, 300000)));
    }
    return (*writer)->Commit();
  };
  std::string big(3 * 1024 * 1024 + 5, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 4096);
  auto first = put(big);
  ASSERT_TRUE(first);
  auto duplicate = put(big);  // Dropped without its fsync; the stored copy answers.
  ASSERT_TRUE(duplicate);
  EXPECT_EQ(duplicate->id, first->id);
  // Commits of distinct content from many threads at once share their syncs; each must still
  // find its own blob stored.
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::vector<std::string> ids(8 * 10);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto info = put("content " + std::to_string(t) + "/" + std::to_string(i));
        ASSERT_TRUE(info);
        ids[t * 10 + i] = info->id;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& id : ids) EXPECT_TRUE((*store)->Exists(id).value()) << id;
  auto reader = (*store)->Open(first->id);
  ASSERT_TRUE(reader);
  std::string back(big.size(), '\0');
  EXPECT_EQ((*reader)->ReadAt(0, back.data(), back.size()).value(), big.size());
  EXPECT_TRUE(back == big);
  EXPECT_EQ((*store)->List("", std::numeric_limits<int64_t>::max())->size(), 1u + ids.size());
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "staging"));
}

TEST(LocalBlobStoreTest, FilesAndFoldersAreOwnerOnlyWhateverTheUmask) {
  namespace fs = std::filesystem;
  testing::TempDir dir;
  const mode_t old_umask = ::umask(022);  // Permissive, as a library caller might have it.
  auto store = storage::LocalBlobStore::OpenDirectory(dir.path());
  ASSERT_TRUE(store);
  auto writer = (*store)->NewWriter(false);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->Append("secret"));
  for (const auto& e : fs::directory_iterator(dir.path() / "staging")) {
    EXPECT_EQ(fs::status(e.path()).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  }
  auto blob = (*writer)->Commit();
  ::umask(old_umask);
  ASSERT_TRUE(blob);
  const fs::path fan_out = dir.path() / "blobs" / blob->id.substr(0, 2);
  for (const auto& path :
       {dir.path() / "blobs", dir.path() / "staging", fan_out, fan_out / blob->id.substr(2, 2)}) {
    EXPECT_EQ(fs::status(path).permissions(), fs::perms::owner_all) << path;
  }
  EXPECT_EQ(fs::status(fan_out / blob->id.substr(2, 2) / blob->id).permissions(),
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST(S3BlobStoreTest, AbandonedStagingObjectsAreSwept) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  // What a crash between completing a staging upload and deleting it leaves behind.
  ASSERT_TRUE(store->client_for_test().PutObject("staging/crashed", "half"));
  auto listed = store->ListStaging(kAnyAge);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(*listed, std::vector<std::string>{"crashed"});
  EXPECT_TRUE(store->ListStaging(0)->empty());  // Younger than the cutoff: not listed.
  auto removed = store->SweepStaging(kAnyAge);
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 1);
  EXPECT_TRUE(store->ListStaging(kAnyAge)->empty());
}

TEST(S3BlobStoreTest, LargeBlobIsInvisibleUntilCommitAndLeavesNoStaging) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  const std::string data(3 * SmallS3Parts().part_size / 2, 'x');  // A part and a half.
  for (const bool commit : {false, true}) {
    auto writer = store->NewWriter(false);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Append(data));  // Sends the first part.
    EXPECT_FALSE(store->Exists(Sha256Hex(data)).value());
    EXPECT_TRUE(store->List("", kAnyAge)->empty());
    if (commit) {
      ASSERT_TRUE((*writer)->Commit());
    } else {
      (*writer)->Abort();
    }
    EXPECT_EQ(store->Exists(Sha256Hex(data)).value(), commit);
    EXPECT_TRUE(store->ListStaging(kAnyAge)->empty());
  }
}

// The collector removes only blobs committed before its cutoff; a duplicate commit counts as a
// new commit. S3 keeps LastModified in whole seconds, hence the wait into the next second.
TEST(S3BlobStoreTest, DuplicateCommitRefreshesTheCommitTime) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  auto put = [&] {
    auto writer = store->NewWriter(false);
    EXPECT_TRUE((*writer)->Append("shared content"));
    return (*writer)->Commit();
  };
  auto first = put();
  ASSERT_TRUE(first);
  const int64_t first_second = clock.NowMillis() / 1000;
  while (clock.NowMillis() / 1000 == first_second) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int64_t cutoff = clock.NowMillis() / 1000 * 1000;  // After the first commit's second.
  ASSERT_TRUE(put());
  EXPECT_FALSE(store->Remove(first->id, cutoff).value());
  EXPECT_EQ(*store->List("", cutoff), std::vector<std::string>{});
  EXPECT_TRUE(store->Remove(first->id, cutoff + 2000).value());
}

TEST(S3BlobStoreTest, WrongKeysOrEndpointFailAtOpenWithoutSecrets) {
  SystemClock clock;
  auto& server = SharedS3Server();
  auto location = storage::s3::ParseS3Url(server.NewBucket(server.NewBucketName()));
  ASSERT_TRUE(location);
  const storage::s3::S3Credentials wrong{"NOT-A-KEY", "very-secret-value"};
  auto refused = storage::S3BlobStore::Open(*location, wrong, clock);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kUnavailable);
  EXPECT_NE(refused.error().message.find("InvalidAccessKeyId"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("very-secret-value"), std::string::npos);
  location->port = "1";  // Nothing listens there.
  auto down = storage::S3BlobStore::Open(
      *location, {testing::S3Server::kAccessKeyId, testing::S3Server::kSecretAccessKey}, clock);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, Errc::kUnavailable);
}

// s3rver (Node's HTTP server) closes a keep-alive connection after about 6 idle seconds, as S3 and
// proxies do after theirs: the next call must not fail on the dead pooled connection.
TEST(S3BlobStoreTest, ConnectionsClosedWhileIdleAreReplaced) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  const std::string id = Sha256Hex("x");
  ASSERT_TRUE(store->Exists(id));
  std::this_thread::sleep_for(std::chrono::milliseconds(7000));
  auto again = store->Exists(id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
}

TEST(S3BlobStoreTest, SmallSequentialReadsComeFromTheReadAhead) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  std::string data(200 * 1024, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + i / 251);
  auto writer = store->NewWriter(false);
  ASSERT_TRUE((*writer)->Append(data));
  auto info = (*writer)->Commit();
  ASSERT_TRUE(info);
  auto reader = store->Open(info->id);
  ASSERT_TRUE(reader);
  std::string got;
  char buf[4000];
  for (int64_t at = 0;;) {
    auto n = (*reader)->ReadAt(at, buf, sizeof buf);
    ASSERT_TRUE(n) << n.error().message;
    if (*n == 0) break;
    got.append(buf, *n);
    at += static_cast<int64_t>(*n);
  }
  EXPECT_TRUE(got == data);
}

// The race the two-step removal closes: the collector's HEAD saw an old unreferenced blob, then
// a new upload of the same content committed (re-PUT, the upload's reference recorded next),
// then the DELETE. The bytes stay readable from trash/, and Remove still reports the removal.
TEST(S3BlobStoreTest, ACommitRacingRemoveKeepsItsContent) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  const std::string data = "content a new upload deduplicates onto";
  const std::string id = CommitBlob(*store, data);
  int raced = 0;
  store->SetBeforeRemoveDeleteForTest([&](std::string_view removing) {
    EXPECT_EQ(removing, id);
    EXPECT_EQ(CommitBlob(*store, data), id);
    ++raced;
  });
  ASSERT_TRUE(store->Remove(id, kAnyAge).value());
  EXPECT_EQ(raced, 1);
  EXPECT_TRUE(store->List("", kAnyAge)->empty());  // Gone from blobs/ ...
  EXPECT_EQ(*store->ListSetAside("", kAnyAge), std::vector<std::string>{id});  // ... set aside,
  EXPECT_TRUE(store->Exists(id).value());                                      // still found,
  EXPECT_EQ(ReadAll(*store, id), data);                                        // still read.
}

// The collector settles what raced removals set aside once it is older than the grace period:
// a blob the racing commit's reference names is restored to blobs/ (committed anew), one that
// nothing references is purged. The collector's clock is two hours ahead instead of a wait.
TEST(S3BlobStoreTest, TheCollectorRestoresARacedBlobIfReferencedAndPurgesItIfNot) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  const std::string kept = CommitBlob(*store, "committed again, and referenced");
  const std::string gone = CommitBlob(*store, "committed again, then abandoned");
  store->SetBeforeRemoveDeleteForTest([&](std::string_view id) {
    CommitBlob(*store,
               id == kept ? "committed again, and referenced" : "committed again, then abandoned");
  });
  ASSERT_TRUE(store->Remove(kept, kAnyAge).value());
  ASSERT_TRUE(store->Remove(gone, kAnyAge).value());
  store->SetBeforeRemoveDeleteForTest(nullptr);

  storage::MemoryMetadataStore metadata;  // The racing upload of `kept` recorded its reference.
  ASSERT_TRUE(metadata.Transact([&](domain::MetadataTransaction& tx) {
    domain::UploadSession upload;
    upload.key = "raced";
    upload.state = domain::UploadSession::State::kUploaded;
    upload.blob_id = kept;
    upload.expire_time = kAnyAge;
    return tx.uploads().Put(upload);
  }));
  const int64_t before = clock.NowMillis() / 1000 * 1000;
  testing::FakeClock later(clock.NowMillis() + int64_t{2} * 3600 * 1000);
  domain::Collector collector(metadata, *store, later,
                              domain::CollectorOptions{.blob_grace_seconds = 3600});
  auto stats = collector.Collect();
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->set_aside_restored, 1);
  EXPECT_EQ(stats->set_aside_purged, 1);
  EXPECT_EQ(stats->blobs_removed, 0);
  EXPECT_EQ(*store->List("", kAnyAge), std::vector<std::string>{kept});
  EXPECT_TRUE(store->List("", before)->empty());  // Restored means committed now.
  EXPECT_TRUE(store->ListSetAside("", kAnyAge)->empty());
  EXPECT_EQ(ReadAll(*store, kept), "committed again, and referenced");
  EXPECT_FALSE(store->Exists(gone).value());
}

// A reader open on a blob keeps reading when the collector sets it aside or restores it: the
// bytes are the same at the other key.
TEST(S3BlobStoreTest, AnOpenReaderFollowsTheBlobToTrashAndBack) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  // Two read-ahead windows apart, so each read below is its own GET.
  const int64_t far = 2 * static_cast<int64_t>(SmallS3Parts().read_ahead);
  std::string data(static_cast<size_t>(far) + 10, 'r');
  data.replace(static_cast<size_t>(far), 10, "0123456789");
  const std::string id = CommitBlob(*store, data);
  auto reader = store->Open(id);
  ASSERT_TRUE(reader);
  std::string buf(10, '\0');
  ASSERT_TRUE(store->Remove(id, kAnyAge).value());
  auto aside = (*reader)->ReadAt(0, buf.data(), buf.size());  // From trash/.
  ASSERT_TRUE(aside) << aside.error().message;
  EXPECT_EQ(buf, "rrrrrrrrrr");
  ASSERT_TRUE(store->RestoreSetAside(id).value());
  auto back = (*reader)->ReadAt(far, buf.data(), buf.size());  // From blobs/ again.
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(buf, "0123456789");
}

// Past the single-CopyObject limit (2 MiB here, 5 GiB on S3) setting aside and restoring copy
// by parts, as Commit does.
TEST(S3BlobStoreTest, BlobsPastTheCopyLimitAreSetAsideAndRestored) {
  SystemClock clock;
  auto store = OpenS3Bucket(clock);
  std::string data(static_cast<size_t>(SmallS3Parts().max_copy_bytes) + 4097, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 + i / 509);
  const std::string id = CommitBlob(*store, data);
  ASSERT_TRUE(store->Remove(id, kAnyAge).value());
  EXPECT_EQ(*store->ListSetAside("", kAnyAge), std::vector<std::string>{id});
  EXPECT_TRUE(ReadAll(*store, id) == data);
  ASSERT_TRUE(store->RestoreSetAside(id).value());
  EXPECT_EQ(*store->List("", kAnyAge), std::vector<std::string>{id});
  EXPECT_TRUE(ReadAll(*store, id) == data);
}

}  // namespace
}  // namespace spacestore
