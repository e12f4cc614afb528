#include "api/transfer/url_signer.h"

#include <gtest/gtest.h>

#include "fake_clock.h"

namespace spacestore::api::transfer {
namespace {

class UrlSignerTest : public ::testing::Test {
 protected:
  std::string Auth(const domain::TransferLink& r) { return r.headers.at(0).second; }
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

TEST_F(UrlSignerTest, PreviousKeyAcceptsOnlyWhatItSignedBeforeTheRotation) {
  const auto before = signer_.Sign("GET", "download/a/b/1", 60);
  // Rotated 10 s later: the new signer takes "secret" as its previous key for expiries up to
  // now + 60 s.
  clock_.AdvanceMillis(10'000);
  const int64_t max_expiry = clock_.NowMillis() / 1000 + 60;
  UrlSigner rotated("new-secret", "secret", max_expiry, "http://host:1", clock_);
  EXPECT_TRUE(rotated.Verify("GET", "download/a/b/1", Auth(before)));
  const auto after = rotated.Sign("GET", "download/a/b/1", 60);
  EXPECT_FALSE(signer_.Verify("GET", "download/a/b/1", Auth(after)));
  // An old-key signature reaching past the grace is refused, even though it has not expired.
  const auto minted = signer_.Sign("GET", "download/a/b/1", 3600);
  EXPECT_TRUE(signer_.Verify("GET", "download/a/b/1", Auth(minted)));
  EXPECT_EQ(rotated.Verify("GET", "download/a/b/1", Auth(minted)).error().subject, "signature");
  // Without a previous key the old signatures stop at once.
  UrlSigner fresh("new-secret", "http://host:1", clock_);
  EXPECT_FALSE(fresh.Verify("GET", "download/a/b/1", Auth(before)));
}

TEST_F(UrlSignerTest, GrantsRoundTripThroughTheirLinks) {
  domain::TransferGrant upload;
  upload.upload_key = "key1";
  upload.part_number = 7;
  upload.issued_at = clock_.NowMillis();
  upload.ttl_seconds = 60;
  const auto link = signer_.Link(upload);
  EXPECT_EQ(link.url, "http://host:1/blobs/upload/key1/7");
  EXPECT_EQ(link.expiration_seconds, 60);
  auto back = signer_.Open("PUT", "upload/key1/7", Auth(link));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, domain::TransferGrant::Kind::kUpload);
  EXPECT_EQ(back->upload_key, "key1");
  EXPECT_EQ(back->part_number, 7);

  domain::TransferGrant download;
  download.kind = domain::TransferGrant::Kind::kDownload;
  download.space_id = "100";
  download.dentry_id = "200";
  download.version = 3;
  download.issued_at = clock_.NowMillis();
  download.ttl_seconds = 60;
  const auto get = signer_.Link(download);
  EXPECT_EQ(get.url, "http://host:1/blobs/download/100/200/3");
  auto opened = signer_.Open("GET", "download/100/200/3", Auth(get));
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->space_id, "100");
  EXPECT_EQ(opened->dentry_id, "200");
  EXPECT_EQ(opened->version, 3);
  // The signature binds the method: a download link does not open an upload.
  EXPECT_EQ(signer_.Open("PUT", "download/100/200/3", Auth(get)).error().subject, "signature");
}

TEST_F(UrlSignerTest, SignedPathsThatNameNothingAreNotFound) {
  const struct {
    const char* method;
    const char* resource;
    const char* subject;
  } cases[] = {{"PUT", "upload/k/0", "upload"},      {"PUT", "upload/k/10001", "upload"},
               {"PUT", "upload/k/x", "upload"},      {"PUT", "upload/k/1/2", "upload"},
               {"GET", "download/a/b", "dentry"},    {"GET", "download/a/b/v", "dentry"},
               {"GET", "download/a/b/1/2", "dentry"}};
  for (const auto& c : cases) {
    const auto link = signer_.Sign(c.method, c.resource, 60);
    auto r = signer_.Open(c.method, c.resource, Auth(link));
    ASSERT_FALSE(r) << c.resource;
    EXPECT_EQ(r.error().code, Errc::kNotFound) << c.resource;
    EXPECT_EQ(r.error().subject, c.subject) << c.resource;
  }
}

TEST(HttpDateTest, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(784111777000), "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace
}  // namespace spacestore::api::transfer
