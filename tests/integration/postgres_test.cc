// The real binary on PostgreSQL metadata (docs/postgres.md): a space, a folder, a single and a
// multipart file written, then a restart on the same database reads the space and every byte
// back. The cluster suite runs several nodes on it; this is the one-node
// round trip.
#include <gtest/gtest.h>

#include <string>

#include "drive_client.h"
#include "postgres_server.h"
#include "server_process.h"

namespace spacestore::testing {
namespace {

TEST(PostgresServeTest, WritesSurviveARestartOnTheSameDatabase) {
  PostgresServer& pg = PostgresServer::ForTest();
  // A password in the URL: trust authentication ignores it; it must never be printed.
  std::string url = pg.NewSchemaUrl();
  url.insert(url.find("spacestore@") + 10, ":hunter2");
  const std::string small = "hello from postgres";
  std::string big(3 * 1024 * 1024 + 17, 'x');
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);

  TempDir node;  // The node's local directory (blobs here), kept across the restart.
  const std::string data_dir = node.File("data");
  std::string space, file, parts;
  {
    ServerProcess server({"--metadata", url}, data_dir);
    DriveClient client(server);
    space = client.AddSpace("pg", "1");
    client.AddFolder(space, "0", "docs");
    file = std::string(client.PutFile(space, "a.txt", small).at("id").as_string());
    parts =
        std::string(client.PutMultipart(space, "big.bin", big, 1024 * 1024).at("id").as_string());
    const auto before = client.Download(space, parts);
    EXPECT_EQ(before.status, 200) << before.body.substr(0, 300);
    EXPECT_EQ(server.Stop(), 0);
  }
  ServerProcess server({"--metadata", url}, data_dir);
  DriveClient client(server);
  EXPECT_EQ(client.Download(space, file).body, small);
  const auto whole = client.Download(space, parts);
  EXPECT_EQ(whole.status, 200) << whole.body.substr(0, 300);
  EXPECT_TRUE(whole.body == big) << "multipart content differs, " << whole.body.size() << " bytes";
  const auto got = client.Call(
      "GET", "/v1.0/storage/spaces/" + space + "?unionId=" + std::string(ServerProcess::kUnionId));
  EXPECT_EQ(got.status, 200) << got.body.substr(0, 300);
}

}  // namespace
}  // namespace spacestore::testing
