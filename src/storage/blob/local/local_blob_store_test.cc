#include "storage/blob/local/local_blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/crypto.h"
#include "base/mutex.h"
#include "temp_dir.h"

namespace spacestore::storage {
namespace {

namespace fs = std::filesystem;

std::string Sha256Hex(const std::string& data) {
  Digest d(Digest::Kind::kSha256);
  d.Update(data);
  return d.FinishHex();
}

fs::path BlobPath(const fs::path& root, const std::string& id) {
  return root / "blobs" / id.substr(0, 2) / id.substr(2, 2) / id;
}

// A body of `size` bytes that starts with `tag`, so a sync seam can tell whose file it holds.
std::string Body(char tag, size_t size) {
  std::string body(size, 'x');
  body[0] = tag;
  for (size_t i = 1; i < size; ++i) body[i] = static_cast<char>('a' + (i * 7 + tag) % 26);
  return body;
}

// The first byte of the file open (write-only) as `fd`, read through another descriptor.
char FirstByte(int fd) {
  const int read_fd = ::open(("/proc/self/fd/" + std::to_string(fd)).c_str(), O_RDONLY);
  EXPECT_GE(read_fd, 0);
  char c = 0;
  EXPECT_EQ(::pread(read_fd, &c, 1, 0), 1);
  ::close(read_fd);
  return c;
}

// `syncs`, with a file_data that fails with EIO for a file whose first byte is 'B'.
LocalBlobStore::Syncs FailingFilesOfB(LocalBlobStore::Syncs syncs) {
  syncs.file_data = [real = syncs.file_data](int fd) {
    return FirstByte(fd) == 'B' ? EIO : real(fd);
  };
  return syncs;
}

// Counts calls of a seam, so that a test can wait for the flush thread to have begun one.
class CallCount {
 public:
  void Add() {
    MutexLock lock(mu_);
    ++calls_;
    changed_.SignalAll();
  }
  int Calls() {
    MutexLock lock(mu_);
    return calls_;
  }
  // Whether `n` calls have begun within 10 s.
  bool WaitFor(int n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    MutexLock lock(mu_);
    while (calls_ < n && std::chrono::steady_clock::now() < deadline) {
      changed_.WaitFor(mu_, std::chrono::milliseconds(100));
    }
    return calls_ >= n;
  }

 private:
  Mutex mu_;
  CondVar changed_;
  int calls_ GUARDED_BY(mu_) = 0;
};

// Stores `body` through a new writer of `store`, in pieces, and returns the commit's result.
// With `flushes`, waits after the first 5 MiB until it has seen one more flush ahead begin
// (a writer's first starts at 4 MiB): a flush still queued at Commit would be dropped, and a
// test of the flushes would see none.
Result<domain::BlobInfo> Store(domain::BlobStore& store, const std::string& body,
                               CallCount* flushes = nullptr) {
  const int before = flushes != nullptr ? flushes->Calls() : 0;
  auto writer = store.NewWriter(false);
  if (!writer) return writer.error();
  // In chunks, some large enough for the write thread.
  constexpr size_t kPiece = size_t{256} * 1024;
  constexpr size_t kBeforeWait = size_t{5} * 1024 * 1024;
  for (size_t at = 0; at < body.size(); at += kPiece) {
    if (flushes != nullptr && at == kBeforeWait) {
      EXPECT_TRUE(flushes->WaitFor(before + 1)) << "no flush ahead began";
    }
    auto r = (*writer)->Append(std::string_view(body).substr(at, kPiece));
    if (!r) return r.error();
  }
  return (*writer)->Commit();
}

// The stored content of blob `id`, or "" if it cannot be read.
std::string ReadBack(domain::BlobStore& store, const std::string& id) {
  auto reader = store.Open(id);
  if (!reader) return "";
  std::string out(static_cast<size_t>((*reader)->size()), '\0');
  size_t at = 0;
  while (at < out.size()) {
    auto n = (*reader)->ReadAt(static_cast<int64_t>(at), out.data() + at, out.size() - at);
    if (!n || *n == 0) return "";
    at += *n;
  }
  return out;
}

// A write-back error of one file fails the commit of that file, and only that one, even when
// the commits share their filesystem sync; its content is never visible, its staging file gone.
TEST(LocalBlobStoreTest, AWriteBackErrorFailsExactlyTheCommitOfItsFile) {
  testing::TempDir dir;
  auto store =
      LocalBlobStore::OpenDirectory(dir.path(), FailingFilesOfB(LocalBlobStore::SystemSyncs()));
  ASSERT_TRUE(store);

  const std::string tags = "ABCD";
  std::vector<std::string> bodies;
  for (char tag : tags) bodies.push_back(Body(tag, size_t{1024} * 1024 + 17));
  std::vector<Result<domain::BlobInfo>> results(tags.size(), MakeError(Errc::kInternal, "", ""));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < tags.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = Store(**store, bodies[i]); });
  }
  for (auto& t : threads) t.join();

  for (size_t i = 0; i < tags.size(); ++i) {
    const std::string id = Sha256Hex(bodies[i]);
    if (tags[i] == 'B') {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code, Errc::kUnavailable);
      EXPECT_FALSE(*(*store)->Exists(id));
    } else {
      ASSERT_TRUE(results[i]) << tags[i] << ": " << results[i].error().message;
      EXPECT_EQ(results[i]->id, id);
      EXPECT_TRUE(*(*store)->Exists(id));
    }
  }
  EXPECT_TRUE((*(*store)->ListStaging(std::numeric_limits<int64_t>::max())).empty());
}

