// `spacestore admin` and `spacestore fsck` on PostgreSQL + S3 (--metadata, --blobs): an org,
// app and user made by admin on the database are usable at once by a node on it; fsck is clean
// after uploads and with a blob set aside (trash/), and finds a blob deleted from the bucket by
// hand; backup refuses a shared store; department memberships and user removals made by admin
// count on the node's next request.
#include <cstdlib>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "base/clock.h"
#include "base/crypto.h"
#include "postgres_server.h"
#include "s3_server.h"
#include "server_process.h"
#include "storage/blob/s3/s3_client.h"
#include "temp_dir.h"
#include "test_client.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::PostgresServer;
using testing::RandomBytes;
using testing::RunSpacestore;
using testing::S3Server;
using testing::ServerProcess;

class AdminSharedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PostgresServer::Available())
      GTEST_SKIP() << "PostgreSQL's server binaries are not installed";
    static S3Server s3;  // Started on first use, stopped at exit.
    s3_ = &s3;
    ::setenv("SPACESTORE_S3_ACCESS_KEY_ID", S3Server::kAccessKeyId, 1);
    ::setenv("SPACESTORE_S3_SECRET_ACCESS_KEY", S3Server::kSecretAccessKey, 1);
    metadata_ = PostgresServer::ForTest().NewSchemaUrl();
    blobs_ = s3.NewBucket(s3.NewBucketName());
  }

  // `spacestore admin --data-dir DIR --metadata URL --blobs URL args...`.
  testing::CommandResult Admin(const std::vector<std::string>& args) const {
    std::vector<std::string> all{
        "admin", "--data-dir", dir_.File("admin"), "--metadata", metadata_, "--blobs", blobs_};
    all.insert(all.end(), args.begin(), args.end());
    return RunSpacestore(all);
  }

  testing::CommandResult Fsck() const {
    return RunSpacestore({"fsck", "--data-dir", dir_.File("fsck"), "--metadata", metadata_,
                          "--blobs", blobs_, "--grace", "0", "--json"});
  }

  std::vector<std::string> NodeArgs() const { return {"--metadata", metadata_, "--blobs", blobs_}; }

  testing::TempDir dir_;
  S3Server* s3_ = nullptr;
  std::string metadata_;
  std::string blobs_;
};

TEST_F(AdminSharedTest, IdentitiesMadeByAdminOnTheDatabaseServeOnANode) {
  ServerProcess node(NodeArgs(), dir_.File("node"));
  const auto org = Admin({"org", "create", "--corp-id", "corp2"});
  ASSERT_EQ(org.status, 0) << org.out;
  const auto app = Admin({"app", "create", "--corp-id", "corp2"});
  ASSERT_EQ(app.status, 0) << app.out;
  const auto user = Admin({"user", "create", "--corp-id", "corp2", "--union-id", "u2"});
  ASSERT_EQ(user.status, 0) << user.out;
  const auto users = Admin({"user", "list", "--corp-id", "corp2"});
  ASSERT_EQ(users.status, 0) << users.out;
  EXPECT_EQ(json::parse(users.out).as_array().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("admin") + "/metadata.db"))
      << "nothing went to a local store";

  // The node, started before they existed, issues a token for the app and makes a space for
  // the user.
  const auto made = json::parse(app.out);
  const auto token =
      node.Request("POST", "/v1.0/oauth2/accessToken",
                   json::serialize(json::object{{"appKey", made.at("appKey")},
                                                {"appSecret", made.at("appSecret")}}));
  ASSERT_EQ(token.status, 200) << token.body;
  const std::string access(json::parse(token.body).at("accessToken").as_string());
  const auto space = node.Request("POST", "/v1.0/storage/spaces?unionId=u2",
                                  R"({"option":{"scene":"admin","sceneId":"1"}})",
                                  {{"x-acs-dingtalk-access-token", access}});
  EXPECT_EQ(space.status, 200) << space.body;
}

