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
      : client(ioc), socket(ioc), conn(socket, ioc.get_executor()) {
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

TEST(ConnectionRegistryLimitTest, AdmitsUpToTheLimit) {
  ConnectionRegistry registry(3);
  int woken = 0;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(registry.Admit([&] { ++woken; }));
  EXPECT_EQ(registry.admitted(), 3U);
  EXPECT_FALSE(registry.Admit([&] { ++woken; }));
  EXPECT_EQ(registry.admitted(), 3U);
  EXPECT_EQ(woken, 0);
}

TEST(ConnectionRegistryLimitTest, ReleaseWakesTheRefusedWaiterOnce) {
  ConnectionRegistry registry(1);
  ASSERT_TRUE(registry.Admit([] {}));
  int woken = 0;
  EXPECT_FALSE(registry.Admit([&] { ++woken; }));
  registry.Release();
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(registry.admitted(), 0U);
  EXPECT_TRUE(registry.Admit([&] { ++woken; }));
  registry.Release();  // No waiter left: the first was called already.
  EXPECT_EQ(woken, 1);
}

TEST(ConnectionRegistryLimitTest, ALaterRefusalReplacesTheWaiter) {
  ConnectionRegistry registry(1);
  ASSERT_TRUE(registry.Admit([] {}));
  int first = 0;
  int second = 0;
  EXPECT_FALSE(registry.Admit([&] { ++first; }));
  EXPECT_FALSE(registry.Admit([&] { ++second; }));
  registry.Release();
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST(ConnectionRegistryLimitTest, AWaiterMayAdmitAgainFromRelease) {
  // The listener's waiter only posts, but one that calls back must not deadlock: Release
  // calls it without the lock.
  ConnectionRegistry registry(1);
  ASSERT_TRUE(registry.Admit([] {}));
  bool admitted = false;
  EXPECT_FALSE(registry.Admit([&] { admitted = registry.Admit([] {}); }));
  registry.Release();
  EXPECT_TRUE(admitted);
  EXPECT_EQ(registry.admitted(), 1U);
}

TEST(ConnectionRegistryLimitTest, SlotsAreIndependentOfRegistration) {
  // Slots count accepted connections whose sessions may not have registered yet.
  asio::io_context ioc;
  PendingRead read(ioc);
  ConnectionRegistry registry(1);
  registry.Register(read.conn);
  EXPECT_EQ(registry.admitted(), 0U);
  EXPECT_TRUE(registry.Admit([] {}));
  EXPECT_FALSE(registry.Admit([] {}));
  registry.Unregister(read.conn);
  EXPECT_FALSE(registry.Admit([] {}));
  registry.Release();
  EXPECT_TRUE(registry.Admit([] {}));
}

TEST(ConnectionRegistryLimitTest, ALimitBelowOneIsOne) {
  ConnectionRegistry registry(0);
  EXPECT_EQ(registry.max_connections(), 1U);
  EXPECT_TRUE(registry.Admit([] {}));
  EXPECT_FALSE(registry.Admit([] {}));
}

}  // namespace
}  // namespace spacestore::server
