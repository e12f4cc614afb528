// Spaces, org and app: AddSpace, GetSpace, GetOrg, GetCurrentApp.
#include <array>
#include <utility>

#include <boost/json/object.hpp>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

namespace {

// Reads AddSpace's `option` object into domain parameters.
Result<domain::AddSpaceParams> ReadAddSpaceOption(const json::object& body) {
  domain::AddSpaceParams params;
  auto option = server::GetObject(body, "option");
  if (!option) return option.error();
  if (*option == nullptr) return params;
  const json::object& o = **option;

  auto name = server::GetString(o, "name");
  if (!name) return name.error();
  params.name = std::move(*name);
  auto quota = server::GetInt64(o, "quota");
  if (!quota) return quota.error();
  params.quota_bytes = *quota;
  auto scene = server::GetString(o, "scene");
  if (!scene) return scene.error();
  params.scene = std::move(*scene);
  auto scene_id = server::GetString(o, "sceneId");
  if (!scene_id) return scene_id.error();
  params.scene_id = std::move(*scene_id);

  auto owner_type = server::GetString(o, "ownerType");
  if (!owner_type) return owner_type.error();
  if (*owner_type) {
    if (**owner_type == "APP") {
      params.owner_type = domain::OwnerType::kApp;
    } else if (**owner_type != "USER") {
      return MakeError(Errc::kInvalidArgument, "ownerType", "ownerType must be USER or APP");
    }
  }

  auto caps = server::GetObject(o, "capabilities");
  if (!caps) return caps.error();
  if (*caps != nullptr) {
    const auto flags = std::to_array<std::pair<const char*, bool*>>(
        {{"canSearch", &params.capabilities.can_search},
         {"canRename", &params.capabilities.can_rename},
         {"canRecordRecentFile", &params.capabilities.can_record_recent_file}});
    for (const auto& [key, target] : flags) {
      auto flag = server::GetBool(**caps, key);
      if (!flag) return flag.error();
      *target = flag->value_or(false);
    }
  }
  return params;
}

}  // namespace

Result<Reply> DingTalkApi::AddSpace(const Call& call) const {
  auto params = ReadAddSpaceOption(call.body);
  if (!params) return params.error();
  auto space = spaces_.AddSpace(call.actor, *params);
  if (!space) return space.error();
  return SpaceReply(*space);
}

Result<Reply> DingTalkApi::GetSpace(const Call& call) const {
  auto space = spaces_.GetSpace(call.actor, call.Param("spaceId"));
  if (!space) return space.error();
  return SpaceReply(*space);
}

Result<Reply> DingTalkApi::GetOrg(const Call& call) const {
  auto usage = spaces_.GetOrgUsage(call.actor, call.Param("corpId"));
  if (!usage) return usage.error();
  return OrgReply(*usage);
}

Result<Reply> DingTalkApi::GetCurrentApp(const Call& call) const {
  auto usage = spaces_.GetAppUsage(call.actor);
  if (!usage) return usage.error();
  return AppReply(*usage);
}

}  // namespace spacestore::api::dingtalk_v1
