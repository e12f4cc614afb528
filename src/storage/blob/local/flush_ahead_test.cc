#include "storage/blob/local/flush_ahead.h"

#include <cerrno>
#include <vector>

#include <gtest/gtest.h>

#include "base/mutex.h"

namespace spacestore::storage {
namespace {

// A flush function that blocks each call until the test releases it, and records the
// descriptors it was called with.
class Gate {
 public:
  FlushAhead::FlushFn Fn(int error = 0) {
    return [this, error](int fd) {
      MutexLock lock(mu_);
      calls_.push_back(fd);
      changed_.SignalAll();
      while (released_ < static_cast<int>(calls_.size())) changed_.Wait(mu_);
      return error;
    };
  }
  void WaitForCalls(int n) {
    MutexLock lock(mu_);
    while (static_cast<int>(calls_.size()) < n) changed_.Wait(mu_);
  }
  void Release() {
    MutexLock lock(mu_);
    ++released_;
    changed_.SignalAll();
  }
  std::vector<int> Calls() {
    MutexLock lock(mu_);
    return calls_;
  }

 private:
  Mutex mu_;
  CondVar changed_;
  std::vector<int> calls_;
  int released_ = 0;
};

TEST(FlushAheadTest, OneFlushOfAFileAtATimeAndFinishWaitsForIt) {
  Gate gate;
  FlushAhead::Flushes file;  // Before the FlushAhead, which must end first.
  FlushAhead flush(gate.Fn());
  ASSERT_TRUE(flush.Start(file, 7));
  gate.WaitForCalls(1);
  EXPECT_FALSE(flush.Start(file, 7));  // The first one still runs.
  gate.Release();
  EXPECT_EQ(flush.Finish(file), 0);
  // Ended: the next one may start.
  ASSERT_TRUE(flush.Start(file, 7));
  gate.WaitForCalls(2);
  gate.Release();
  EXPECT_EQ(flush.Finish(file), 0);
  EXPECT_EQ(gate.Calls(), (std::vector<int>{7, 7}));
}

// A flush that has not begun by Finish is dropped: the writer's own sync covers its data.
TEST(FlushAheadTest, FinishDropsAQueuedFlush) {
  Gate gate;
  FlushAhead::Flushes first;
  FlushAhead::Flushes second;
  FlushAhead flush(gate.Fn());
  ASSERT_TRUE(flush.Start(first, 3));
  gate.WaitForCalls(1);  // The thread is busy with `first`, so `second` waits in the queue.
  EXPECT_TRUE(flush.Start(second, 4));  // Not ASSERT: `first` must be released below.
  EXPECT_EQ(flush.Finish(second), 0);
  gate.Release();
  EXPECT_EQ(flush.Finish(first), 0);
  EXPECT_EQ(gate.Calls(), (std::vector<int>{3}));
}

// A flush's error stays with its file: a flush that reported a writeback error consumed it.
TEST(FlushAheadTest, FinishReportsTheErrorOfAnyEarlierFlush) {
  Gate failing;
  FlushAhead::Flushes file;
  FlushAhead::Flushes other;
  FlushAhead flush(failing.Fn(EIO));
  ASSERT_TRUE(flush.Start(file, 5));
  failing.Release();
  failing.WaitForCalls(1);
  EXPECT_EQ(flush.Finish(file), EIO);
  EXPECT_EQ(flush.Finish(file), EIO);  // Asked again, still failed.
  EXPECT_EQ(flush.Finish(other), 0);   // Never flushed: nothing failed.
}

// A failed flush is kept however later ones go, and no further flush starts after it.
TEST(FlushAheadTest, AFailureStaysAndStopsLaterFlushes) {
  Mutex mu;
  int calls = 0;
  CondVar called;
  FlushAhead::Flushes file;
  FlushAhead flush([&](int) {
    MutexLock lock(mu);
    ++calls;
    called.SignalAll();
    return calls == 1 ? EIO : 0;
  });
  ASSERT_TRUE(flush.Start(file, 9));
  {
    MutexLock lock(mu);
    while (calls < 1) called.Wait(mu);
  }
  // Finish waits for the running flush: its error is recorded by then.
  EXPECT_EQ(flush.Finish(file), EIO);
  EXPECT_FALSE(flush.Start(file, 9));
  EXPECT_EQ(flush.Finish(file), EIO);
  MutexLock lock(mu);
  EXPECT_EQ(calls, 1);
}

TEST(FlushAheadTest, WithoutAFunctionNothingStarts) {
  FlushAhead flush(nullptr);
  FlushAhead::Flushes file;
  EXPECT_FALSE(flush.Start(file, 1));
  EXPECT_EQ(flush.Finish(file), 0);
}

}  // namespace
}  // namespace spacestore::storage
