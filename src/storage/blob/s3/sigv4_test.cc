#include "storage/blob/s3/sigv4.h"

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace spacestore::storage::s3 {
namespace {

// The examples of the AWS documentation ("Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk", S3 API reference), all signed with this key pair.
const S3Credentials kExampleKeys{"AKIAIOSFODNN7EXAMPLE",
                                 "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigV4Request ExampleGet(std::vector<std::pair<std::string, std::string>> extra_headers) {
  SigV4Request r;
  r.method = "GET";
  r.amz_date = "20130524T000000Z";
  r.payload_sha256 = kEmptySha256;
  r.headers = {{"host", "examplebucket.s3.amazonaws.com"},
               {"x-amz-date", "20130524T000000Z"},
               {"x-amz-content-sha256", kEmptySha256}};
  for (auto& h : extra_headers) r.headers.push_back(std::move(h));
  return r;
}

TEST(SigV4Test, GetObjectWithRange) {
  SigV4Request r = ExampleGet({{"range", "bytes=0-9"}});
  r.path = "/test.txt";
  EXPECT_EQ(SigV4Signer::CanonicalRequest(r),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const SigV4Signer signer(kExampleKeys, "us-east-1");
  EXPECT_EQ(signer.StringToSign(r),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(signer.Authorization(r),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, PutObjectEncodesThePath) {
  SigV4Request r;
  r.method = "PUT";
  r.path = "/test$file.text";
  r.amz_date = "20130524T000000Z";
  r.payload_sha256 = Sha256Hex("Welcome to Amazon S3.");
  r.headers = {{"host", "examplebucket.s3.amazonaws.com"},
               {"date", "Fri, 24 May 2013 00:00:00 GMT"},
               {"x-amz-date", "20130524T000000Z"},
               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
               {"x-amz-content-sha256", r.payload_sha256}};
  EXPECT_EQ(r.payload_sha256, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_NE(SigV4Signer::CanonicalRequest(r).find("\n/test%24file.text\n"), std::string::npos);
  const SigV4Signer signer(kExampleKeys, "us-east-1");
  EXPECT_NE(signer.Authorization(r).find(
                "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
            std::string::npos);
}

TEST(SigV4Test, ListObjectsSortsAndEncodesTheQuery) {
  SigV4Request r = ExampleGet({});
  r.path = "/";
  r.query = {{"prefix", "J"}, {"max-keys", "2"}};  // Out of order on purpose.
  EXPECT_NE(SigV4Signer::CanonicalRequest(r).find("\nmax-keys=2&prefix=J\n"), std::string::npos);
  const SigV4Signer signer(kExampleKeys, "us-east-1");
  EXPECT_NE(signer.Authorization(r).find(
                "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
            std::string::npos);
}

TEST(SigV4Test, GetBucketLifecycleSignsAnEmptyQueryValue) {
  SigV4Request r = ExampleGet({});
  r.path = "/";
  r.query = {{"lifecycle", ""}};
  const SigV4Signer signer(kExampleKeys, "us-east-1");
  EXPECT_NE(signer.Authorization(r).find(
                "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
            std::string::npos);
}

// The signing-key example of the general SigV4 documentation (service iam).
TEST(SigV4Test, DerivedSigningKey) {
  const SigV4Signer signer({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, "us-east-1",
                           "iam");
  EXPECT_EQ(HexEncode(signer.SigningKey("20120215")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4Test, UriEncodeKeepsUnreservedAndOptionallySlash) {
  EXPECT_EQ(UriEncode("a-Z_0.9~/b c+%", false), "a-Z_0.9~/b%20c%2B%25");
  EXPECT_EQ(UriEncode("/x/", true), "%2Fx%2F");
  EXPECT_EQ(UriEncode("\xc3\xa9", true), "%C3%A9");
}

TEST(SigV4Test, AmzDateIsUtc) { EXPECT_EQ(AmzDate(1369353600000), "20130524T000000Z"); }

TEST(SigV4Test, SecretNeverAppearsInTheHeader) {
  const SigV4Signer signer(kExampleKeys, "us-east-1");
  SigV4Request r = ExampleGet({});
  r.path = "/";
  EXPECT_EQ(signer.Authorization(r).find(kExampleKeys.secret_access_key), std::string::npos);
}

}  // namespace
}  // namespace spacestore::storage::s3
