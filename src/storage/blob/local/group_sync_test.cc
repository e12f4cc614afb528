#include "storage/blob/local/group_sync.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/mutex.h"

namespace spacestore::storage {
namespace {

// A sync function that records when each run begins and ends in one global order, and that
// holds any run whose number is in `held` until Release.
class FakeSync {
 public:
  Result<void> Run() {
    MutexLock lock(mu_);
    const int run = ++runs_;
    log_.push_back("begin " + std::to_string(run));
    while (held_ == run) cv_.Wait(mu_);
    log_.push_back("end " + std::to_string(run));
    if (run == failing_) return MakeError(Errc::kUnavailable, "blob", "sync failed");
    return {};
  }
  // Appends an event of a caller to the same order.
  void Note(const std::string& event) {
    MutexLock lock(mu_);
    log_.push_back(event);
  }
  void Hold(int run) {
    MutexLock lock(mu_);
    held_ = run;
  }
  void Release() {
    {
      MutexLock lock(mu_);
      held_ = 0;
    }
    cv_.SignalAll();
  }
  void FailRun(int run) {
    MutexLock lock(mu_);
    failing_ = run;
  }
  // Whether run `run` has begun (the sync is inside it, or past it).
  bool Begun(int run) {
    MutexLock lock(mu_);
    return runs_ >= run;
  }
  int runs() {
    MutexLock lock(mu_);
    return runs_;
  }
  std::vector<std::string> log() {
    MutexLock lock(mu_);
    return log_;
  }

 private:
  Mutex mu_;
  CondVar cv_;
  int runs_ GUARDED_BY(mu_) = 0;
  int held_ GUARDED_BY(mu_) = 0;
  int failing_ GUARDED_BY(mu_) = 0;
  std::vector<std::string> log_ GUARDED_BY(mu_);
};

size_t IndexOf(const std::vector<std::string>& log, const std::string& event) {
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i] == event) return i;
  }
  ADD_FAILURE() << "no event '" << event << "'";
  return log.size();
}

// Every caller returns only after a run that began after its call has ended.
void ExpectEachCallerCovered(const std::vector<std::string>& log, int callers) {
  for (int c = 0; c < callers; ++c) {
    const size_t called = IndexOf(log, "call " + std::to_string(c));
    const size_t returned = IndexOf(log, "return " + std::to_string(c));
    bool covered = false;
    for (size_t i = called; i < returned && !covered; ++i) {
      if (!log[i].starts_with("begin ")) continue;
      const std::string end = "end " + log[i].substr(6);
      for (size_t j = i; j < returned; ++j) covered = covered || log[j] == end;
    }
    EXPECT_TRUE(covered) << "caller " << c << " was released before a run that began after it";
  }
}

TEST(GroupSyncTest, ALoneCallerRunsTheSyncItself) {
  FakeSync fake;
  GroupSync group([&] { return fake.Run(); });
  EXPECT_TRUE(group.Sync());
  EXPECT_TRUE(group.Sync());
  EXPECT_EQ(fake.runs(), 2);  // Nothing ran in between: each call needs a run of its own.
}

TEST(GroupSyncTest, CallersDuringARunShareTheNextOneAndWaitForIt) {
  FakeSync fake;
  GroupSync group([&] { return fake.Run(); });
  fake.Hold(1);
  std::thread first([&] {
    fake.Note("call 0");
    EXPECT_TRUE(group.Sync());
    fake.Note("return 0");
  });
  while (!fake.Begun(1)) std::this_thread::yield();
  constexpr int kLate = 8;
  std::vector<std::thread> late;
  late.reserve(kLate);
  for (int c = 1; c <= kLate; ++c) {
    late.emplace_back([&, c] {
      fake.Note("call " + std::to_string(c));
      EXPECT_TRUE(group.Sync());
      fake.Note("return " + std::to_string(c));
    });
  }
  // Run 1 stays held until all of them wait: it began before they came, so it covers none.
  while (group.CallersForTest() != kLate + 1) std::this_thread::yield();
  fake.Release();
  first.join();
  for (std::thread& t : late) t.join();
  EXPECT_EQ(fake.runs(), 2) << "the late callers should have shared one run";
  ExpectEachCallerCovered(fake.log(), kLate + 1);
}

TEST(GroupSyncTest, ManyCallersAreEachCoveredWhateverTheInterleaving) {
  FakeSync fake;
  GroupSync group([&] { return fake.Run(); });
  constexpr int kCallers = 16;
  std::vector<std::thread> threads;
  threads.reserve(kCallers);
  for (int c = 0; c < kCallers; ++c) {
    threads.emplace_back([&, c] {
      for (int round = 0; round < 20; ++round) {
        const std::string id = std::to_string(c * 100 + round);
        fake.Note("call " + id);
        EXPECT_TRUE(group.Sync());
        fake.Note("return " + id);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const auto log = fake.log();
  for (int c = 0; c < kCallers; ++c) {
    for (int round = 0; round < 20; ++round) {
      const std::string id = std::to_string(c * 100 + round);
      const size_t called = IndexOf(log, "call " + id);
      const size_t returned = IndexOf(log, "return " + id);
      bool covered = false;
      for (size_t i = called; i < returned && !covered; ++i) {
        if (!log[i].starts_with("begin ")) continue;
        const std::string end = "end " + log[i].substr(6);
        for (size_t j = i; j < returned; ++j) covered = covered || log[j] == end;
      }
      EXPECT_TRUE(covered) << "call " << id;
    }
  }
  EXPECT_LE(fake.runs(), kCallers * 20);
}

TEST(GroupSyncTest, AFailedRunFailsEveryCallerItMayHaveTouched) {
  FakeSync fake;
  GroupSync group([&] { return fake.Run(); });
  fake.FailRun(1);
  fake.Hold(1);
  std::atomic<bool> first_ok{true};
  std::thread first([&] { first_ok = static_cast<bool>(group.Sync()); });
  while (!fake.Begun(1)) std::this_thread::yield();
  // This caller came while the failing run 1 was writing: run 2 covers it and succeeds, but
  // run 1 may have lost its pages, so it fails too.
  std::atomic<bool> overlapping_ok{true};
  std::thread overlapping([&] { overlapping_ok = static_cast<bool>(group.Sync()); });
  while (group.CallersForTest() != 2) std::this_thread::yield();
  fake.Release();
  first.join();
  overlapping.join();
  EXPECT_FALSE(first_ok);
  EXPECT_FALSE(overlapping_ok);
  auto later = group.Sync();  // Came after the failure: its own run succeeds.
  EXPECT_TRUE(later);
  auto failed =
      GroupSync([] { return Result<void>(MakeError(Errc::kUnavailable, "blob", "x")); }).Sync();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::kUnavailable);
}

}  // namespace
}  // namespace spacestore::storage
