// Rename and move against the real binary: the tree, the paths below a moved folder and both
// spaces' usedQuota survive a SIGKILL right after the answers, and fsck finds the store clean.
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"
#include "temp_dir.h"
#include "test_client.h"

namespace spacestore {
namespace {

using testing::Client;
using testing::RandomBytes;
using testing::ServerProcess;

std::string Id(const boost::json::object& reply) {
  return std::string(reply.at("dentry").at("id").as_string());
}

std::string PathOf(const Client& client, const std::string& space, const std::string& id) {
  const auto r = client.Call(
      "POST", "/v1.0/storage/spaces/" + space + "/dentries/" + id + "/query?unionId=union1");
  return std::string(r.at("dentry").at("path").as_string());
}

TEST(TreeTest, RenamesAndMovesSurviveSigkill) {
  testing::TempDir dir;
  const std::string data_dir = dir.File("data");
  std::string space, other, deep_file, moved_file;
  const std::string deep_bytes = RandomBytes(1000, 1);
  const std::string moved_bytes = RandomBytes(700, 2);
  {
    ServerProcess server({}, data_dir);
    Client client(server);
    space = client.AddSpace();
    other = client.AddSpace(10000);
    const std::string base = "/v1.0/storage/spaces/" + space + "/dentries/";
    const std::string a =
        Id(client.Call("POST", base + "0/folders?unionId=union1", R"({"name":"a"})"));
    const std::string b =
        Id(client.Call("POST", base + a + "/folders?unionId=union1", R"({"name":"b"})"));
    const std::string c =
        Id(client.Call("POST", base + b + "/folders?unionId=union1", R"({"name":"c"})"));
    deep_file = std::string(client.PutFile(space, "deep.bin", deep_bytes, c).at("id").as_string());
    moved_file =
        std::string(client.PutFile(space, "moved.bin", moved_bytes, b).at("id").as_string());
    client.Call("POST", base + a + "/rename?unionId=union1", R"({"newName":"top"})");
    const std::string dest =
        Id(client.Call("POST", base + "0/folders?unionId=union1", R"({"name":"dest"})"));
    client.Call("POST", base + c + "/move?unionId=union1",
                R"({"targetSpaceId":")" + space + R"(","targetFolderId":")" + dest + R"("})");
    client.Call("POST", base + moved_file + "/move?unionId=union1",
                R"({"targetSpaceId":")" + other + R"(","targetFolderId":"0"})");
    EXPECT_EQ(PathOf(client, space, deep_file), "/dest/c/deep.bin");
    server.Kill();  // Right after the answers: each was committed before it was sent.
  }
  {
    ServerProcess again({}, data_dir);
    Client client(again);
    EXPECT_EQ(PathOf(client, space, deep_file), "/dest/c/deep.bin");
    EXPECT_EQ(PathOf(client, other, moved_file), "/moved.bin");
    EXPECT_EQ(client.UsedQuota(space), 1000);
    EXPECT_EQ(client.UsedQuota(other), 700);
    EXPECT_EQ(client.Download(other, moved_file).body, moved_bytes);
    EXPECT_EQ(client.Download(space, deep_file).body, deep_bytes);
    EXPECT_EQ(again.Stop(), 0);
  }
  if (const auto fsck = ServerProcess::Fsck(data_dir)) {
    EXPECT_EQ(fsck->first, 0) << fsck->second;
  }
}

}  // namespace
}  // namespace spacestore
