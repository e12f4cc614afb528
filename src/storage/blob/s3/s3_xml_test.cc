#include "storage/blob/s3/s3_xml.h"

#include <gtest/gtest.h>

namespace spacestore::storage::s3 {
namespace {

TEST(S3XmlTest, ListObjectsV2PageWithContinuation) {
  auto page = ParseListObjectsV2(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
<Prefix>blobs/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
<Contents><Key>blobs/ab/x</Key><LastModified>2026-12-03T11:23:47.000Z</LastModified>
<ETag>&quot;5eb6&quot;</ETag><Size>11</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>blobs/cd/y</Key><LastModified>2009-10-12T17:50:30.123Z</LastModified>
<Size>0</Size></Contents></ListBucketResult>)");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "blobs/ab/x");
  EXPECT_EQ(page->objects[0].size, 11);
  EXPECT_EQ(page->objects[1].last_modified_millis, 1255369830123);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3XmlTest, LastListObjectsPageHasNoToken) {
  auto page =
      ParseListObjectsV2("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->objects.empty());
  EXPECT_TRUE(page->next_continuation_token.empty());
}

TEST(S3XmlTest, GarbledRepliesAreUnavailable) {
  for (const char* xml :
       {"", "<html>busy</html>", "<ListBucketResult><Contents><Key>k</Key></Contents>",
        "<ListBucketResult><Contents><Key>k</Key><Size>x</Size>"
        "<LastModified>2009-10-12T17:50:30.000Z</LastModified></Contents></ListBucketResult>",
        "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"}) {
    auto page = ParseListObjectsV2(xml);
    ASSERT_FALSE(page) << xml;
    EXPECT_EQ(page.error().code, Errc::kUnavailable);
  }
}

// The example reply of the S3 API reference's ListMultipartUploads page, shortened.
TEST(S3XmlTest, ListMultipartUploads) {
  auto page = ParseListMultipartUploads(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>bucket</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>
  <NextKeyMarker>my-movie.m2ts</NextKeyMarker>
  <NextUploadIdMarker>YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ</NextUploadIdMarker>
  <MaxUploads>3</MaxUploads><IsTruncated>true</IsTruncated>
  <Upload><Key>my-divisor</Key>
    <UploadId>XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw</UploadId>
    <StorageClass>REDUCED_REDUNDANCY</StorageClass>
    <Initiated>2010-11-10T20:48:33.000Z</Initiated></Upload>
</ListMultipartUploadsResult>)");
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->uploads.size(), 1u);
  EXPECT_EQ(page->uploads[0].key, "my-divisor");
  EXPECT_EQ(page->uploads[0].upload_id, "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw");
  EXPECT_EQ(page->uploads[0].initiated_millis, 1289422113000);
  EXPECT_EQ(page->next_key_marker, "my-movie.m2ts");
  EXPECT_EQ(page->next_upload_id_marker, "YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ");
}

TEST(S3XmlTest, InitiateAndErrorBodies) {
  auto id = ParseInitiateMultipartUpload(
      "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId>"
      "</InitiateMultipartUploadResult>");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "u1");
  S3ErrorBody err;
  ASSERT_TRUE(
      ParseErrorBody("<Error><Code>InternalError</Code><Message>try again</Message></Error>", err));
  EXPECT_EQ(err.code, "InternalError");
  EXPECT_EQ(err.message, "try again");
  EXPECT_FALSE(ParseErrorBody("<CopyObjectResult><ETag>x</ETag></CopyObjectResult>", err));
  EXPECT_FALSE(ParseErrorBody("", err));
}

TEST(S3XmlTest, CompleteBodyNumbersPartsInOrder) {
  EXPECT_EQ(CompleteMultipartUploadXml({"\"a\"", "\"b\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"a\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"b\"</ETag></Part></CompleteMultipartUpload>");
}

TEST(S3XmlTest, Dates) {
  EXPECT_EQ(ParseIso8601Millis("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(ParseIso8601Millis("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(ParseIso8601Millis("1970-01-01T00:00:01"), -1);
  EXPECT_EQ(ParseIso8601Millis("yesterday"), -1);
  EXPECT_EQ(ParseHttpDateMillis("Fri, 24 May 2013 00:00:00 GMT"), 1369353600000);
  EXPECT_EQ(ParseHttpDateMillis("Fri, 24 May 2013 00:00:00 GMT trailing"), -1);
  EXPECT_EQ(ParseHttpDateMillis(""), -1);
}

}  // namespace
}  // namespace spacestore::storage::s3
