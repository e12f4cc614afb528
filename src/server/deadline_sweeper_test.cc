#include "server/deadline_sweeper.h"

#include <chrono>

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>

#include "server/connection.h"
#include "server/connection_registry.h"

namespace spacestore::server {
namespace {

using std::chrono::milliseconds;

TEST(DeadlineSweeperTest, TicksFourTimesPerReadTimeoutWithin10To250Ms) {
  EXPECT_EQ(DeadlineSweeper::TickFor(milliseconds(30000)), milliseconds(250));
  EXPECT_EQ(DeadlineSweeper::TickFor(milliseconds(300)), milliseconds(75));
  EXPECT_EQ(DeadlineSweeper::TickFor(milliseconds(20)), milliseconds(10));
}

class DeadlineSweeperRunTest : public ::testing::Test {
 protected:
  DeadlineSweeperRunTest() : socket_(ioc_), conn_(socket_, ioc_.get_executor()) {
    registry_.Register(conn_);
  }

  // Stops the sweeper on its strand and expects the io_context to run out of work.
  void StopAndDrain() {
    asio::post(control_, [this] { sweeper_.Stop(); });
    registry_.Unregister(conn_);
    ioc_.run_for(std::chrono::seconds(2));
    EXPECT_TRUE(ioc_.stopped()) << "a stopped sweeper must leave no work behind";
  }

  asio::io_context ioc_;
  const Strand control_ = ioc_.get_executor();
  tcp::socket socket_;  // Never opened: cancelling it does nothing, `timed_out` tells.
  Connection conn_;
  ConnectionRegistry registry_;
  DeadlineSweeper sweeper_{control_, registry_, milliseconds(40)};  // Ticks every 10 ms.
};

TEST_F(DeadlineSweeperRunTest, CancelsAConnectionOnceItsDeadlineHasPassed) {
  const auto start = std::chrono::steady_clock::now();
  conn_.Arm(milliseconds(20));
  sweeper_.Start();
  while (!conn_.timed_out && std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    ioc_.run_one_for(milliseconds(5));
  }
  EXPECT_TRUE(conn_.timed_out);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(20));
  StopAndDrain();
}

TEST_F(DeadlineSweeperRunTest, LeavesADisarmedConnectionAlone) {
  conn_.Arm(milliseconds(20));
  conn_.Disarm();
  sweeper_.Start();
  ioc_.run_for(milliseconds(60));  // Several ticks.
  EXPECT_FALSE(conn_.timed_out);
  StopAndDrain();
}

}  // namespace
}  // namespace spacestore::server
