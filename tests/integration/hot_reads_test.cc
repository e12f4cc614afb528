// GetSpace and GetDentries are answered from memory on the server's I/O threads while nothing
// writes (docs/architecture.md, "Hot reads"). These tests prove the answers stay exact when
// another process writes the same SQLite data dir, as `spacestore admin` does while the server
// runs: each change counts on the very next request, however warm the view was.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "test_client.h"

namespace spacestore::testing {
namespace {

namespace json = boost::json;

class HotReadsTest : public ::testing::Test {
 protected:
  CommandResult Admin(const std::vector<std::string>& args) const {
    std::vector<std::string> full = {"admin", "--data-dir", server_.data_dir()};
    full.insert(full.end(), args.begin(), args.end());
    return RunSpacestore(full);
  }
  // GetSpace as `union_id`, three times (the first may read the store, the others are answered
  // from memory); every answer must have the same status.
  int GetSpaceStatus(const std::string& space, const std::string& union_id) const {
    int status = 0;
    for (int i = 0; i < 3; ++i) {
      const auto r =
          server_.Request("GET", "/v1.0/storage/spaces/" + space + "?unionId=" + union_id, "",
                          {{"x-acs-dingtalk-access-token", server_.Token()}});
      if (i > 0) {
        EXPECT_EQ(r.status, status) << "answer " << i << ": " << r.body;
      }
      status = r.status;
    }
    return status;
  }

  ServerProcess server_;
};

TEST_F(HotReadsTest, MembershipChangesByAdminCountOnTheNextRequest) {
  const std::string corp = ServerProcess::kCorpId;
  ASSERT_EQ(Admin({"user", "create", "--corp-id", corp, "--union-id", "u2"}).status, 0);
  ASSERT_EQ(Admin({"dept", "create", "--corp", corp, "--id", "sales"}).status, 0);
  const Client owner(server_);
  const std::string space = owner.AddSpace();
  owner.Call(
      "POST",
      "/v1.0/storage/spaces/" + space +
          "/dentries/0/permissions?unionId=" + ServerProcess::kUnionId,
      R"({"roleId":"READER","members":[{"type":"DEPT","id":"sales","corpId":")" + corp + R"("}]})");
  EXPECT_EQ(GetSpaceStatus(space, "u2"), 403);
  ASSERT_EQ(Admin({"dept", "add-member", "--corp", corp, "--id", "sales", "--user", "u2"}).status,
            0);
  EXPECT_EQ(GetSpaceStatus(space, "u2"), 200);
  ASSERT_EQ(Admin({"user", "remove", "--corp", corp, "--user", "u2"}).status, 0);
  EXPECT_EQ(GetSpaceStatus(space, "u2"), 403);
}

TEST_F(HotReadsTest, TheServersOwnWritesAreReadBackAtOnce) {
  const Client client(server_);
  const std::string space = client.AddSpace();
  EXPECT_EQ(client.UsedQuota(space), 0);
  EXPECT_EQ(client.UsedQuota(space), 0);
  const auto file = client.PutFile(space, "a.txt", "hello");
  EXPECT_EQ(client.UsedQuota(space), 5);
  const std::string query = "/v1.0/storage/spaces/" + space + "/dentries/query?unionId=union1";
  const std::string ids = json::serialize(json::object{{"dentryIds", json::array{file.at("id")}}});
  for (int i = 0; i < 2; ++i) {
    const auto got = client.Call("POST", query, ids);
    EXPECT_EQ(got.at("resultItems").at(0).at("dentry").at("name"), "a.txt");
  }
  client.Call("POST",
              "/v1.0/storage/spaces/" + space + "/dentries/" +
                  std::string(file.at("id").as_string()) + "/rename?unionId=union1",
              R"({"newName":"b.txt"})");
  const auto renamed = client.Call("POST", query, ids);
  EXPECT_EQ(renamed.at("resultItems").at(0).at("dentry").at("name"), "b.txt");
}

}  // namespace
}  // namespace spacestore::testing