// The durable order of a commit: its data written back and waited for, then the rename, then a
// filesystem sync that began after the rename; the commit returns only after that sync.
TEST(LocalBlobStoreTest, TheFilesystemSyncBeginsAfterTheDataWaitAndTheRename) {
  testing::TempDir dir;
  const std::string body = Body('A', size_t{3} * 1024 * 1024);
  const fs::path target = BlobPath(dir.path(), Sha256Hex(body));
  Mutex mu;
  std::vector<std::string> log;
  LocalBlobStore::Syncs syncs = LocalBlobStore::SystemSyncs();
  const auto real = syncs;
  syncs.file_data = [&](int fd) {
    MutexLock lock(mu);
    log.emplace_back(fs::exists(target) ? "data wait, renamed" : "data wait, staged");
    return real.file_data(fd);
  };
  syncs.filesystem = [&](int fd) {
    MutexLock lock(mu);
    log.emplace_back(fs::exists(target) ? "filesystem sync, renamed" : "filesystem sync, staged");
    return real.filesystem(fd);
  };
  auto store = LocalBlobStore::OpenDirectory(dir.path(), syncs);
  ASSERT_TRUE(store);
  auto info = Store(**store, body);
  ASSERT_TRUE(info);
  MutexLock lock(mu);
  EXPECT_EQ(log, (std::vector<std::string>{"data wait, staged", "filesystem sync, renamed"}));
}

// A large file is flushed while it is still staged, so that its commit has little left to
// wait for; a small one is not (its flush would cost a journal commit for nothing).
TEST(LocalBlobStoreTest, ALargeFileIsFlushedAheadOfItsCommitAndASmallOneIsNot) {
  testing::TempDir dir;
  const std::string large = Body('L', size_t{20} * 1024 * 1024);
  const std::string small = Body('S', size_t{3} * 1024 * 1024);
  Mutex mu;
  std::vector<std::string> log;
  CallCount flushes;
  LocalBlobStore::Syncs syncs = LocalBlobStore::SystemSyncs();
  const auto real = syncs;
  syncs.file_ahead = [&](int fd) {
    {
      MutexLock lock(mu);
      log.push_back(std::string("ahead ") + FirstByte(fd));
    }
    flushes.Add();
    return real.file_ahead(fd);
  };
  syncs.file_data = [&](int fd) {
    MutexLock lock(mu);
    log.push_back(std::string("data ") + FirstByte(fd));
    return real.file_data(fd);
  };
  auto store = LocalBlobStore::OpenDirectory(dir.path(), syncs);
  ASSERT_TRUE(store);
  ASSERT_TRUE(Store(**store, large, &flushes));
  ASSERT_TRUE(Store(**store, small));
  EXPECT_EQ(ReadBack(**store, Sha256Hex(large)), large);
  MutexLock lock(mu);
  ASSERT_GE(log.size(), 3U);
  for (size_t i = 0; i + 2 < log.size(); ++i) EXPECT_EQ(log[i], "ahead L") << i;
  EXPECT_EQ(log[log.size() - 2], "data L");
  EXPECT_EQ(log.back(), "data S");
}

