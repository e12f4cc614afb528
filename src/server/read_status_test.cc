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

http::request_header<> Head(unsigned version) {
  http::request_header<> head;
  head.version(version);
  head.set(http::field::host, "spacestore");
  return head;
}

TEST(ReadStatusTest, Http11NeedsExactlyOneHost) {
  EXPECT_EQ(FramingStatus(Head(11)), std::nullopt);
  http::request_header<> no_host;
  no_host.version(11);
  EXPECT_EQ(FramingStatus(no_host), 400);
  no_host.version(10);
  EXPECT_EQ(FramingStatus(no_host), std::nullopt);  // HTTP/1.0 has no Host requirement.
  auto twice = Head(11);
  twice.insert(http::field::host, "elsewhere");
  EXPECT_EQ(FramingStatus(twice), 400);
}

TEST(ReadStatusTest, OnlyPlainChunkedTransferEncodingIsAccepted) {
  for (const char* accepted : {"chunked", "Chunked", " chunked "}) {
    auto head = Head(11);
    head.set(http::field::transfer_encoding, accepted);
    EXPECT_EQ(FramingStatus(head), std::nullopt) << accepted;
  }
  for (const char* refused : {"gzip, chunked", "gzip", "chunked, chunked", "deflate,chunked",
                              "identity", "", "chunked;x=1"}) {
    auto head = Head(11);
    head.set(http::field::transfer_encoding, refused);
    EXPECT_EQ(FramingStatus(head), 501) << refused;
  }
  auto split = Head(11);
  split.insert(http::field::transfer_encoding, "gzip");
  split.insert(http::field::transfer_encoding, "chunked");
  EXPECT_EQ(FramingStatus(split), 501);
}

}  // namespace
}  // namespace spacestore::server
