// GET /readyz on a node whose PostgreSQL or bucket goes out of reach: 503 (still live), so a
// balancer takes it out of rotation. Each test runs its own server so it can stop it.
#include <cstdlib>
#include <memory>

#include <gtest/gtest.h>

#include "postgres_server.h"
#include "s3_server.h"
#include "server_process.h"

namespace spacestore {
namespace {

using testing::PostgresServer;
using testing::S3Server;
using testing::ServerProcess;

TEST(ReadyzTest, NotReadyOnceTheBucketIsOutOfReach) {
  auto s3 = std::make_unique<S3Server>();
  ::setenv("SPACESTORE_S3_ACCESS_KEY_ID", S3Server::kAccessKeyId, 1);
  ::setenv("SPACESTORE_S3_SECRET_ACCESS_KEY", S3Server::kSecretAccessKey, 1);
  ServerProcess node({"--blobs", s3->NewBucket(s3->NewBucketName())});
  EXPECT_EQ(node.Request("GET", "/readyz").status, 200);
  s3.reset();
  EXPECT_EQ(node.Request("GET", "/readyz").status, 503);
  EXPECT_EQ(node.Request("GET", "/livez").status, 200);
}

TEST(ReadyzTest, NotReadyOnceThePostgresServerIsOutOfReach) {
  if (!PostgresServer::Available())
    GTEST_SKIP() << "PostgreSQL's server binaries are not installed";
  auto pg = std::make_unique<PostgresServer>();
  ServerProcess node({"--metadata", pg->NewSchemaUrl()});
  EXPECT_EQ(node.Request("GET", "/readyz").status, 200);
  pg.reset();
  EXPECT_EQ(node.Request("GET", "/readyz").status, 503);
  EXPECT_EQ(node.Request("GET", "/livez").status, 200);
}

}  // namespace
}  // namespace spacestore
