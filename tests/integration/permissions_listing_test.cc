// What a user with a grant deep in a space sees (docs/permissions.md, "Listings"), and batches
// refusing per item, on the real binary. The matrix itself is permissions_matrix_test.cc.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "permission_client.h"
#include "server_process.h"
#include "storage/thumbnail/thumbnail_test_images.h"

namespace spacestore {
namespace {

using testing::PermissionClient;
using testing::Reply;
using testing::ServerProcess;
using SpaceType = PermissionClient::SpaceType;

std::string GifData() { return storage::testimages::Gif1x1(); }

// A user granted only /a/b/c browses to it from the root and sees nothing beside the way;
// below the grant it sees everything; a folder off the way is refused.
TEST(PermissionsListingTest, ListingsShowTheWayToAGrantAndNothingElse) {
  ServerProcess server({"--access-log", "false"});
  PermissionClient::CreateUsers(server, {"pm_viewer"});
  const PermissionClient api(server);
  for (const SpaceType type : {SpaceType::kUser, SpaceType::kApp}) {
    SCOPED_TRACE(type == SpaceType::kUser ? "USER space" : "APP space");
    const std::string space(
        api.AddSpace(type, type == SpaceType::kUser ? "l1" : "l2").at("id").as_string());
    const std::string a = api.AddFolder(space, "0", "a");
    const std::string other = api.AddFolder(space, "0", "other");
    api.PutFile(space, "0", "top.gif", GifData());
    const std::string b = api.AddFolder(space, a, "b");
    const std::string a2 = api.AddFolder(space, a, "a2");
    const std::string c = api.AddFolder(space, b, "c");
    const std::string b2 = api.AddFolder(space, b, "b2");
    api.PutFile(space, b, "beside.gif", GifData());
    const std::string sub = api.AddFolder(space, c, "sub");
    const std::string f1 = api.PutFile(space, c, "f1.gif", GifData());
    const std::string deep = api.PutFile(space, sub, "deep.gif", GifData());
    api.Grant(space, c, "pm_viewer", "READER",
              type == SpaceType::kUser ? std::nullopt : std::optional<int64_t>(3600));

    using Names = std::vector<std::string>;
    const auto list = [&](const std::string& folder) {
      auto [r, names] = api.ListNames("pm_viewer", space, folder);
      EXPECT_TRUE(r.ok()) << folder << ": " << r.Text();
      return names;
    };
    EXPECT_EQ(list("0"), Names{"a"});
    EXPECT_EQ(list(a), Names{"b"});
    EXPECT_EQ(list(b), Names{"c"});
    EXPECT_EQ(list(c), (Names{"f1.gif", "sub"}));
    EXPECT_EQ(list(sub), Names{"deep.gif"});
    for (const auto& off : {other, a2, b2}) {
      const auto [r, names] = api.ListNames("pm_viewer", space, off);
      EXPECT_EQ(r.status, 403) << off << ": " << r.Text();
      EXPECT_EQ(r.Code(), "permissionDenied");
    }
    // ListAllDentries: the dentries with a role, the grant's folder and all below it.
    auto [r, ids] = api.ListAllIds("pm_viewer", space);
    EXPECT_TRUE(r.ok()) << r.Text();
    std::sort(ids.begin(), ids.end());
    Names want{c, sub, f1, deep};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(ids, want);
  }
}

// In a batch, a refused item is refused alone ("the rest of the batch goes on"): a READER of
// one file of two reads it and is refused the other, and deleting both as an EDITOR of one
// deletes that one only.
TEST(PermissionsListingTest, ABatchRefusesPerItemAndGoesOn) {
  ServerProcess server({"--access-log", "false"});
  PermissionClient::CreateUsers(server, {"pm_half"});
  const PermissionClient api(server);
  const std::string space(api.AddSpace(SpaceType::kUser, "b1").at("id").as_string());
  const std::string mine = api.PutFile(space, "0", "mine.gif", GifData());
  const std::string theirs = api.PutFile(space, "0", "theirs.gif", GifData());
  api.Grant(space, mine, "pm_half", "EDITOR", std::nullopt);
  const std::string ids = R"({"dentryIds":[")" + mine + R"(",")" + theirs + R"("]})";
  const auto codes = [](const Reply& r) {
    std::vector<std::string> out;
    for (const auto& item : r.body.at("resultItems").as_array()) {
      const auto& o = item.as_object();
      out.push_back(o.at("success").as_bool() ? "ok" : std::string(o.at("errorCode").as_string()));
    }
    return out;
  };
  using Codes = std::vector<std::string>;
  for (const char* call : {"/dentries/query", "/thumbnails/query", "/dentries/batchRemove"}) {
    const Reply r = api.Call("pm_half", "POST", PermissionClient::SpacePath(space) + call, ids);
    ASSERT_EQ(r.status, 200) << call << ": " << r.Text();
    EXPECT_EQ(codes(r), (Codes{"ok", "permissionDenied"})) << call << ": " << r.Text();
  }
  EXPECT_EQ(api.Call(PermissionClient::kOwner, "POST",
                     PermissionClient::SpacePath(space) + "/dentries/" + theirs + "/query", "{}")
                .status,
            200);
}

}  // namespace
}  // namespace spacestore