// A flush ahead that fails fails the commit: it may have consumed the file's writeback error,
// which the commit's own write-back would then not see. A duplicate's copy is dropped anyway:
// its failed flush does not fail it.
TEST(LocalBlobStoreTest, AFailedFlushAheadFailsTheCommitUnlessTheContentIsStored) {
  testing::TempDir dir;
  std::atomic<bool> failing{false};
  CallCount failed;
  LocalBlobStore::Syncs syncs = LocalBlobStore::SystemSyncs();
  syncs.file_ahead = [&, real = syncs.file_ahead](int fd) {
    if (!failing) return real(fd);
    failed.Add();
    return EIO;
  };
  auto store = LocalBlobStore::OpenDirectory(dir.path(), syncs);
  ASSERT_TRUE(store);
  const std::string stored = Body('A', size_t{10} * 1024 * 1024);
  ASSERT_TRUE(Store(**store, stored));
  failing = true;

  const std::string body = Body('B', size_t{10} * 1024 * 1024);
  auto info = Store(**store, body, &failed);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, Errc::kUnavailable);
  EXPECT_FALSE(*(*store)->Exists(Sha256Hex(body)));

  auto again = Store(**store, stored, &failed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(ReadBack(**store, Sha256Hex(stored)), stored);
  EXPECT_TRUE((*(*store)->ListStaging(std::numeric_limits<int64_t>::max())).empty());
}

// A failed filesystem sync fails the commit: its data may not be durable.
TEST(LocalBlobStoreTest, AFailedFilesystemSyncFailsTheCommit) {
  testing::TempDir dir;
  LocalBlobStore::Syncs syncs = LocalBlobStore::SystemSyncs();
  syncs.filesystem = [](int) { return EIO; };
  auto store = LocalBlobStore::OpenDirectory(dir.path(), syncs);
  ASSERT_TRUE(store);
  auto info = Store(**store, Body('A', 4096));
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, Errc::kUnavailable);
}

// A duplicate of stored content is dropped without writing it back, and its commit succeeds.
TEST(LocalBlobStoreTest, ADuplicateIsNotWrittenBack) {
  testing::TempDir dir;
  Mutex mu;
  int data_waits = 0;
  LocalBlobStore::Syncs syncs = LocalBlobStore::SystemSyncs();
  const auto real = syncs.file_data;
  syncs.file_data = [&](int fd) {
    MutexLock lock(mu);
    ++data_waits;
    return real(fd);
  };
  auto store = LocalBlobStore::OpenDirectory(dir.path(), syncs);
  ASSERT_TRUE(store);
  const std::string body = Body('A', size_t{512} * 1024);
  auto first = Store(**store, body);
  auto second = Store(**store, body);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->id, second->id);
  MutexLock lock(mu);
  EXPECT_EQ(data_waits, 1);
  EXPECT_TRUE((*(*store)->ListStaging(std::numeric_limits<int64_t>::max())).empty());
}

// The write-back path is taken only where syncfs reports every error and makes the data
// durable; any other kernel or filesystem, or a release that cannot be read, gets fsync.
TEST(LocalBlobStoreTest, SyncfsIsTrustedOnlyOnLinux517AndLaterOnExt4XfsOrBtrfs) {
  constexpr int64_t kExt4 = 0xEF53;
  constexpr int64_t kXfs = 0x58465342;
  constexpr int64_t kBtrfs = 0x9123683E;
  constexpr int64_t kNfs = 0x6969;
  constexpr int64_t kTmpfs = 0x01021994;
  EXPECT_TRUE(LocalBlobStore::TrustsSyncfs("6.18.0-1-amd64", kExt4));
  EXPECT_TRUE(LocalBlobStore::TrustsSyncfs("5.17.0", kXfs));
  EXPECT_TRUE(LocalBlobStore::TrustsSyncfs("5.19.3-arch1", kBtrfs));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("5.16.20", kExt4));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("5.8.0", kExt4));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("4.19.0-26-amd64", kExt4));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("6.1.0", kNfs));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("6.1.0", kTmpfs));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("", kExt4));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("6", kExt4));
  EXPECT_FALSE(LocalBlobStore::TrustsSyncfs("six.one", kExt4));
}

// The fsync path stores, deduplicates and reports a failed fsync to its own commit.
TEST(LocalBlobStoreTest, TheFsyncPathStoresAndFailsItsOwnCommit) {
  testing::TempDir dir;
  auto store =
      LocalBlobStore::OpenDirectory(dir.path(), FailingFilesOfB(LocalBlobStore::FsyncSyncs()));
  ASSERT_TRUE(store);
  const std::string a = Body('A', size_t{256} * 1024);
  auto stored = Store(**store, a);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->id, Sha256Hex(a));
  EXPECT_TRUE(Store(**store, a));
  auto failed = Store(**store, Body('B', 4096));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::kUnavailable);
}

}  // namespace
}  // namespace spacestore::storage
