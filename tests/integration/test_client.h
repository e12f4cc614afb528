#pragma once

// A small DingTalk client for the integration tests (token, space, upload, download), and a
// runner for the binary's one-shot commands (fsck, admin backup/restore).
#include <sys/wait.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "server_process.h"

namespace spacestore::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

// A small client for one server: token, space, upload, download.
class Client {
 public:
  explicit Client(const ServerProcess& server) : server_(server), token_(server.Token()) {}

  boost::json::object Call(const std::string& method, const std::string& target,
                           const std::string& body = "", int expect = 200) const {
    const auto r = server_.Request(method, target, body, {{"x-acs-dingtalk-access-token", token_}});
    EXPECT_EQ(r.status, expect) << method << " " << target << " -> " << r.body;
    return r.body.empty() ? boost::json::object() : boost::json::parse(r.body).as_object();
  }

  std::string AddSpace(std::optional<int64_t> quota = std::nullopt) const {
    boost::json::object option{{"scene", "itest"}, {"sceneId", std::to_string(next_scene_++)}};
    if (quota) option["quota"] = *quota;
    const auto r = Call("POST", "/v1.0/storage/spaces?unionId=union1",
                        boost::json::serialize(boost::json::object{{"option", option}}));
    return std::string(r.at("space").at("id").as_string());
  }

  // Path part of an absolute signed URL, and its headers.
  static std::pair<std::string, Headers> Signed(const boost::json::value& info) {
    const std::string url(info.at("resourceUrls").at(0).as_string());
    Headers headers;
    for (const auto& [k, v] : info.at("headers").as_object()) {
      headers.emplace_back(k, std::string(v.as_string()));
    }
    return {url.substr(url.find("/blobs/")), headers};
  }

  // Uploads and commits; returns the commit response's dentry.
  boost::json::object PutFile(const std::string& space, const std::string& name,
                              const std::string& data, const std::string& parent = "0") const {
    const auto info =
        Call("POST", "/v1.0/storage/spaces/" + space + "/files/uploadInfos/query?unionId=union1",
             R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":)"
             R"({"preCheckParam":{"size":)" +
                 std::to_string(data.size()) + "}}}");
    const auto [path, headers] = Signed(info.at("headerSignatureInfo"));
    const auto put = server_.Request("PUT", path, data, headers);
    EXPECT_EQ(put.status, 200) << put.body;
    const auto commit =
        Call("POST", "/v1.0/storage/spaces/" + space + "/files/commit?unionId=union1",
             boost::json::serialize(boost::json::object{
                 {"uploadKey", info.at("uploadKey")}, {"name", name}, {"parentId", parent}}));
    return commit.at("dentry").as_object();
  }

  HttpResult Download(const std::string& space, const std::string& dentry,
                      const Headers& extra = {}) const {
    const auto info = Call("POST",
                           "/v1.0/storage/spaces/" + space + "/dentries/" + dentry +
                               "/downloadInfos/query?unionId=union1",
                           "{}");
    auto [path, headers] = Signed(info.at("headerSignatureInfo"));
    headers.insert(headers.end(), extra.begin(), extra.end());
    return server_.Request("GET", path, "", headers);
  }

  int64_t UsedQuota(const std::string& space) const {
    return Call("GET", "/v1.0/storage/spaces/" + space + "?unionId=union1")
        .at("space")
        .at("usedQuota")
        .as_int64();
  }

 private:
  const ServerProcess& server_;
  std::string token_;
  mutable int next_scene_ = 1;
};

inline std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

// Exit status and stdout of `spacestore <args...>` (stderr goes to the test's stderr).
struct CommandResult {
  int status = -1;
  std::string out;
};

inline CommandResult RunSpacestore(const std::vector<std::string>& args) {
  std::string cmd = "'" + ServerProcess::BinaryPath() + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {};
  CommandResult result;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) result.out.append(buf, n);
  const int status = pclose(p);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace spacestore::testing
