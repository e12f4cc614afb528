#include "server/worker_pool.h"

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/io_context_pool.h"

namespace spacestore::server {
namespace {

// Runs the coroutine `body` on a one-thread io_context (its executor is the strand) until it
// has finished.
template <class Body>
void RunOnStrand(Body& body) {
  asio::io_context ioc;
  const Strand strand = ioc.get_executor();
  asio::co_spawn(strand, body(strand), asio::detached);
  // Returns only when the coroutine is done: while a worker runs its call, the pending
  // hand-back keeps the io_context's work count up.
  ioc.run();
}

TEST(WorkerPoolTest, RunsOnAWorkerAndResumesOnTheCallersStrand) {
  WorkerPool pool(2);
  std::thread::id worker;
  int result = 0;
  bool on_strand = false;
  auto body = [&](const Strand& strand) -> awaitable<void> {
    result = co_await pool.Run([&] {
      worker = std::this_thread::get_id();
      return 42;
    });
    on_strand = strand.running_in_this_thread();
  };
  RunOnStrand(body);
  EXPECT_EQ(result, 42);
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_NE(worker, std::thread::id());
  EXPECT_TRUE(on_strand);
}

TEST(WorkerPoolTest, RethrowsInTheCoroutineWhatTheCallThrew) {
  WorkerPool pool(1);
  std::string caught;
  auto body = [&](const Strand&) -> awaitable<void> {
    try {
      co_await pool.Run([]() -> int { throw std::runtime_error("boom"); });
    } catch (const std::runtime_error& e) {
      caught = e.what();
    }
  };
  RunOnStrand(body);
  EXPECT_EQ(caught, "boom");
}

TEST(WorkerPoolTest, RunsCallsWithoutAResult) {
  WorkerPool pool(1);
  std::thread::id worker;
  auto body = [&](const Strand&) -> awaitable<void> {
    co_await pool.Run([&] { worker = std::this_thread::get_id(); });
  };
  RunOnStrand(body);
  EXPECT_NE(worker, std::thread::id());
  EXPECT_NE(worker, std::this_thread::get_id());
}

// With a context per I/O thread, each coroutine resumes on its own context, not on the one
// that happened to run the pool's hand-back first.
TEST(WorkerPoolTest, ResumesEachCallerOnItsOwnIoContext) {
  WorkerPool pool(2);
  IoContextPool io(2);
  std::array<asio::io_context*, 2> contexts{&io.Next(), &io.Next()};
  std::array<bool, 2> home{false, false};
  std::atomic<int> left{2};
  // The control context stays up until both coroutines are back.
  asio::steady_timer until_done(io.control(), std::chrono::hours(1));
  until_done.async_wait([](boost::system::error_code) {});
  // Outlives the coroutines: their frames refer to its captures. The index and strand are
  // parameters, copied into each frame.
  auto body = [&](size_t i, Strand strand) -> awaitable<void> {
    co_await pool.Run([] { return 0; });
    home[i] = strand.running_in_this_thread();
    if (--left == 0) asio::post(io.control(), [&] { until_done.cancel(); });
  };
  for (size_t i = 0; i < contexts.size(); ++i) {
    const Strand strand = contexts[i]->get_executor();
    asio::co_spawn(strand, body(i, strand), asio::detached);
  }
  io.Run();
  EXPECT_EQ(left.load(), 0);
  EXPECT_TRUE(home[0]);
  EXPECT_TRUE(home[1]);
}

}  // namespace
}  // namespace spacestore::server
