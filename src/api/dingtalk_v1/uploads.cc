// Upload and download: GetFileUploadInfo, InitMultipartFileUpload, GetMultipartFileUploadInfos,
// CommitFile, GetFileDownloadInfo. The URLs they hand out point at spacestore's own /blobs/
// endpoints (api/transfer).
#include <boost/json/array.hpp>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "api/dingtalk_v1/request_fields.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

namespace {

constexpr const char* kProtocol = "HEADER_SIGNATURE";
constexpr const char* kDriver = "DINGTALK";

// option.storageDriver, when given, must be DINGTALK (the only driver).
Result<void> CheckDriver(const json::object* option) {
  if (option == nullptr) return {};
  auto driver = server::GetString(*option, "storageDriver");
  if (!driver) return driver.error();
  if (*driver && **driver != kDriver) {
    return MakeError(Errc::kInvalidArgument, "storageDriver", "storageDriver must be DINGTALK");
  }
  if (auto intranet = server::GetBool(*option, "preferIntranet"); !intranet) {
    return intranet.error();
  }
  return {};
}

// option.preCheckParam {name, parentId, size, md5}.
Result<domain::PreCheck> ReadPreCheck(const json::object* option) {
  domain::PreCheck check;
  if (option == nullptr) return check;
  auto pre = server::GetObject(*option, "preCheckParam");
  if (!pre) return pre.error();
  if (*pre == nullptr) return check;
  auto name = server::GetString(**pre, "name");
  if (!name) return name.error();
  check.name = std::move(*name);
  auto parent = server::GetString(**pre, "parentId");
  if (!parent) return parent.error();
  check.parent_id = std::move(*parent);
  auto size = server::GetInt64(**pre, "size");
  if (!size) return size.error();
  check.size = *size;
  auto md5 = server::GetString(**pre, "md5");
  if (!md5) return md5.error();
  if (*md5) {
    for (char& c : **md5) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  check.md5 = std::move(*md5);
  return check;
}

}  // namespace

Result<Reply> DingTalkApi::GetFileUploadInfo(const Call& call) const {
  auto protocol = ReadRequiredString(call.body, "protocol");
  if (!protocol) return protocol.error();
  if (*protocol != kProtocol) {
    return MakeError(Errc::kInvalidArgument, "protocol", "protocol must be HEADER_SIGNATURE");
  }
  if (auto multipart = server::GetBool(call.body, "multipart"); !multipart) {
    return multipart.error();
  }
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  if (auto ok = CheckDriver(*option); !ok) return ok.error();
  auto check = ReadPreCheck(*option);
  if (!check) return check.error();
  auto ticket = uploads_.Authorize(call.actor, call.Param("spaceId"), *check, false);
  if (!ticket) return ticket.error();
  return json::object{{"uploadKey", ticket->key},
                      {"protocol", kProtocol},
                      {"storageDriver", kDriver},
                      {"headerSignatureInfo", HeaderSignatureJson(links_.Link(*ticket->grant))}};
}

Result<Reply> DingTalkApi::InitMultipartFileUpload(const Call& call) const {
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  if (auto ok = CheckDriver(*option); !ok) return ok.error();
  auto check = ReadPreCheck(*option);
  if (!check) return check.error();
  auto ticket = uploads_.Authorize(call.actor, call.Param("spaceId"), *check, true);
  if (!ticket) return ticket.error();
  return json::object{{"uploadKey", ticket->key}, {"storageDriver", kDriver}};
}

Result<Reply> DingTalkApi::GetMultipartFileUploadInfos(const Call& call) const {
  auto key = ReadRequiredString(call.body, "uploadKey");
  if (!key) return key.error();
  const auto it = call.body.find("partNumbers");
  const Error bad =
      MakeError(Errc::kInvalidArgument, "partNumbers", "partNumbers must be an array of integers");
  if (it == call.body.end() || !it->value().is_array()) return bad;
  std::vector<int64_t> numbers;
  for (const json::value& v : it->value().as_array()) {
    if (!v.is_int64()) return bad;
    numbers.push_back(v.as_int64());
  }
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  if (auto ok = CheckDriver(*option); !ok) return ok.error();
  auto grants = uploads_.PartGrants(call.actor, *key, numbers);
  if (!grants) return grants.error();
  json::array infos;
  for (const auto& grant : *grants) {
    infos.push_back(json::object{{"partNumber", grant.part_number},
                                 {"headerSignatureInfo", HeaderSignatureJson(links_.Link(grant))}});
  }
  return Wrap("multipartHeaderSignatureInfos", std::move(infos));
}

Result<Reply> DingTalkApi::CommitFile(const Call& call) const {
  domain::CommitRequest request;
  auto key = ReadRequiredString(call.body, "uploadKey");
  if (!key) return key.error();
  request.upload_key = std::move(*key);
  auto name = ReadRequiredString(call.body, "name");
  if (!name) return name.error();
  request.name = std::move(*name);
  auto parent = ReadRequiredString(call.body, "parentId");
  if (!parent) return parent.error();
  request.parent_id = std::move(*parent);
  auto overwrite = server::GetString(call.body, "overwriteDentryId");
  if (!overwrite) return overwrite.error();
  request.overwrite_dentry_id = overwrite->value_or("");
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  if (*option != nullptr) {
    auto size = server::GetInt64(**option, "size");
    if (!size) return size.error();
    request.size = *size;
  }
  auto strategy = ReadConflictStrategy(*option);
  if (!strategy) return strategy.error();
  request.strategy = *strategy;
  auto properties = ReadAppProperties(*option, call.actor.app_id);
  if (!properties) return properties.error();
  request.app_properties = std::move(*properties);
  auto file = uploads_.Commit(call.actor, call.Param("spaceId"), std::move(request));
  if (!file) return file.error();
  return DentryReply(*file, DentryShape::kWithCategory, call.actor.app_id);
}

Result<Reply> DingTalkApi::GetFileDownloadInfo(const Call& call) const {
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  std::optional<int64_t> version;
  if (*option != nullptr) {
    auto v = server::GetInt64(**option, "version");
    if (!v) return v.error();
    version = *v;
    if (auto intranet = server::GetBool(**option, "preferIntranet"); !intranet) {
      return intranet.error();
    }
  }
  auto grant =
      uploads_.DownloadGrant(call.actor, call.Param("spaceId"), call.Param("dentryId"), version);
  if (!grant) return grant.error();
  return json::object{{"protocol", kProtocol},
                      {"headerSignatureInfo", HeaderSignatureJson(links_.Link(*grant))}};
}

}  // namespace spacestore::api::dingtalk_v1
