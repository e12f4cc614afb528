#include "server/read_status.h"

#include <gtest/gtest.h>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace spacestore::server {
namespace {

TEST(ReadStatusTest, LimitsAreAnswered413And431) {
  EXPECT_EQ(ReadErrorStatus(http::error::body_limit, false, true), 413);
  EXPECT_EQ(ReadErrorStatus(http::error::header_limit, false, true), 431);
}

TEST(ReadStatusTest, ATimeoutIs408OnlyOnceTheRequestHasBegun) {
  EXPECT_EQ(ReadErrorStatus(asio::error::operation_aborted, true, true), 408);
  // An idle kept-alive connection that times out is closed without an answer.
  EXPECT_EQ(ReadErrorStatus(asio::error::operation_aborted, true, false), 0);
}

TEST(ReadStatusTest, MalformedRequestsAre400) {
  EXPECT_EQ(ReadErrorStatus(http::error::bad_method, false, true), 400);
  EXPECT_EQ(ReadErrorStatus(http::error::bad_target, false, true), 400);
  EXPECT_EQ(ReadErrorStatus(http::error::bad_chunk, false, true), 400);
}

TEST(ReadStatusTest, AClientThatWentAwayIsNotAnswered) {
  EXPECT_EQ(ReadErrorStatus(http::error::end_of_stream, false, false), 0);
  EXPECT_EQ(ReadErrorStatus(http::error::partial_message, false, true), 0);
  EXPECT_EQ(ReadErrorStatus(asio::error::connection_reset, false, true), 0);
  EXPECT_EQ(ReadErrorStatus(asio::error::eof, false, true), 0);
}

TEST(ReadStatusTest, ExpectsContinueIgnoresCase) {
  http::request_header<> head;
  EXPECT_FALSE(ExpectsContinue(head));
  head.set(http::field::expect, "100-Continue");
  EXPECT_TRUE(ExpectsContinue(head));
  head.set(http::field::expect, "something-else");
  EXPECT_FALSE(ExpectsContinue(head));
}

}  // namespace
}  // namespace spacestore::server
