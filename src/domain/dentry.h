#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace spacestore::domain {

// The id of every space's root folder. It has no row of its own.
inline constexpr const char* kRootDentryId = "0";

enum class DentryType { kFile, kFolder };
enum class DentryStatus { kNormal, kDeleted, kExpired };

// A key/value an app attaches to a dentry. PUBLIC ones are visible to every app, PRIVATE ones
// only to the app that set them.
struct AppProperty {
  std::string app_id;
  std::string name;
  std::string value;
  bool is_public = true;
};

// A file or folder ("dentry") in a space. Plain data; thread-compatible.
struct Dentry {
  std::string id;
  std::string space_id;
  std::string parent_id;  // kRootDentryId for top-level entries.
  std::string uuid;       // Stable across moves and renames.
  DentryType type = DentryType::kFile;
  std::string name;
  std::string path;     // "/a/b/name", from the space root.
  int64_t size = 0;     // Files only: bytes of the current version.
  int64_t version = 1;  // Files: 1 on create, +1 per overwrite. Folders: 1.
  DentryStatus status = DentryStatus::kNormal;
  std::string creator_id;
  std::string modifier_id;
  int64_t create_time = 0;  // Epoch milliseconds.
  int64_t modified_time = 0;
  bool read_only = false;
  std::string blob_id;  // Files only: SHA-256 hex of the current version's content.
  std::vector<AppProperty> app_properties;

  bool is_folder() const { return type == DentryType::kFolder; }
};

// One stored version of a file's content.
struct DentryVersion {
  std::string dentry_id;
  int64_t version = 1;
  int64_t size = 0;
  std::string blob_id;
  std::string modifier_id;
  int64_t modified_time = 0;
};

// The extension of a file name: text after the last '.', or empty ("a.tar.gz" -> "gz",
// ".bashrc" -> "").
std::string FileExtension(const std::string& name);

// What to do when a new dentry's name is taken in its folder.
enum class ConflictStrategy {
  kAutoRename,      // Default: "name (1).ext", "name (2).ext", ...
  kOverwrite,       // Files: add a version to the existing file.
  kReturnExisting,  // Return the existing dentry, change nothing.
  kFail,            // kAlreadyExists (subject "dentry").
};

// Orders for ListDentries / ListAllDentries.
enum class DentryOrder { kModifiedTime, kCreateTime, kName, kSize };

// A page request: order, direction, size and the opaque cursor of the previous page.
struct ListQuery {
  DentryOrder order = DentryOrder::kModifiedTime;
  bool descending = true;
  int limit = 50;
  std::string cursor;  // Empty: first page.
};

// A page of dentries; `next_cursor` is empty on the last page.
struct DentryPage {
  std::vector<Dentry> dentries;
  std::string next_cursor;
};

// The position after `last` in a listing of `order`, as an opaque page token. Adapters use it
// for keyset pagination, so a page costs the same however deep it is.
std::string EncodeCursor(DentryOrder order, const Dentry& last);

// A decoded cursor: the sort key of the last entry (number or text) and its id.
struct Cursor {
  int64_t number = 0;
  std::string text;
  std::string id;
};
// kInvalidArgument (subject "nextToken") for a token not produced by EncodeCursor for `order`.
Result<Cursor> DecodeCursor(DentryOrder order, std::string_view token);

}  // namespace spacestore::domain
