#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/dentry.h"

namespace spacestore::domain {

// What a recycle bin gathers: every item of an org's spaces, of the spaces one app created, or
// of one space.
enum class RecycleScope { kOrg, kApp, kSpace };

// "ORG" / "APP" / "SPACE".
const char* RecycleScopeName(RecycleScope scope);
// The scope named `name`. kInvalidArgument (subject "recycleBinScope").
Result<RecycleScope> ParseRecycleScope(std::string_view name);

// A recycle bin. Bins have no rows of their own: a bin is a view over the recycle items of its
// scope, and its id encodes the scope and the scope id, so any node can resolve it.
// Plain data; thread-compatible.
struct RecycleBin {
  RecycleScope scope = RecycleScope::kSpace;
  std::string corp_id;   // The org the bin belongs to.
  std::string scope_id;  // The corpId, appId or spaceId the scope names.

  // "o", "a" or "s" followed by the scope id in lowercase hex: URL-safe whatever the scope id
  // holds, and decodable without a lookup.
  std::string id() const;
};

// The scope and scope id encoded in a bin id made by RecycleBin::id(); the org is not part of
// the id and stays empty. kNotFound (subject "recycleBin") for anything else.
Result<RecycleBin> DecodeRecycleBinId(std::string_view id);

// One deletion to the recycle bin: a file, or a folder with the NORMAL descendants it held then.
// Every dentry row it holds carries its id (the rows stay in place, status DELETED), so restore
// and purge touch exactly those rows. Plain data; thread-compatible.
struct RecycleItem {
  std::string id;
  std::string corp_id;
  std::string app_id;  // The app that created the item's space: the key of the APP bin.
  std::string space_id;
  std::string dentry_id;  // The deleted root.
  DentryType type = DentryType::kFile;
  std::string original_name;
  std::string original_parent_id;
  std::string original_path;  // "/a/b/name" at the time of deletion.
  int64_t size = 0;           // Bytes of the current versions of the files it holds.
  int64_t dentry_count = 1;   // Rows it holds, the root included.
  std::string operator_id;
  int64_t operator_time = 0;  // Epoch milliseconds.
};

// Which items a listing returns: those of one org, narrowed to one app's spaces or one space
// when set.
struct RecycleFilter {
  std::string corp_id;
  std::optional<std::string> app_id;
  std::optional<std::string> space_id;
};

// The position after an item in a listing (newest first: operator time, then id, descending).
struct RecycleCursor {
  int64_t operator_time = 0;
  std::string id;
};

}  // namespace spacestore::domain
