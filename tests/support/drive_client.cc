#include "drive_client.h"

#include <boost/json.hpp>

namespace spacestore::testing {
namespace {

namespace json = boost::json;

constexpr const char* kUser = "?unionId=union1";

std::string SpacePath(const std::string& space) { return "/v1.0/storage/spaces/" + space; }

}  // namespace

DriveClient::DriveClient(const ServerProcess& server) : server_(server), token_(server.Token()) {}

HttpResult DriveClient::Call(const std::string& method, const std::string& target,
                             const std::string& body) const {
  return server_.Request(method, target, body, {{"x-acs-dingtalk-access-token", token_}});
}

HttpResult DriveClient::KooDrive(const std::string& method, const std::string& target,
                                 const std::string& body) const {
  return server_.Request(method, target, body, {{"Authorization", "Bearer " + token_}});
}

json::object DriveClient::Ok(const std::string& method, const std::string& target,
                             const std::string& body) const {
  const HttpResult r = Call(method, target, body);
  if (r.status != 200) {
    throw StatusError(r.status,
                      method + " " + target + " -> " + std::to_string(r.status) + " " + r.body);
  }
  return r.body.empty() ? json::object() : json::parse(r.body).as_object();
}

std::string DriveClient::AddSpace(const std::string& scene, const std::string& scene_id) const {
  const json::object option{{"scene", scene}, {"sceneId", scene_id}};
  const auto r = Ok("POST", std::string("/v1.0/storage/spaces") + kUser,
                    json::serialize(json::object{{"option", option}}));
  return std::string(r.at("space").at("id").as_string());
}

std::string DriveClient::AddFolder(const std::string& space, const std::string& parent,
                                   const std::string& name) const {
  const auto r = Ok("POST", SpacePath(space) + "/dentries/" + parent + "/folders" + kUser,
                    json::serialize(json::object{{"name", name}}));
  return std::string(r.at("dentry").at("id").as_string());
}

std::pair<std::string, DriveClient::Headers> DriveClient::Signed(const json::value& info) {
  const std::string url(info.at("resourceUrls").at(0).as_string());
  Headers headers;
  for (const auto& [k, v] : info.at("headers").as_object()) {
    headers.emplace_back(k, std::string(v.as_string()));
  }
  return {url.substr(url.find("/blobs/")), headers};
}

void DriveClient::Put(const json::value& info, const std::string& data) const {
  const auto [path, headers] = Signed(info);
  const HttpResult put = server_.Request("PUT", path, data, headers);
  if (put.status != 200) {
    throw StatusError(put.status,
                      "PUT " + path + " -> " + std::to_string(put.status) + " " + put.body);
  }
}

json::object DriveClient::PutFile(const std::string& space, const std::string& name,
                                  const std::string& data) const {
  const auto info = Ok("POST", SpacePath(space) + "/files/uploadInfos/query" + kUser,
                       R"({"protocol":"HEADER_SIGNATURE","multipart":false,"option":)"
                       R"({"preCheckParam":{"size":)" +
                           std::to_string(data.size()) + "}}}");
  Put(info.at("headerSignatureInfo"), data);
  const auto commit =
      Ok("POST", SpacePath(space) + "/files/commit" + kUser,
         json::serialize(
             json::object{{"uploadKey", info.at("uploadKey")}, {"name", name}, {"parentId", "0"}}));
  return commit.at("dentry").as_object();
}

json::object DriveClient::PutMultipart(const std::string& space, const std::string& name,
                                       const std::string& data, size_t part_bytes) const {
  const auto init =
      Ok("POST", SpacePath(space) + "/files/multiPartUploadInfos/init" + kUser,
         R"({"option":{"preCheckParam":{"size":)" + std::to_string(data.size()) + "}}}");
  const json::value key = init.at("uploadKey");
  json::array numbers;
  const size_t parts = data.empty() ? 1 : (data.size() + part_bytes - 1) / part_bytes;
  for (size_t i = 1; i <= parts; ++i) numbers.emplace_back(static_cast<int64_t>(i));
  const auto infos =
      Ok("POST", std::string("/v1.0/storage/spaces/files/multiPartUploadInfos/query") + kUser,
         json::serialize(json::object{{"uploadKey", key}, {"partNumbers", numbers}}));
  for (const json::value& part : infos.at("multipartHeaderSignatureInfos").as_array()) {
    const auto n = static_cast<size_t>(part.at("partNumber").as_int64());
    Put(part.at("headerSignatureInfo"), data.substr((n - 1) * part_bytes, part_bytes));
  }
  const auto commit =
      Ok("POST", SpacePath(space) + "/files/commit" + kUser,
         json::serialize(json::object{{"uploadKey", key}, {"name", name}, {"parentId", "0"}}));
  return commit.at("dentry").as_object();
}

HttpResult DriveClient::Download(const std::string& space, const std::string& dentry) const {
  const auto info =
      Ok("POST", SpacePath(space) + "/dentries/" + dentry + "/downloadInfos/query" + kUser, "{}");
  const auto [path, headers] = Signed(info.at("headerSignatureInfo"));
  return server_.Request("GET", path, "", headers);
}

}  // namespace spacestore::testing
