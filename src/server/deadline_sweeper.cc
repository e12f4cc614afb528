// DeadlineSweeper: one timer for the whole server instead of one per request.
//
// A timer per request (or beast::tcp_stream's expiry) costs timer-queue work and often a
// system call on every read and write; here arming a deadline is one relaxed atomic store on
// the connection, and the cost moves to a walk of the registry a few times per read_timeout.
// Unlike tcp_stream's expiry, which closes the socket, cancelling leaves it open, so a request
// that had partly arrived can still be answered 408.
#include "server/deadline_sweeper.h"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "server/connection.h"
#include "server/connection_registry.h"

namespace spacestore::server {

DeadlineSweeper::DeadlineSweeper(const Strand& strand, ConnectionRegistry& connections,
                                 std::chrono::milliseconds read_timeout)
    : connections_(connections), tick_(TickFor(read_timeout)), timer_(strand) {}

std::chrono::milliseconds DeadlineSweeper::TickFor(std::chrono::milliseconds read_timeout) {
  return std::clamp<std::chrono::milliseconds>(read_timeout / 4, std::chrono::milliseconds(10),
                                               std::chrono::milliseconds(250));
}

void DeadlineSweeper::Start() {
  asio::post(timer_.get_executor(), [this] {
    if (!stopped_) Schedule();
  });
}

void DeadlineSweeper::Stop() {
  stopped_ = true;  // A tick already queued when the timer is cancelled sees this.
  timer_.cancel();
}

void DeadlineSweeper::Schedule() {
  timer_.expires_after(tick_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    connections_.CancelExpired(SteadyNanos());
    Schedule();
  });
}

}  // namespace spacestore::server
