#pragma once

#include <cstdint>

#include <boost/json/object.hpp>

#include "domain/space.h"

namespace spacestore::api::koodrive {

inline constexpr int64_t kBytesPerGb = int64_t{1} << 30;
inline constexpr int64_t kBytesPerKb = 1024;

// The fixed 12-character prefix of the derived directory ids, mirroring the documented pattern
// bizRootFileId = <prefix> "root" <containerId>.
inline constexpr const char* kFileIdPrefix = "SpStoreFsId0";

// SpaceInfo as the seed shows it: numbers for type, status, capacity (GB) and spaceUsed
// (bytes), strings for ids and ISO-8601 times with milliseconds. `org_capacity_bytes` stands in
// for capacity when the space has no cap of its own.
boost::json::object SpaceInfoJson(const domain::Space& space, int64_t org_capacity_bytes);

}  // namespace spacestore::api::koodrive
