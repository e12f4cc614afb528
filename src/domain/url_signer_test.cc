#include "domain/url_signer.h"

#include <gtest/gtest.h>

#include "fake_clock.h"

namespace spacestore::domain {
namespace {

class UrlSignerTest : public ::testing::Test {
 protected:
  std::string Auth(const SignedRequest& r) { return r.headers.at(0).second; }
  testing::FakeClock clock_;
  UrlSigner signer_{"secret", "http://host:1", clock_};
};

TEST_F(UrlSignerTest, SignedRequestVerifies) {
  const auto r = signer_.Sign("PUT", "upload/k", 60);
  EXPECT_EQ(r.url, "http://host:1/blobs/upload/k");
  EXPECT_EQ(r.headers.at(0).first, "Authorization");
  EXPECT_EQ(r.headers.at(1).first, "x-oss-date");
  EXPECT_EQ(r.expiration_seconds, 60);
  EXPECT_TRUE(signer_.Verify("PUT", "upload/k", Auth(r)));
}

TEST_F(UrlSignerTest, OtherMethodResourceOrKeyFails) {
  const auto r = signer_.Sign("PUT", "upload/k", 60);
  EXPECT_EQ(signer_.Verify("GET", "upload/k", Auth(r)).error().subject, "signature");
  EXPECT_FALSE(signer_.Verify("PUT", "upload/k/1", Auth(r)));
  UrlSigner other("other", "http://host:1", clock_);
  EXPECT_FALSE(other.Verify("PUT", "upload/k", Auth(r)));
  std::string tampered = Auth(r);
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_FALSE(signer_.Verify("PUT", "upload/k", tampered));
  EXPECT_FALSE(signer_.Verify("PUT", "upload/k", ""));
  EXPECT_FALSE(signer_.Verify("PUT", "upload/k", "SPACESTORE-HMAC-SHA256 x:y"));
}

TEST_F(UrlSignerTest, ExpiredSignatureFails) {
  const auto r = signer_.Sign("GET", "download/a/b/1", 10);
  clock_.AdvanceMillis(9'999);
  EXPECT_TRUE(signer_.Verify("GET", "download/a/b/1", Auth(r)));
  clock_.AdvanceMillis(1);
  EXPECT_EQ(signer_.Verify("GET", "download/a/b/1", Auth(r)).error().subject, "expired");
}

TEST(HttpDateTest, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(784111777000), "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace
}  // namespace spacestore::domain
