#pragma once

// PermissionClient: the DingTalk and KooDrive calls the permission suites make as any user of
// the bootstrap org (permissions_matrix_test.cc, permissions_race_test.cc): spaces, folders,
// uploads and grants through AddPermission / DeletePermission, each call answered as a
// `Reply` whatever its status, so a test can judge allowed against refused itself.
// Thread-safe once constructed (every call opens its own connection; nothing is mutated).
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "server_process.h"
#include "test_client.h"

namespace spacestore::testing {

// One answer: the status and the parsed JSON body (null when it is empty or not JSON).
struct Reply {
  int status = 0;
  boost::json::value body;
  std::string raw;

  bool ok() const { return status >= 200 && status < 300; }
  // The DingTalk error code (`code`), "" when there is none.
  std::string Code() const {
    const auto* o = body.if_object();
    if (o == nullptr || !o->contains("code") || !o->at("code").is_string()) return "";
    return std::string(o->at("code").as_string());
  }
  std::string Text() const { return std::to_string(status) + " " + raw.substr(0, 300); }
};

class PermissionClient {
 public:
  static constexpr const char* kOwner = ServerProcess::kUnionId;
  enum class SpaceType { kUser, kApp };

  explicit PermissionClient(const ServerProcess& server)
      : server_(server), token_(server.Token()) {}

  const ServerProcess& server() const { return server_; }

  static std::string SpacePath(const std::string& space) { return "/v1.0/storage/spaces/" + space; }

  // A DingTalk call as `user`: `target` gets `unionId=<user>` appended.
  Reply Call(const std::string& user, const std::string& method, const std::string& target,
             const std::string& body = "") const {
    const char sep = target.find('?') == std::string::npos ? '?' : '&';
    return Parse(server_.Request(method, target + sep + "unionId=" + user, body,
                                 {{"x-acs-dingtalk-access-token", token_}}));
  }

  // A KooDrive call as `user` (X-User-Id); the app alone when `user` is empty.
  Reply KooDrive(const std::string& user, const std::string& method, const std::string& target,
                 const std::string& body = "") const {
    Headers headers{{"Authorization", "Bearer " + token_}};
    if (!user.empty()) headers.emplace_back("X-User-Id", user);
    return Parse(server_.Request(method, target, body, headers));
  }

  // Call, and the JSON object of its answer; throws unless it is 2xx.
  boost::json::object Ok(const std::string& user, const std::string& method,
                         const std::string& target, const std::string& body = "") const {
    const Reply r = Call(user, method, target, body);
    if (!r.ok() || !r.body.is_object()) {
      throw std::runtime_error(method + " " + target + " as " + user + " -> " + r.Text());
    }
    return r.body.as_object();
  }

  // AddSpace as the bootstrap user, who is then its creator (and owner of a USER space).
  boost::json::object AddSpace(SpaceType type, const std::string& scene_id) const {
    const boost::json::object option{{"scene", "perm"},
                                     {"sceneId", scene_id},
                                     {"ownerType", type == SpaceType::kUser ? "USER" : "APP"}};
    return Ok(kOwner, "POST", "/v1.0/storage/spaces",
              boost::json::serialize(boost::json::object{{"option", option}}))
        .at("space")
        .as_object();
  }

  std::string AddFolder(const std::string& space, const std::string& parent,
                        const std::string& name) const {
    return Id(Ok(kOwner, "POST", SpacePath(space) + "/dentries/" + parent + "/folders",
                 boost::json::serialize(boost::json::object{{"name", name}})));
  }

  // Uploads `data` as `name` under `parent` (as the owner); with `overwrite`, as a new version
  // of that file. Returns the committed dentry's id.
  std::string PutFile(const std::string& space, const std::string& parent, const std::string& name,
                      const std::string& data, const std::string& overwrite = "") const {
    const auto [r, step] = Upload(kOwner, space, parent, name, data, overwrite);
    if (!r.ok()) throw std::runtime_error("upload of " + name + ", " + step + ": " + r.Text());
    return std::string(r.body.at("dentry").at("id").as_string());
  }

  // GetFileUploadInfo, the PUT and CommitFile as `user`: the first answer that is not 2xx, else
  // the commit's, and the step that gave it ("info", "put", "commit"). GetFileUploadInfo names
  // `parent` in preCheckParam unless the upload is a new version of file `overwrite`.
  std::pair<Reply, std::string> Upload(const std::string& user, const std::string& space,
                                       const std::string& parent, const std::string& name,
                                       const std::string& data,
                                       const std::string& overwrite = "") const {
    const std::string in_parent = overwrite.empty() ? R"("parentId":")" + parent + R"(",)" : "";
    const Reply info =
        Call(user, "POST", SpacePath(space) + "/files/uploadInfos/query",
             R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":{"preCheckParam":{)" +
                 in_parent + R"("size":)" + std::to_string(data.size()) + "}}}");
    if (!info.ok()) return {info, "info"};
    const auto [path, headers] = Client::Signed(info.body.at("headerSignatureInfo"));
    const HttpResult put = server_.Request("PUT", path, data, headers);
    if (put.status != 200) return {Parse(put), "put"};
    boost::json::object commit{
        {"uploadKey", info.body.at("uploadKey")}, {"name", name}, {"parentId", parent}};
    if (!overwrite.empty()) commit["overwriteDentryId"] = overwrite;
    return {Call(user, "POST", SpacePath(space) + "/files/commit", boost::json::serialize(commit)),
            "commit"};
  }

