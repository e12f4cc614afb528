#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace spacestore::domain {

// Who owns a space, in DingTalk's words.
enum class OwnerType { kUser, kApp };

// What a space is for, in KooDrive's words (SpaceInfo.type). DingTalk USER spaces are
// individual spaces; APP spaces are organizational ones, shown as department spaces.
enum class SpaceKind { kDepartment = 0, kIndividual = 1, kGroup = 2 };

struct Capabilities {
  bool can_search = false;
  bool can_rename = false;
  bool can_record_recent_file = false;
};

// A storage space: the unit of ownership, quota and (later) the root of a dentry tree.
// Plain data; thread-compatible.
struct Space {
  std::string id;  // Also KooDrive's containerId.
  std::string corp_id;
  std::string app_id;  // The app whose token created it.
  std::string name;    // Empty: no name.
  OwnerType owner_type = OwnerType::kUser;
  SpaceKind kind = SpaceKind::kIndividual;
  std::string owner_id;  // unionId for USER spaces, appId (or a KooDrive owner id) for APP ones.
  std::string creator_id;
  std::string modifier_id;
  int64_t used_bytes = 0;
  int64_t reserved_bytes = 0;  // Held for authorized uploads of known size; see UploadService.
  std::optional<int64_t> quota_bytes;  // Absent: bounded only by the org's capacity.
  bool disabled = false;               // KooDrive status 1: allocated but not usable.
  std::string scene;
  std::string scene_id;
  Capabilities capabilities;
  int64_t create_time = 0;  // Epoch milliseconds.
  int64_t modified_time = 0;
  // Changes, in the same transaction, whenever any of the space's dentries is created, changed
  // or removed; the store owns it (writes of a Space never set it). Equal generations mean
  // equal dentries, which is what lets DentryCache serve them without reading the store.
  int64_t dentry_generation = 0;
  // Changes, in the same transaction, whenever a grant of the space, a department membership
  // of its org or a user of its org changes (PermissionRecords); the store owns it, as it does
  // dentry_generation. Equal generations mean equal access answers (domain/access.h).
  int64_t permission_generation = 0;
};

const char* OwnerTypeName(OwnerType t);  // "USER" / "APP"

}  // namespace spacestore::domain
