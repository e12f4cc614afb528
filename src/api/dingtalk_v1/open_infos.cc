// Open links: RegisterOpenInfo, GetDentryOpenInfo, GetWebOfficeUrl and RefreshWebOfficeToken
// (domain::OpenService). spacestore's own links point at the /open/ and /office/ pages under
// the public base URL (api/pages); docs/open-links.md has the lifetimes and the errors.
#include <boost/json/array.hpp>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/request_fields.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

namespace {

// "PREVIEW" or "EDIT"; kInvalidArgument naming `field` for anything else.
Result<domain::OpenType> ReadOpenType(std::string_view text, std::string_view field) {
  if (text == "PREVIEW") return domain::OpenType::kPreview;
  if (text == "EDIT") return domain::OpenType::kEdit;
  return MakeError(Errc::kInvalidArgument, std::string(field),
                   std::string(field) + " must be PREVIEW or EDIT");
}

Error Missing(std::string_view field) {
  return MakeError(Errc::kInvalidArgument, std::string(field), std::string(field) + " is required");
}

}  // namespace

Result<Reply> DingTalkApi::RegisterOpenInfo(const Call& call) const {
  auto provider = ReadRequiredString(call.body, "provider");
  if (!provider) return provider.error();
  const auto* infos = call.body.if_contains("openInfos");
  if (infos == nullptr || infos->is_null()) return Missing("openInfos");
  if (!infos->is_array()) {
    return MakeError(Errc::kInvalidArgument, "openInfos", "openInfos must be an array");
  }
  std::vector<domain::OpenInfoUrl> urls;
  for (const json::value& item : infos->get_array()) {
    if (!item.is_object()) {
      return MakeError(Errc::kInvalidArgument, "openInfos", "openInfos items must be objects");
    }
    auto type = ReadRequiredString(item.get_object(), "openType");
    if (!type) return type.error();
    auto parsed = ReadOpenType(*type, "openType");
    if (!parsed) return parsed.error();
    auto url = ReadRequiredString(item.get_object(), "url");
    if (!url) return url.error();
    urls.push_back(domain::OpenInfoUrl{*parsed, std::move(*url)});
  }
  if (auto ok = open_.Register(call.actor, call.Param("spaceId"), call.Param("dentryId"), *provider,
                               urls);
      !ok) {
    return ok.error();
  }
  return Wrap("success", true);
}

Result<Reply> DingTalkApi::GetDentryOpenInfo(const Call& call) const {
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  domain::OpenRequest request;
  if (*option != nullptr) {
    const json::object& o = **option;
    auto type = server::GetString(o, "type");
    if (!type) return type.error();
    if (*type) {
      auto parsed = ReadOpenType(**type, "type");
      if (!parsed) return parsed.error();
      request.type = *parsed;
    }
    auto version = server::GetInt64(o, "version");
    if (!version) return version.error();
    request.version = *version;
    auto check_login = server::GetBool(o, "checkLogin");
    if (!check_login) return check_login.error();
    request.check_login = check_login->value_or(false);
    auto water_mark = server::GetBool(o, "waterMark");
    if (!water_mark) return water_mark.error();
    request.water_mark = water_mark->value_or(false);
  }
  auto answer = open_.Open(call.actor, call.Param("spaceId"), call.Param("dentryId"), request);
  if (!answer) return answer.error();
  json::object out;
  out["url"] =
      answer->registered_url ? *answer->registered_url : public_url_ + "/open/" + answer->token;
  out["hasWaterMark"] = answer->water_mark;
  return out;
}

Result<Reply> DingTalkApi::GetWebOfficeUrl(const Call& call) const {
  const std::string_view space_id = call.Param("spaceId");
  const std::string_view dentry_id = call.Param("dentryId");
  auto pair = open_.IssueOffice(call.actor, space_id, dentry_id);
  if (!pair) return pair.error();
  json::object out;
  // The access token rides in the fragment, which browsers never send to a server, so it
  // stays out of access logs and Referer headers; the page reads it from there.
  out["webOfficeUrl"] = public_url_ + "/office/" + std::string(space_id) + "/" +
                        std::string(dentry_id) + "#token=" + pair->access_token;
  out["webOfficeAccessToken"] = pair->access_token;
  out["webOfficeRefreshToken"] = pair->refresh_token;
  return out;
}

Result<Reply> DingTalkApi::RefreshWebOfficeToken(const Call& call) const {
  const auto access = call.request.Query("webOfficeAccessToken");
  if (!access || access->empty()) return Missing("webOfficeAccessToken");
  const auto refresh = call.request.Query("webOfficeRefreshToken");
  if (!refresh || refresh->empty()) return Missing("webOfficeRefreshToken");
  auto pair = open_.RefreshOffice(call.actor, call.Param("spaceId"), call.Param("dentryId"),
                                  *access, *refresh);
  if (!pair) return pair.error();
  json::object out;
  out["webOfficeAccessToken"] = pair->access_token;
  out["webOfficeRefreshToken"] = pair->refresh_token;
  return out;
}

}  // namespace spacestore::api::dingtalk_v1