  // AddPermission of `role` on `dentry` to user `member`, as the space's owner; `duration` in
  // seconds for a temporary grant (APP spaces), none for a permanent one (USER spaces).
  void Grant(const std::string& space, const std::string& dentry, const std::string& member,
             const std::string& role, std::optional<int64_t> duration) const {
    const Reply r =
        Call(kOwner, "POST", GrantPath(space, dentry), GrantBody(member, role, duration));
    if (!r.ok()) {
      throw std::runtime_error("grant of " + role + " on " + dentry + " to " + member + ": " +
                               r.Text());
    }
  }

  // DeletePermission of `role` on `dentry` for `member`, as `user`.
  Reply Revoke(const std::string& user, const std::string& space, const std::string& dentry,
               const std::string& member, const std::string& role) const {
    return Call(user, "POST", GrantPath(space, dentry) + "/remove",
                GrantBody(member, role, std::nullopt));
  }

  static std::string GrantPath(const std::string& space, const std::string& dentry) {
    return SpacePath(space) + "/dentries/" + dentry + "/permissions";
  }
  static std::string GrantBody(const std::string& member, const std::string& role,
                               std::optional<int64_t> duration) {
    boost::json::object body{
        {"roleId", role},
        {"members", boost::json::array{boost::json::object{{"type", "USER"}, {"id", member}}}}};
    if (duration) body["option"] = boost::json::object{{"duration", *duration}};
    return boost::json::serialize(body);
  }

  // The names of the children ListDentries shows `user` in `folder` (every page), or the
  // refusal.
  std::pair<Reply, std::vector<std::string>> ListNames(const std::string& user,
                                                       const std::string& space,
                                                       const std::string& folder) const {
    std::vector<std::string> names;
    std::string next;
    for (;;) {
      Reply r = Call(user, "GET",
                     SpacePath(space) + "/dentries?parentId=" + folder + "&order=ASC&orderBy=NAME" +
                         (next.empty() ? "" : "&nextToken=" + next));
      if (!r.ok()) return {r, names};
      for (const auto& d : r.body.at("dentries").as_array()) {
        names.emplace_back(d.at("name").as_string());
      }
      const auto& o = r.body.as_object();
      if (!o.contains("nextToken") || o.at("nextToken").as_string().empty()) return {r, names};
      next = std::string(o.at("nextToken").as_string());
    }
  }

  // Every dentry id ListAllDentries shows `user` (every page), or the refusal.
  std::pair<Reply, std::vector<std::string>> ListAllIds(const std::string& user,
                                                        const std::string& space) const {
    std::vector<std::string> ids;
    std::string next;
    for (;;) {
      boost::json::object option{{"maxResults", 50}};
      if (!next.empty()) option["nextToken"] = next;
      Reply r = Call(user, "POST", SpacePath(space) + "/dentries/listAll",
                     boost::json::serialize(boost::json::object{{"option", option}}));
      if (!r.ok()) return {r, ids};
      for (const auto& d : r.body.at("dentries").as_array()) {
        ids.emplace_back(d.at("id").as_string());
      }
      const auto& o = r.body.as_object();
      if (!o.contains("nextToken") || o.at("nextToken").as_string().empty()) return {r, ids};
      next = std::string(o.at("nextToken").as_string());
    }
  }

  // `spacestore admin user create` for each id, a few at a time (each is a process).
  static void CreateUsers(const ServerProcess& server, const std::vector<std::string>& ids) {
    RunEach(ids.size(), 4, [&](size_t i) {
      server.Admin({"user", "create", "--corp-id", ServerProcess::kCorpId, "--union-id", ids[i]});
    });
  }

  // Runs fn(0) .. fn(n - 1) on `threads` threads; the first exception is rethrown after all
  // have stopped.
  template <typename Fn>
  static void RunEach(size_t n, int threads, Fn fn) {
    std::atomic<size_t> next{0};
    std::exception_ptr failure;
    std::mutex mu;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < n; i = next++) {
          try {
            fn(i);
          } catch (...) {
            const std::lock_guard lock(mu);
            if (!failure) failure = std::current_exception();
            next = n;
          }
        }
      });
    }
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
  }

 private:
  static Reply Parse(const HttpResult& r) {
    Reply out{r.status, nullptr, r.body};
    boost::system::error_code ec;
    if (!r.body.empty()) out.body = boost::json::parse(r.body, ec);
    if (ec) out.body = nullptr;
    return out;
  }

  static std::string Id(const boost::json::object& reply) {
    return std::string(reply.at("dentry").at("id").as_string());
  }

  const ServerProcess& server_;
  std::string token_;
};

}  // namespace spacestore::testing
