#include "storage/blob/s3/s3_location.h"

#include <gtest/gtest.h>

namespace spacestore::storage::s3 {
namespace {

TEST(S3LocationTest, BucketEndpointAndRegion) {
  auto loc = ParseS3Url("s3://my-bucket?endpoint=http://127.0.0.1:9000&region=eu-west-1");
  ASSERT_TRUE(loc) << loc.error().message;
  EXPECT_EQ(loc->bucket, "my-bucket");
  EXPECT_EQ(loc->host, "127.0.0.1");
  EXPECT_EQ(loc->port, "9000");
  EXPECT_EQ(loc->region, "eu-west-1");
}

TEST(S3LocationTest, RegionAndPortDefaults) {
  auto loc = ParseS3Url("s3://blobs.example?endpoint=http://minio.internal");
  ASSERT_TRUE(loc) << loc.error().message;
  EXPECT_EQ(loc->port, "80");
  EXPECT_EQ(loc->region, "us-east-1");
}

TEST(S3LocationTest, HttpsEndpointsUseTlsOn443ByDefault) {
  auto loc = ParseS3Url("s3://blobs?endpoint=https://s3.example.com");
  ASSERT_TRUE(loc) << loc.error().message;
  EXPECT_TRUE(loc->tls);
  EXPECT_EQ(loc->port, "443");
  auto other = ParseS3Url("s3://blobs?endpoint=https://minio.internal:9443");
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->port, "9443");
  EXPECT_FALSE(ParseS3Url("s3://blobs?endpoint=http://minio.internal")->tls);
}

TEST(S3LocationTest, BadFormsAreInvalidArgument) {
  for (const char* url : {"", "s3://", "local", "http://bucket?endpoint=http://h:1", "s3://bucket",
                          "s3://Bucket?endpoint=http://h:1", "s3://ab?endpoint=http://h:1",
                          "s3://bucket/path?endpoint=http://h:1", "s3://bucket?endpoint=ftp://h:1",
                          "s3://bucket?endpoint=http://h:1/p",
                          "s3://bucket?endpoint=http://h:1&region=", "s3://bucket?endpoint=h",
                          "s3://bucket?endpoint=http://h:1&secret=x"}) {
    auto loc = ParseS3Url(url);
    ASSERT_FALSE(loc) << url;
    EXPECT_EQ(loc.error().code, Errc::kInvalidArgument) << url;
    EXPECT_EQ(loc.error().subject, "blobs");
  }
}

}  // namespace
}  // namespace spacestore::storage::s3
