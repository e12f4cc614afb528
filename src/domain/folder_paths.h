#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"
#include "domain/dentry.h"
#include "domain/dentry_records.h"

namespace spacestore::domain {

// FolderPaths computes dentries' paths ("/a/b/name") from their parent chains for one read:
// the metadata backends call it on every dentry a read returns (DentryRecords), so a path is
// never stored and a rename or move of a folder changes one row. The folders' paths are
// remembered for the life of the object, so a page of siblings costs one ancestor walk
// (DentryRecords::Ancestry, one query) and a batch one walk per distinct parent.
//
// A missing ancestor ends the chain: the path then starts at the highest folder found.
// Thread-safety: confined to the transaction's thread. Borrows `records` (the adapter that
// owns this object); use it within one read, since a later write would make it stale.
class FolderPaths {
 public:
  FolderPaths(DentryRecords& records, std::string_view space_id)
      : records_(records), space_id_(space_id) {}

  // Sets `d.path`; `d` must be a dentry of the space.
  Result<void> Fill(Dentry& d);
  Result<void> Fill(std::span<Dentry> dentries);
  // The path of folder `folder_id` ("" for the root).
  Result<std::string> Of(std::string_view folder_id);

 private:
  DentryRecords& records_;
  std::string space_id_;
  std::unordered_map<std::string, std::string> folders_;  // Folder id -> its path.
};

// Whether folder `folder_id` of the space is `dentry_id` or lies below it (one Ancestry query);
// false for the root and for a folder the space does not have. For refusing a move or copy of
// a folder into its own subtree.
Result<bool> IsInSubtree(DentryRecords& records, std::string_view space_id,
                         std::string_view folder_id, std::string_view dentry_id);

}  // namespace spacestore::domain
