#pragma once

#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>

#include "domain/space.h"
#include "domain/space_service.h"

namespace spacestore::api::dingtalk_v1 {

// Domain values as DingTalk JSON, with the reference's field names and JSON types
// (section 3). Optional fields that have no value are omitted, never null.

// Partition {partitionType, quota{used, max?, reserved?, type}}: type is PRIVATE when a max is
// set and SHARE (no max) when the holder shares the org pool.
boost::json::object PartitionJson(int64_t used, std::optional<int64_t> max);

boost::json::object SpaceJson(const domain::Space& space);
boost::json::object OrgJson(const domain::OrgUsage& usage);
boost::json::object AppJson(const domain::AppUsage& usage);

}  // namespace spacestore::api::dingtalk_v1
