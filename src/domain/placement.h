#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/dentry.h"
#include "domain/metadata_store.h"

namespace spacestore::domain {

// Where a new dentry goes: its final name and path, or the existing sibling the conflict
// strategy chose to return or overwrite.
struct Placement {
  std::string name;
  std::string path;
  std::optional<Dentry> existing;
};

// Checks that `parent_id` is a NORMAL folder of the space (or the root) and resolves `name`
// among its children under `strategy`, inside transaction `tx` so the answer still holds when
// the caller inserts. `type` is what the caller creates: OVERWRITE only replaces a file by a
// file; a folder and a file of the same name are never merged.
// Errors: kNotFound (subject "parent"); kInvalidArgument (subject "parentId") when the parent is
// a file; kAlreadyExists (subject "dentry") under kFail, or when the clash cannot be resolved.
Result<Placement> PlaceChild(MetadataTransaction& tx, const std::string& space_id,
                             const std::string& parent_id, const std::string& name,
                             ConflictStrategy strategy, DentryType type);

// A looked-up dentry that must be live (NORMAL): kNotFound (subject "dentry") when it is
// missing or deleted; other lookup errors pass through.
Result<Dentry> LiveDentry(Result<Dentry> lookup, std::string_view id);

// A looked-up dentry that must be a live folder to put things in: kNotFound (subject "parent")
// when missing or deleted, kInvalidArgument (subject "parentId") when it is a file.
Result<Dentry> LiveFolder(Result<Dentry> lookup, std::string_view id);

// A new NORMAL dentry of `type` at `placement` under `parent_id` of `space_id`, with fresh ids
// (a 12-digit id like DingTalk's, and a uuid), created and last modified by `acting_id` at `now`.
Dentry NewDentry(DentryType type, const std::string& space_id, const std::string& parent_id,
                 const Placement& placement, const std::string& acting_id, int64_t now);

// The n-th automatic rename of `name`: "report (n).txt", "folder (n)".
std::string AutoRenamed(const std::string& name, int n, bool is_folder);

}  // namespace spacestore::domain
