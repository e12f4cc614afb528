#include "api/koodrive/json_mapping.h"

#include "base/clock.h"

namespace spacestore::api::koodrive {

boost::json::object SpaceInfoJson(const domain::Space& s, int64_t org_capacity_bytes) {
  boost::json::object o;
  o["tenantId"] = s.corp_id;
  o["creator"] = s.creator_id;
  o["createTime"] = FormatIsoMillis(s.create_time);
  o["modifier"] = s.modifier_id;
  o["updateTime"] = FormatIsoMillis(s.modified_time);
  o["ownerId"] = s.owner_id;
  o["type"] = static_cast<int64_t>(s.kind);
  o["status"] = s.disabled ? 1 : 0;
  o["capacity"] = s.quota_bytes.value_or(org_capacity_bytes) / kBytesPerGb;
  o["spaceUsed"] = s.used_bytes;
  o["containerId"] = s.id;
  o["rootFileId"] = std::string(kFileIdPrefix) + "top0" + s.id;
  o["bizRootFileId"] = std::string(kFileIdPrefix) + "root" + s.id;
  o["bizSboxFileId"] = std::string(kFileIdPrefix) + "sbox" + s.id;
  return o;
}

}  // namespace spacestore::api::koodrive
