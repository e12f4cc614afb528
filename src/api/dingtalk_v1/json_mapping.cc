#include "api/dingtalk_v1/json_mapping.h"

#include <boost/json/array.hpp>

#include "base/clock.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

namespace {
constexpr const char* kPartitionType = "PUBLIC_OSS_PARTITION";
}  // namespace

json::object PartitionJson(int64_t used, std::optional<int64_t> max) {
  json::object quota;
  quota["used"] = used;
  if (max) quota["max"] = *max;
  quota["type"] = max ? "PRIVATE" : "SHARE";
  json::object partition;
  partition["partitionType"] = kPartitionType;
  partition["quota"] = std::move(quota);
  return partition;
}

json::object SpaceJson(const domain::Space& s) {
  json::object o;
  o["id"] = s.id;
  o["corpId"] = s.corp_id;
  o["appId"] = s.app_id;
  if (!s.name.empty()) o["name"] = s.name;
  o["ownerType"] = domain::OwnerTypeName(s.owner_type);
  o["ownerId"] = s.owner_id;
  o["creatorId"] = s.creator_id;
  o["modifierId"] = s.modifier_id;
  o["usedQuota"] = s.used_bytes;
  if (s.quota_bytes) o["quota"] = *s.quota_bytes;
  o["status"] = "NORMAL";
  o["createTime"] = FormatIsoSeconds(s.create_time);
  o["modifiedTime"] = FormatIsoSeconds(s.modified_time);
  o["scene"] = s.scene;
  o["sceneId"] = s.scene_id;
  json::object caps;
  caps["canSearch"] = s.capabilities.can_search;
  caps["canRename"] = s.capabilities.can_rename;
  caps["canRecordRecentFile"] = s.capabilities.can_record_recent_file;
  o["capabilities"] = std::move(caps);
  o["partitions"] = json::array{PartitionJson(s.used_bytes, s.quota_bytes)};
  return o;
}

json::object OrgJson(const domain::OrgUsage& usage) {
  json::object o;
  o["corpId"] = usage.org.corp_id;
  // The org's own capacity is always dedicated, hence PRIVATE with its max.
  o["partitions"] = json::array{PartitionJson(usage.used_bytes, usage.org.capacity_bytes)};
  return o;
}

json::object AppJson(const domain::AppUsage& usage) {
  json::object o;
  o["appId"] = usage.app.app_id;
  o["corpId"] = usage.app.corp_id;
  o["name"] = usage.app.name;
  o["createTime"] = FormatIsoSeconds(usage.app.create_time);
  o["modifiedTime"] = FormatIsoSeconds(usage.app.modified_time);
  o["partitions"] = json::array{PartitionJson(usage.used_bytes, usage.app.quota_bytes)};
  return o;
}

}  // namespace spacestore::api::dingtalk_v1
