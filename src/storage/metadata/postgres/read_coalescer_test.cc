// ReadCoalescer: each caller gets the answer for its own key, concurrent calls share batches
// within the limits, an answer is never older than its call, and errors stay per key.
#include "storage/metadata/postgres/read_coalescer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace spacestore::storage::pg {
namespace {

constexpr int kThreads = 16;
constexpr int kCalls = 200;

// Runs `call(key)` kCalls times on each of kThreads threads, every key distinct.
template <class F>
void FromManyThreads(F call) {
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) call(t * kCalls + i);
    });
  }
  for (auto& c : callers) c.join();
}

TEST(ReadCoalescerTest, EachCallerGetsItsOwnAnswerFromSharedBatches) {
  std::atomic<int> fetches{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> most_in_flight{0};
  std::atomic<size_t> largest{0};
  ReadCoalescer<int, int> reads(
      [&](const std::vector<int>& keys) {
        ++fetches;
        const int now = ++in_flight;
        for (int seen = most_in_flight; now > seen;)
          most_in_flight.compare_exchange_weak(seen, now);
        for (size_t seen = largest; keys.size() > seen;)
          largest.compare_exchange_weak(seen, keys.size());
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::vector<Result<int>> out;
        for (const int k : keys) out.emplace_back(k * 2);
        --in_flight;
        return out;
      },
      /*max_in_flight=*/2, /*max_batch=*/8);
  FromManyThreads([&](int key) {
    auto r = reads.Get(key);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, key * 2);
  });
  EXPECT_LT(fetches.load(), kThreads * kCalls / 2) << "calls were not batched";
  EXPECT_LE(most_in_flight.load(), 2);
  EXPECT_LE(largest.load(), 8u);
}

// A call never joins a batch that started before it: what was written before the call is seen.
TEST(ReadCoalescerTest, AnAnswerIsNeverOlderThanItsCall) {
  std::atomic<int> version{0};
  std::atomic<bool> stop{false};
  ReadCoalescer<int, int> reads(
      [&](const std::vector<int>& keys) {
        const int seen = version.load();
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        return std::vector<Result<int>>(keys.size(), Result<int>(seen));
      },
      2, 64);
  std::thread writer([&] {
    while (!stop) {
      ++version;
      std::this_thread::yield();
    }
  });
  FromManyThreads([&](int key) {
    const int before = version.load();
    auto r = reads.Get(key);
    ASSERT_TRUE(r);
    EXPECT_GE(*r, before);
  });
  stop = true;
  writer.join();
}

TEST(ReadCoalescerTest, ErrorsStayWithTheirKey) {
  ReadCoalescer<int, int> reads(
      [](const std::vector<int>& keys) {
        std::vector<Result<int>> out;
        for (const int k : keys) {
          out.push_back(k % 2 ? Result<int>(MakeError(Errc::kNotFound, "space", "odd"))
                              : Result<int>(k));
        }
        return out;
      },
      1, 64);
  FromManyThreads([&](int key) {
    auto r = reads.Get(key);
    if (key % 2) {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, Errc::kNotFound);
    } else {
      ASSERT_TRUE(r);
      EXPECT_EQ(*r, key);
    }
  });
}

}  // namespace
}  // namespace spacestore::storage::pg
