// The --metadata and --blobs forms the composition root accepts, and opening S3 blobs.
#include "app/stores.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "base/clock.h"
#include "s3_server.h"
#include "temp_dir.h"

namespace spacestore::app {
namespace {

TEST(ParseMetadataBackendTest, NamesAndPostgresUrls) {
  StoreConfig config;
  EXPECT_TRUE(ParseMetadataBackend("memory", config));
  EXPECT_EQ(config.metadata, StoreConfig::Metadata::kMemory);
  EXPECT_TRUE(ParseMetadataBackend("sqlite", config));
  EXPECT_EQ(config.metadata, StoreConfig::Metadata::kSqlite);
  for (const std::string url :
       {"postgres://ada:pw@db:5432/spacestore", "postgresql://db/spacestore?sslmode=verify-full"}) {
    StoreConfig pg;
    EXPECT_TRUE(ParseMetadataBackend(url, pg)) << url;
    EXPECT_EQ(pg.metadata, StoreConfig::Metadata::kPostgres);
    EXPECT_EQ(pg.postgres_url, url);
  }
}

TEST(ParseMetadataBackendTest, AnythingElseIsRefusedAndChangesNothing) {
  for (const std::string text : {"", "SQLITE", "mysql://db/x", "postgres:", "postgres//db/x"}) {
    StoreConfig config;
    auto r = ParseMetadataBackend(text, config);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().subject, "metadata");
    EXPECT_EQ(config.metadata, StoreConfig::Metadata::kSqlite);
    EXPECT_TRUE(config.postgres_url.empty());
  }
}

TEST(DefaultWorkersTest, OnePerCoreEmbeddedAndEightPerCoreOnPostgres) {
  EXPECT_EQ(DefaultWorkers(StoreConfig::Metadata::kSqlite, 4), 4);
  EXPECT_EQ(DefaultWorkers(StoreConfig::Metadata::kMemory, 2), 2);
  EXPECT_EQ(DefaultWorkers(StoreConfig::Metadata::kPostgres, 2), 16);
  EXPECT_EQ(DefaultWorkers(StoreConfig::Metadata::kPostgres, 4), 32);
  // A machine reporting one core (or none) counts as two.
  EXPECT_EQ(DefaultWorkers(StoreConfig::Metadata::kSqlite, 0), 2);
  EXPECT_EQ(DefaultWorkers(StoreConfig::Metadata::kPostgres, 1), 16);
}

TEST(StoresTest, BlobBackendForms) {
  StoreConfig c;
  ASSERT_TRUE(ParseBlobBackend("memory", c));
  EXPECT_EQ(c.blobs, StoreConfig::Blobs::kMemory);
  ASSERT_TRUE(ParseBlobBackend("local:/srv/blobs", c));
  EXPECT_EQ(c.blobs, StoreConfig::Blobs::kLocal);
  EXPECT_EQ(c.blobs_dir, "/srv/blobs");
  const std::string url = "s3://bucket?endpoint=http://127.0.0.1:9000&region=us-east-1";
  ASSERT_TRUE(ParseBlobBackend(url, c));
  EXPECT_EQ(c.blobs, StoreConfig::Blobs::kS3);
  EXPECT_EQ(c.s3_url, url);
  for (const char* bad : {"", "s3", "local:", "s3://bucket", "s3://b?endpoint=https://h:1"}) {
    auto r = ParseBlobBackend(bad, c);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << bad;
  }
}

class S3StoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("SPACESTORE_S3_ACCESS_KEY_ID");
    ::unsetenv("SPACESTORE_S3_SECRET_ACCESS_KEY");
    ::unsetenv("AWS_ACCESS_KEY_ID");
    ::unsetenv("AWS_SECRET_ACCESS_KEY");
    ASSERT_TRUE(ParseBlobBackend(server_.NewBucket(server_.NewBucketName()), config_));
    config_.metadata = StoreConfig::Metadata::kMemory;
    config_.data_dir = (dir_.path() / "data").string();
  }

  testing::S3Server server_;
  testing::TempDir dir_;
  StoreConfig config_;
  SystemClock clock_;
};

TEST_F(S3StoresTest, OpensTheBucketWithKeysFromTheEnvironment) {
  ::setenv("SPACESTORE_S3_ACCESS_KEY_ID", testing::S3Server::kAccessKeyId, 1);
  ::setenv("SPACESTORE_S3_SECRET_ACCESS_KEY", testing::S3Server::kSecretAccessKey, 1);
  auto stores = OpenStores(config_, clock_);
  ASSERT_TRUE(stores) << stores.error().message;
  auto writer = stores->blobs->NewWriter(false);
  ASSERT_TRUE((*writer)->Append("on s3"));
  auto info = (*writer)->Commit();
  ASSERT_TRUE(info);
  EXPECT_TRUE(stores->blobs->Exists(info->id).value());
  // The thumbnail cache stays a local directory of this node.
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "data" / "thumbnails"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "data" / "blobs"));
}

TEST_F(S3StoresTest, AwsNamesAreTheFallback) {
  ::setenv("AWS_ACCESS_KEY_ID", testing::S3Server::kAccessKeyId, 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", testing::S3Server::kSecretAccessKey, 1);
  auto stores = OpenStores(config_, clock_);
  ASSERT_TRUE(stores) << stores.error().message;
}

TEST_F(S3StoresTest, MissingKeysAreAConfigurationError) {
  ::setenv("SPACESTORE_S3_ACCESS_KEY_ID", testing::S3Server::kAccessKeyId, 1);
  auto stores = OpenStores(config_, clock_);
  ASSERT_FALSE(stores);
  EXPECT_EQ(stores.error().code, Errc::kInvalidArgument);
  EXPECT_NE(stores.error().message.find("SPACESTORE_S3_SECRET_ACCESS_KEY"), std::string::npos);
}

}  // namespace
}  // namespace spacestore::app
