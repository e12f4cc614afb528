// `spacestore admin dept ...` and `admin user remove` on the real binary, beside a server running
// on the same data directory (SQLite serializes the writers): what each prints, its exit codes,
// and that the server honours a removal or a membership change on its next request.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"
#include "temp_dir.h"
#include "test_client.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::ServerProcess;

constexpr const char* kCorp = ServerProcess::kCorpId;

struct AdminRun {
  int status = -1;
  std::string out;  // stdout: one JSON value on success.
  std::string err;  // stderr: one line on failure.
};

class DepartmentsCliTest : public ::testing::Test {
 protected:
  // `spacestore admin --data-dir <the server's> args...`, stdout and stderr apart.
  AdminRun Admin(const std::vector<std::string>& args) const {
    const std::string err_file = scratch_.File("stderr");
    std::string cmd =
        "'" + ServerProcess::BinaryPath() + "' admin --data-dir '" + server_.data_dir() + "'";
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>'" + err_file + "'";
    AdminRun run;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return run;
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) run.out.append(buf.data(), n);
    const int status = pclose(p);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    std::stringstream err;
    err << in.rdbuf();
    run.err = err.str();
    return run;
  }

  // Runs an admin command that must succeed; its JSON output.
  json::value AdminOk(const std::vector<std::string>& args) const {
    const AdminRun run = Admin(args);
    EXPECT_EQ(run.status, 0) << run.err;
    if (run.status != 0) return nullptr;
    return json::parse(run.out);
  }

  // Runs an admin command that must fail with exit code 1; its stderr line.
  std::string AdminFails(const std::vector<std::string>& args) const {
    const AdminRun run = Admin(args);
    EXPECT_EQ(run.status, 1) << run.out << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
    return run.err;
  }

  // GetSpace `space` acting as `union_id`: the HTTP status and the error code (empty on 200).
  std::pair<int, std::string> GetSpaceAs(const std::string& space,
                                         const std::string& union_id) const {
    const auto r = server_.Request("GET", "/v1.0/storage/spaces/" + space + "?unionId=" + union_id,
                                   "", {{"x-acs-dingtalk-access-token", token_}});
    if (r.status == 200) return {200, ""};
    return {r.status, std::string(json::parse(r.body).at("code").as_string())};
  }

  // AddSpace acting as `union_id` (a USER space it owns); the space id.
  std::string AddSpaceAs(const std::string& union_id, const std::string& scene_id) const {
    const auto r =
        server_.Request("POST", "/v1.0/storage/spaces?unionId=" + union_id,
                        R"({"option":{"scene":"depts","sceneId":")" + scene_id + R"("}})",
                        {{"x-acs-dingtalk-access-token", token_}});
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(json::parse(r.body).at("space").at("id").as_string());
  }

  // AddPermission READER on the root of `space` for `member`, by its owner (the bootstrap user).
  void GrantReader(const std::string& space, json::object member) const {
    Client(server_).Call("POST",
                         "/v1.0/storage/spaces/" + space +
                             "/dentries/0/permissions?unionId=" + ServerProcess::kUnionId,
                         json::serialize(json::object{
                             {"roleId", "READER"}, {"members", json::array{std::move(member)}}}));
  }

  ServerProcess server_;
  std::string token_ = server_.Token();
  testing::TempDir scratch_;
};

const std::pair<int, std::string> kAllowed{200, ""};
const std::pair<int, std::string> kDenied{403, "permissionDenied"};

TEST_F(DepartmentsCliTest, DepartmentsAreCreatedListedAndFilled) {
  AdminOk({"user", "create", "--corp-id", kCorp, "--union-id", "u2"});
  const auto sales =
      AdminOk({"dept", "create", "--corp", kCorp, "--id", "sales", "--name", "Sales"});
  EXPECT_EQ(sales.at("corpId"), kCorp);
  EXPECT_EQ(sales.at("deptId"), "sales");
  EXPECT_EQ(sales.at("name"), "Sales");
  EXPECT_TRUE(sales.at("createTime").is_string());
  // The long spelling of the flags, like the other admin commands; the name defaults to the id.
  const auto eng = AdminOk({"dept", "create", "--corp-id", kCorp, "--dept-id", "eng"});
  EXPECT_EQ(eng.at("name"), "eng");

  const auto list = AdminOk({"dept", "list", "--corp", kCorp}).as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("deptId"), "eng");
  EXPECT_EQ(list[1], sales);

  const std::vector<std::string> add{"dept", "add-member", "--corp", kCorp,
                                     "--id", "sales",      "--user", "u2"};
  EXPECT_EQ(
      AdminOk(add),
      (json::object{{"corpId", kCorp}, {"deptId", "sales"}, {"unionId", "u2"}, {"added", true}}));
  EXPECT_EQ(AdminOk(add).at("added"), false) << "adding twice changes nothing";
  AdminOk(
      {"dept", "add-member", "--corp", kCorp, "--id", "sales", "--user", ServerProcess::kUnionId});
  EXPECT_EQ(AdminOk({"dept", "members", "--corp", kCorp, "--id", "sales"}),
            (json::array{"u2", ServerProcess::kUnionId}))
      << "ordered";
  EXPECT_EQ(AdminOk({"dept", "members", "--corp", kCorp, "--id", "eng"}), json::array());

  const std::vector<std::string> remove{"dept", "remove-member", "--corp", kCorp,
                                        "--id", "sales",         "--user", "u2"};
  EXPECT_EQ(AdminOk(remove).at("removed"), true);
  EXPECT_EQ(AdminOk(remove).at("removed"), false) << "removing twice changes nothing";
  EXPECT_EQ(AdminOk({"dept", "members", "--corp", kCorp, "--id", "sales"}),
            (json::array{ServerProcess::kUnionId}));
}

