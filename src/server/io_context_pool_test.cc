#include "server/io_context_pool.h"

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace spacestore::server {
namespace {

TEST(IoContextPoolTest, DealsContextsOutRoundRobin) {
  IoContextPool pool(3);
  ASSERT_EQ(pool.size(), 3U);
  std::vector<asio::io_context*> dealt(6);
  for (auto& context : dealt) context = &pool.Next();
  EXPECT_EQ(dealt[0], &pool.control());
  EXPECT_NE(dealt[1], dealt[0]);
  EXPECT_NE(dealt[2], dealt[0]);
  EXPECT_NE(dealt[2], dealt[1]);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(dealt[i], dealt[i + 3]);
}

TEST(IoContextPoolTest, FewerThanOneThreadCountsAsOne) {
  IoContextPool pool(0);
  EXPECT_EQ(pool.size(), 1U);
  EXPECT_EQ(&pool.Next(), &pool.control());
}

// Each context is run by one thread of its own, and the control context by Run's caller: what
// makes a context's executor a strand.
TEST(IoContextPoolTest, EachContextRunsOnOneThreadOfItsOwn) {
  IoContextPool pool(3);
  std::vector<std::set<std::thread::id>> seen(pool.size());
  std::atomic<int> left{static_cast<int>(pool.size()) * 50};
  std::vector<asio::io_context*> contexts(pool.size());
  for (auto& context : contexts) context = &pool.Next();
  // The control context stays busy until every handler on every context has run.
  asio::steady_timer until_done(pool.control(), std::chrono::hours(1));
  until_done.async_wait([](boost::system::error_code) {});
  for (size_t i = 0; i < contexts.size(); ++i) {
    for (int k = 0; k < 50; ++k) {
      asio::post(*contexts[i], [&, i] {
        seen[i].insert(std::this_thread::get_id());  // Unlocked: a data race if two threads ran i.
        if (--left == 0) asio::post(pool.control(), [&] { until_done.cancel(); });
      });
    }
  }
  const auto caller = std::this_thread::get_id();
  pool.Run();
  EXPECT_EQ(left.load(), 0);
  std::set<std::thread::id> all;
  for (size_t i = 0; i < seen.size(); ++i) {
    ASSERT_EQ(seen[i].size(), 1U) << "context " << i;
    all.insert(*seen[i].begin());
  }
  EXPECT_EQ(all.size(), pool.size());
  EXPECT_EQ(*seen[0].begin(), caller);
}

// Once the control context is out of work, the others finish what they hold, and Run returns.
TEST(IoContextPoolTest, RunLetsTheOtherContextsFinishTheirWork) {
  IoContextPool pool(2);
  pool.Next();
  asio::io_context& other = pool.Next();
  std::atomic<bool> finished{false};
  asio::steady_timer later(other, std::chrono::milliseconds(50));
  later.async_wait([&](boost::system::error_code) { finished = true; });
  pool.Run();  // The control context has nothing to do at all.
  EXPECT_TRUE(finished);
}

// An idle context does not end before the control context does: connections dealt to it later
// must still be served.
TEST(IoContextPoolTest, AnIdleContextKeepsRunningWhileControlHasWork) {
  IoContextPool pool(2);
  pool.Next();
  asio::io_context& other = pool.Next();
  std::atomic<bool> served{false};
  asio::steady_timer control_timer(pool.control(), std::chrono::milliseconds(50));
  control_timer.async_wait([&](boost::system::error_code) {
    asio::post(other, [&] { served = true; });  // After `other` has been idle for 50 ms.
  });
  pool.Run();
  EXPECT_TRUE(served);
}

// Stop cuts everything: Run returns although contexts still have work.
TEST(IoContextPoolTest, StopEndsRunWithWorkLeft) {
  IoContextPool pool(2);
  pool.Next();
  asio::io_context& other = pool.Next();
  asio::steady_timer forever(other, std::chrono::hours(1));
  forever.async_wait([](boost::system::error_code) {});
  asio::steady_timer control_forever(pool.control(), std::chrono::hours(1));
  control_forever.async_wait([](boost::system::error_code) {});
  asio::steady_timer stop(pool.control(), std::chrono::milliseconds(20));
  stop.async_wait([&](boost::system::error_code) { pool.Stop(); });
  const auto started = std::chrono::steady_clock::now();
  pool.Run();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::minutes(1));
}

}  // namespace
}  // namespace spacestore::server
