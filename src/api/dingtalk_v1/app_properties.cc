// App properties: UpdateDentryAppProperties and DeleteDentryAppProperties
// (domain::AppPropertyService). The owner of every property written or removed is the token's
// app, never a field of the request.
#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "api/dingtalk_v1/request_fields.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

Result<Reply> DingTalkApi::UpdateDentryAppProperties(const Call& call) const {
  // The body's top level holds appProperties, as option does for AddFolder and CommitFile.
  auto properties = ReadAppProperties(&call.body, call.actor.app_id);
  if (!properties) return properties.error();
  if (auto ok = app_properties_.Update(call.actor, call.Param("spaceId"), call.Param("dentryId"),
                                       std::move(*properties));
      !ok) {
    return ok.error();
  }
  return Wrap("success", true);
}

Result<Reply> DingTalkApi::DeleteDentryAppProperties(const Call& call) const {
  auto names = server::GetStringArray(call.body, "propertyNames");
  if (!names) return names.error();
  if (!*names) {
    return MakeError(Errc::kInvalidArgument, "propertyNames", "propertyNames is required");
  }
  if (auto ok = app_properties_.Remove(call.actor, call.Param("spaceId"), call.Param("dentryId"),
                                       **names);
      !ok) {
    return ok.error();
  }
  return Wrap("success", true);
}

}  // namespace spacestore::api::dingtalk_v1