TEST_F(DepartmentsCliTest, UnknownIdsAreNamedAndExitOne) {
  AdminOk({"dept", "create", "--corp", kCorp, "--id", "sales"});
  EXPECT_NE(AdminFails({"dept", "create", "--corp", kCorp, "--id", "sales"}).find("already_exists"),
            std::string::npos);
  EXPECT_NE(AdminFails({"dept", "create", "--corp", kCorp, "--id", "a/b"}).find("deptId"),
            std::string::npos);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"dept", "create", "--corp", "nocorp", "--id", "d"},
           {"dept", "list", "--corp", "nocorp"},
           {"dept", "members", "--corp", "nocorp", "--id", "sales"},
           {"user", "remove", "--corp", "nocorp", "--user", "u2"}}) {
    const std::string err = AdminFails(args);
    EXPECT_NE(err.find("not_found"), std::string::npos) << args[1] << ": " << err;
    EXPECT_NE(err.find("nocorp"), std::string::npos) << args[1] << ": " << err;
  }
  for (const char* verb : {"add-member", "remove-member"}) {
    const std::string no_dept =
        AdminFails({"dept", verb, "--corp", kCorp, "--id", "nodept", "--user", "union1"});
    EXPECT_NE(no_dept.find("nodept"), std::string::npos) << verb << ": " << no_dept;
    const std::string no_user =
        AdminFails({"dept", verb, "--corp", kCorp, "--id", "sales", "--user", "nouser"});
    EXPECT_NE(no_user.find("nouser"), std::string::npos) << verb << ": " << no_user;
  }
  EXPECT_NE(AdminFails({"dept", "members", "--corp", kCorp, "--id", "nodept"}).find("nodept"),
            std::string::npos);
  EXPECT_NE(AdminFails({"user", "remove", "--corp", kCorp, "--user", "nouser"}).find("nouser"),
            std::string::npos);
  // A missing flag is a usage error, as everywhere on the command line.
  EXPECT_EQ(Admin({"dept", "add-member", "--corp", kCorp, "--id", "sales"}).status, 2);
  EXPECT_EQ(Admin({"user", "remove", "--corp", kCorp}).status, 2);
  EXPECT_EQ(Admin({"dept"}).status, 2);
}

TEST_F(DepartmentsCliTest, ARemovedUserCanNoLongerActOnTheRunningServer) {
  AdminOk({"user", "create", "--corp-id", kCorp, "--union-id", "u2"});
  const std::string space = AddSpaceAs("u2", "1");
  EXPECT_EQ(GetSpaceAs(space, "u2"), kAllowed);
  EXPECT_EQ(AdminOk({"user", "remove", "--corp", kCorp, "--user", "u2"}),
            (json::object{{"corpId", kCorp}, {"unionId", "u2"}, {"removed", true}}));
  EXPECT_EQ(GetSpaceAs(space, "u2"), kDenied) << "the next request, not a second later";
  EXPECT_EQ(AdminOk({"user", "list", "--corp-id", kCorp}).as_array().size(), 1u);
  EXPECT_NE(AdminFails({"user", "remove", "--corp", kCorp, "--user", "u2"}).find("u2"),
            std::string::npos);
}

// A DEPT grant on a space's root, then the membership changed by admin while the server runs:
// the permission generation the change moved makes the server's next request see it.
TEST_F(DepartmentsCliTest, AMembershipChangedByAdminCountsOnTheServersNextRequest) {
  AdminOk({"user", "create", "--corp-id", kCorp, "--union-id", "u2"});
  AdminOk({"dept", "create", "--corp", kCorp, "--id", "sales"});
  const std::string space = AddSpaceAs(ServerProcess::kUnionId, "2");
  GrantReader(space, {{"type", "DEPT"}, {"id", "sales"}, {"corpId", kCorp}});
  EXPECT_EQ(GetSpaceAs(space, "u2"), kDenied);

  AdminOk({"dept", "add-member", "--corp", kCorp, "--id", "sales", "--user", "u2"});
  EXPECT_EQ(GetSpaceAs(space, "u2"), kAllowed);
  AdminOk({"dept", "remove-member", "--corp", kCorp, "--id", "sales", "--user", "u2"});
  EXPECT_EQ(GetSpaceAs(space, "u2"), kDenied);

  // A user's removal takes its USER grants and its memberships: the same unionId made again has
  // no role through either.
  GrantReader(space, {{"type", "USER"}, {"id", "u2"}});
  EXPECT_EQ(GetSpaceAs(space, "u2"), kAllowed) << "through the USER grant";
  AdminOk({"dept", "add-member", "--corp", kCorp, "--id", "sales", "--user", "u2"});
  AdminOk({"user", "remove", "--corp", kCorp, "--user", "u2"});
  AdminOk({"user", "create", "--corp-id", kCorp, "--union-id", "u2"});
  EXPECT_EQ(GetSpaceAs(space, "u2"), kDenied);
  EXPECT_EQ(AdminOk({"dept", "members", "--corp", kCorp, "--id", "sales"}), json::array());
}

}  // namespace
}  // namespace spacestore