// The department commands and user removal on PostgreSQL: the node, another process on the same
// database, sees each change on its next request (the permission generation moved with it).
TEST_F(AdminSharedTest, MembershipsAndRemovalsByAdminOnTheDatabaseCountOnTheNextRequest) {
  ServerProcess node(NodeArgs(), dir_.File("node"));
  const std::string corp = ServerProcess::kCorpId;
  ASSERT_EQ(Admin({"user", "create", "--corp-id", corp, "--union-id", "u2"}).status, 0);
  ASSERT_EQ(Admin({"dept", "create", "--corp", corp, "--id", "sales"}).status, 0);
  const Client owner(node);
  const std::string space = owner.AddSpace();
  owner.Call(
      "POST",
      "/v1.0/storage/spaces/" + space +
          "/dentries/0/permissions?unionId=" + ServerProcess::kUnionId,
      R"({"roleId":"READER","members":[{"type":"DEPT","id":"sales","corpId":")" + corp + R"("}]})");
  const auto get_space = [&] {
    return node
        .Request("GET", "/v1.0/storage/spaces/" + space + "?unionId=u2", "",
                 {{"x-acs-dingtalk-access-token", node.Token()}})
        .status;
  };
  EXPECT_EQ(get_space(), 403);
  ASSERT_EQ(Admin({"dept", "add-member", "--corp", corp, "--id", "sales", "--user", "u2"}).status,
            0);
  EXPECT_EQ(get_space(), 200);
  ASSERT_EQ(Admin({"user", "remove", "--corp", corp, "--user", "u2"}).status, 0);
  EXPECT_EQ(get_space(), 403);
  const auto members = Admin({"dept", "members", "--corp", corp, "--id", "sales"});
  EXPECT_EQ(members.status, 0);
  EXPECT_EQ(json::parse(members.out), json::array());
}

TEST_F(AdminSharedTest, FsckChecksTheSharedStoresAndFindsABlobDeletedFromTheBucket) {
  const std::string bytes = RandomBytes(70000, 11);
  {
    ServerProcess node(NodeArgs(), dir_.File("node"));
    Client client(node);
    const std::string space = client.AddSpace();
    client.PutFile(space, "a.bin", bytes);
    client.PutFile(space, "b.bin", RandomBytes(1000, 12));
  }
  const auto clean = Fsck();
  EXPECT_EQ(clean.status, 0) << clean.out;

  auto location = storage::s3::ParseS3Url(blobs_);
  ASSERT_TRUE(location) << location.error().message;
  SystemClock clock;
  storage::s3::S3Client bucket(*location, {S3Server::kAccessKeyId, S3Server::kSecretAccessKey},
                               clock);
  const std::string sha = Sha256Hex(bytes);
  const std::string key = "blobs/" + sha.substr(0, 2) + "/" + sha;
  const std::string set_aside = "trash/" + sha.substr(0, 2) + "/" + sha;
  // Set aside, as a removal that a commit of the same content raced leaves it: still readable,
  // so not missing.
  ASSERT_TRUE(bucket.CopyObject(key, set_aside));
  ASSERT_TRUE(bucket.DeleteObject(key));
  const auto aside = Fsck();
  EXPECT_EQ(aside.status, 0) << aside.out;

  // Deleted by hand, as an operator's slip in the bucket would.
  ASSERT_TRUE(bucket.DeleteObject(set_aside));
  const auto broken = Fsck();
  EXPECT_EQ(broken.status, 1) << broken.out;
  EXPECT_NE(broken.out.find(sha), std::string::npos) << broken.out;
}

TEST_F(AdminSharedTest, BackupAndRestoreRefuseASharedStore) {
  EXPECT_EQ(Admin({"backup", dir_.File("backup")}).status, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("backup")));
  EXPECT_EQ(RunSpacestore({"admin", "--metadata", metadata_, "restore", dir_.File("backup"),
                           "--data-dir", dir_.File("r")})
                .status,
            2);
  EXPECT_EQ(RunSpacestore({"admin", "--metadata", "memory", "org", "list"}).status, 2);
}

}  // namespace
}  // namespace spacestore
