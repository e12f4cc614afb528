// POST /v1.0/oauth2/accessToken {appKey, appSecret} -> {accessToken, expireIn}.
#include "api/dingtalk_v1/dingtalk_api.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

Result<Reply> DingTalkApi::GetAccessToken(const Call& call) const {
  auto app_key = server::GetString(call.body, "appKey");
  if (!app_key) return app_key.error();
  auto app_secret = server::GetString(call.body, "appSecret");
  if (!app_secret) return app_secret.error();
  if (!*app_key || (*app_key)->empty()) {
    return MakeError(Errc::kInvalidArgument, "appKey", "appKey is required");
  }
  auto token = identity_.IssueToken(**app_key, app_secret->value_or(""));
  if (!token) return token.error();
  boost::json::object out;
  out["accessToken"] = token->token;
  out["expireIn"] = token->expire_in;
  return out;
}

}  // namespace spacestore::api::dingtalk_v1
