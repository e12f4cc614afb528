#include "server/connection_registry.h"

#include <chrono>
#include <cstddef>

#include <gtest/gtest.h>
#include <boost/asio/buffer.hpp>

namespace spacestore::server {
namespace {

// A connection over loopback whose server side has a read pending, to show whether (and how)
// the registry's checks cancelled it.
struct PendingRead {
  explicit PendingRead(asio::io_context& ioc)
      : client(ioc), socket(ioc), conn(socket, asio::make_strand(ioc)) {
    tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(socket);
    socket.async_read_some(asio::buffer(byte), [this](boost::system::error_code ec, size_t) {
      done = true;
      result = ec;
    });
  }

  tcp::socket client;
  tcp::socket socket;
  Connection conn;
  char byte[1] = {};
  bool done = false;
  boost::system::error_code result;
};

// Two registered connections, each with a read pending.
class ConnectionRegistryTest : public ::testing::Test {
 protected:
  ConnectionRegistryTest() {
    registry_.Register(first_.conn);
    registry_.Register(second_.conn);
  }
  ~ConnectionRegistryTest() override {
    registry_.Unregister(first_.conn);  // No-op for one a test has unregistered already.
    registry_.Unregister(second_.conn);
  }

  // Runs whatever the checks posted; the pending reads keep the io_context busy meanwhile.
  void RunChecks() { ioc_.run_for(std::chrono::milliseconds(50)); }

  static bool Cancelled(const PendingRead& read) {
    return read.done && read.result == asio::error::operation_aborted;
  }
  static bool Untouched(const PendingRead& read) { return !read.done && !read.conn.timed_out; }

  asio::io_context ioc_;
  PendingRead first_{ioc_};
  PendingRead second_{ioc_};
  ConnectionRegistry registry_;
};

TEST_F(ConnectionRegistryTest, CancelExpiredCancelsOnlyConnectionsPastTheirDeadline) {
  PendingRead& late = first_;
  PendingRead& fine = second_;
  late.conn.deadline = 100;
  fine.conn.deadline = 300;
  registry_.CancelExpired(200);
  RunChecks();
  EXPECT_TRUE(Cancelled(late));
  EXPECT_TRUE(late.conn.timed_out);
  EXPECT_TRUE(Untouched(fine));
}

TEST_F(ConnectionRegistryTest, ACheckSkipsAConnectionReArmedOrGoneBeforeItRuns) {
  PendingRead& rearmed = first_;
  PendingRead& gone = second_;
  EXPECT_NE(rearmed.conn.id, gone.conn.id);
  rearmed.conn.deadline = 100;
  gone.conn.deadline = 100;
  registry_.CancelExpired(200);
  // Before the checks run on the strands: one connection starts its next read, the other ends.
  rearmed.conn.deadline = 500;
  registry_.Unregister(gone.conn);
  RunChecks();
  EXPECT_TRUE(Untouched(rearmed));
  EXPECT_TRUE(Untouched(gone));
}

TEST_F(ConnectionRegistryTest, DrainCancelsConnectionsWaitingForARequestAndReportsTheLast) {
  PendingRead& waiting = first_;
  PendingRead& busy = second_;
  busy.conn.reading = false;  // Its request is in flight: shutdown lets it finish.
  int empty_calls = 0;
  registry_.Drain([&] { ++empty_calls; });
  RunChecks();
  EXPECT_TRUE(Cancelled(waiting));
  EXPECT_TRUE(Untouched(busy));
  registry_.Unregister(waiting.conn);
  EXPECT_EQ(empty_calls, 0);
  registry_.Unregister(busy.conn);
  EXPECT_EQ(empty_calls, 1);
}

TEST(ConnectionRegistryEmptyTest, DrainReportsEmptyAtOnce) {
  ConnectionRegistry registry;
  int empty_calls = 0;
  registry.Drain([&] { ++empty_calls; });
  EXPECT_EQ(empty_calls, 1);
}

}  // namespace
}  // namespace spacestore::server
