// The real binary with `--blobs s3://...` on the s3rver emulator: uploads of both writer paths
// (one PUT, multipart + copy), downloads and Range through /blobs/, and a restart that finds
// every byte in the bucket.
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "s3_server.h"
#include "server_process.h"
#include "temp_dir.h"
#include "test_client.h"

namespace spacestore {
namespace {

using testing::Client;
using testing::RandomBytes;
using testing::ServerProcess;

// The whole file in 4 MiB ranges (the test client reads at most 8 MiB per reply).
std::string DownloadInRanges(const Client& client, const std::string& space, const std::string& id,
                             size_t size) {
  std::string out;
  for (size_t at = 0; at < size; at += 4 << 20) {
    const size_t last = std::min(size, at + (4 << 20)) - 1;
    const auto r = client.Download(
        space, id, {{"Range", "bytes=" + std::to_string(at) + "-" + std::to_string(last)}});
    EXPECT_EQ(r.status, 206);
    out += r.body;
  }
  return out;
}

TEST(S3BlobsTest, FilesLiveInTheBucketAcrossRestarts) {
  testing::S3Server s3;
  const std::string blobs = s3.NewBucket(s3.NewBucketName());
  ::setenv("SPACESTORE_S3_ACCESS_KEY_ID", testing::S3Server::kAccessKeyId, 1);
  ::setenv("SPACESTORE_S3_SECRET_ACCESS_KEY", testing::S3Server::kSecretAccessKey, 1);
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  const std::string small = RandomBytes(300000, 1);
  const std::string large = RandomBytes((9 << 20) + 12345, 2);  // More than one 8 MiB part.
  std::string space;
  std::string small_id;
  std::string large_id;
  {
    ServerProcess server({"--blobs", blobs}, data_dir);
    Client client(server);
    space = client.AddSpace();
    small_id = std::string(client.PutFile(space, "small.bin", small).at("id").as_string());
    large_id = std::string(client.PutFile(space, "large.bin", large).at("id").as_string());
    EXPECT_TRUE(client.Download(space, small_id).body == small);
    EXPECT_TRUE(DownloadInRanges(client, space, large_id, large.size()) == large);
    const auto part = client.Download(space, large_id, {{"Range", "bytes=8388600-8388700"}});
    EXPECT_EQ(part.status, 206);
    EXPECT_EQ(part.body, large.substr(8388600, 101));
    EXPECT_EQ(client.UsedQuota(space), static_cast<int64_t>(small.size() + large.size()));
    // The same content again: stored once, both files read it.
    const auto copy = client.PutFile(space, "again.bin", small);
    EXPECT_TRUE(client.Download(space, std::string(copy.at("id").as_string())).body == small);
  }
  // Nothing of the content went to the node's directory.
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(data_dir) / "blobs"));
  ServerProcess restarted({"--blobs", blobs}, data_dir);
  Client client(restarted);
  EXPECT_TRUE(DownloadInRanges(client, space, large_id, large.size()) == large);
  EXPECT_TRUE(client.Download(space, small_id).body == small);
}

TEST(S3BlobsTest, BadBlobsValuesAreUsageErrors) {
  for (const char* bad : {"s3://bucket", "s3://bucket?endpoint=https://127.0.0.1:1", "disk"}) {
    EXPECT_THROW(ServerProcess({"--blobs", bad}), std::runtime_error) << bad;
  }
}

}  // namespace
}  // namespace spacestore
