// The HTTP framing spacestore refuses, against the real binary: codings it cannot decode, a
// missing Host, and 100 Continue only after the body-less checks have passed.
#include <gtest/gtest.h>

#include "server_process.h"

namespace spacestore {
namespace {

using testing::RawExchange;
using testing::ServerProcess;

bool Has(const std::string& reply, const std::string& part) {
  return reply.find(part) != std::string::npos;
}

// A body sent with a coding the server does not decode would be taken for what it is not.
TEST(StrictnessTest, TransferEncodingOtherThanChunkedGets501) {
  ServerProcess server;
  const std::string body = "5\r\nhello\r\n0\r\n\r\n";
  const std::string reply =
      RawExchange(server.port(),
                  "POST /v1.0/storage/spaces?unionId=union1 HTTP/1.1\r\nHost: x\r\n"
                  "x-acs-dingtalk-access-token: " +
                      server.Token() + "\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + body,
                  3000);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 501")) << reply;
  EXPECT_TRUE(Has(reply, R"("code":"paramError")")) << reply;
  EXPECT_TRUE(Has(reply, "Connection: close")) << reply;

  const std::string upload = RawExchange(server.port(),
                                         "PUT /blobs/upload/somekey HTTP/1.1\r\nHost: x\r\n"
                                         "Transfer-Encoding: deflate\r\n\r\n",
                                         3000);
  EXPECT_TRUE(upload.starts_with("HTTP/1.1 501")) << upload;
  EXPECT_TRUE(Has(upload, R"("code":"NotImplemented")")) << upload;
  EXPECT_EQ(server.Request("GET", "/livez").status, 200);
}

TEST(StrictnessTest, Http11WithoutHostGets400AndHttp10IsServed) {
  ServerProcess server;
  const std::string no_host = RawExchange(server.port(), "GET /livez HTTP/1.1\r\n\r\n", 3000);
  EXPECT_TRUE(no_host.starts_with("HTTP/1.1 400")) << no_host;
  const std::string two_hosts =
      RawExchange(server.port(), "GET /livez HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 3000);
  EXPECT_TRUE(two_hosts.starts_with("HTTP/1.1 400")) << two_hosts;
  const std::string old = RawExchange(server.port(), "GET /livez HTTP/1.0\r\n\r\n", 3000);
  EXPECT_TRUE(Has(old.substr(0, 12), " 200")) << old;
}

// A client that waits for 100 Continue learns of a bad token before it sends its body.
TEST(StrictnessTest, ContinueIsSentOnlyAfterTheTokenIsChecked) {
  ServerProcess server;
  const std::string head =
      "POST /v1.0/storage/spaces?unionId=union1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Expect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 2\r\n";
  const std::string refused =
      RawExchange(server.port(), head + "x-acs-dingtalk-access-token: forged\r\n\r\n", 3000);
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 400")) << refused;
  EXPECT_TRUE(Has(refused, "InvalidAuthentication")) << refused;
  EXPECT_FALSE(Has(refused, "100 Continue")) << refused;

  const std::string koodrive = RawExchange(
      server.port(),
      "POST /koodrive/ose/v1/space/union1 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Length: 10\r\n\r\n",
      3000);
  EXPECT_TRUE(koodrive.starts_with("HTTP/1.1 401")) << koodrive;
  EXPECT_FALSE(Has(koodrive, "100 Continue")) << koodrive;

  const std::string accepted = RawExchange(
      server.port(), head + "x-acs-dingtalk-access-token: " + server.Token() + "\r\n\r\n{}", 3000);
  EXPECT_TRUE(accepted.starts_with("HTTP/1.1 100 Continue")) << accepted;
  EXPECT_TRUE(Has(accepted, "HTTP/1.1 200")) << accepted;
}

}  // namespace
}  // namespace spacestore
