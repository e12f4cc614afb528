#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/dentry.h"

namespace spacestore::domain {

// One page of a listing as a backend reads it: at most `limit` rows in `order` (ties broken by
// id), starting after the decoded cursor `after` if there is one. The domain decodes and
// encodes the opaque page tokens (dentry.h), so a backend never sees them.
struct PageRange {
  DentryOrder order = DentryOrder::kModifiedTime;
  bool descending = true;
  int limit = 50;
  std::optional<Cursor> after;
};

// Totals of a dentry and its NORMAL descendants reached through NORMAL folders
// (DentryRecords::MeasureSubtree): what a copy, a move, a deletion or a purge covers.
struct SubtreeTotals {
  int64_t dentries = 0;       // The root included.
  int64_t file_bytes = 0;     // Sizes of the files' current versions: what a copy charges.
  int64_t version_bytes = 0;  // Every stored version: what the space's quota counts.
};

// One folder of a chain of ancestors (DentryRecords::Ancestry).
struct AncestorLink {
  std::string id;
  std::string parent_id;
  std::string name;
};

// The deepest folder chain a path is computed through. Deeper chains (only a corrupt store
// can have a cycle) end there.
inline constexpr int kMaxFolderDepth = 4096;

// DentryRecords is the dentry aggregate of the metadata port: the files and folders of spaces
// and the stored versions of files, as seen inside one metadata transaction. Reads see the
// transaction's own writes. Every write of a dentry moves its space's dentry generation in the
// same transaction (see Space::dentry_generation).
//
// Paths are computed, not stored: every read that returns a Dentry (Get, GetMany, FindChild,
// ListChildren, ListAll) fills `path` from the parent chain ("/a/b/name"), with one ancestor
// walk per distinct parent of the call (domain/folder_paths.h). Writes ignore `path`, so a
// rename or move rewrites one row whatever the size of the subtree below it.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class DentryRecords {
 public:
  virtual ~DentryRecords() = default;

  // A dentry of the space in any status. kNotFound (subject "dentry").
  virtual Result<Dentry> Get(std::string_view space_id, std::string_view dentry_id) = 0;
  // The NORMAL dentries among `ids` that belong to the space, in no particular order. A backend
  // may read more than kMaxBatchIds ids in several statements.
  virtual Result<std::vector<Dentry>> GetMany(std::string_view space_id,
                                              const std::vector<std::string>& ids) = 0;
  // The NORMAL child of `parent_id` named `name`, if any.
  virtual Result<std::optional<Dentry>> FindChild(std::string_view space_id,
                                                  std::string_view parent_id,
                                                  std::string_view name) = 0;
  // Inserts a dentry (with its app properties). kAlreadyExists (subject "dentry") if a NORMAL
  // sibling has the same name or the id is taken; kNotFound (subject "space").
  virtual Result<void> Insert(const Dentry& dentry) = 0;
  // Rewrites the mutable fields of dentry `dentry.id` (parent, name, size, version, status,
  // modifier, modified time, read-only, blob, app properties). kNotFound (subject "dentry");
  // kAlreadyExists (subject "dentry") if a NORMAL sibling has the new name.
  virtual Result<void> Update(const Dentry& dentry) = 0;

  // The folder `folder_id` of the space and its ancestors, nearest first, whatever their status:
  // the chain ends with a top-level folder (parent_id kRootDentryId), or earlier when an
  // ancestor is missing, or after kMaxFolderDepth links. Empty when `folder_id` is not a dentry
  // of the space. One query, over the unique id index, however deep the folder.
  virtual Result<std::vector<AncestorLink>> Ancestry(std::string_view space_id,
                                                     std::string_view folder_id) = 0;
  // Moves dentry `root_id` of `space_id` to `target_space_id` as child `name` of
  // `target_parent_id`, and its NORMAL descendants with it (they keep their parents); their
  // versions follow their rows. Descendants in another status stay in `space_id`. Returns how
  // many rows moved. kNotFound (subject "dentry"); kAlreadyExists (subject "dentry") if a
  // NORMAL child of the target has the name.
  virtual Result<int64_t> Rehome(std::string_view space_id, std::string_view root_id,
                                 std::string_view target_space_id,
                                 std::string_view target_parent_id, std::string_view name) = 0;

  // A page of the NORMAL children of `parent_id`.
  virtual Result<std::vector<Dentry>> ListChildren(std::string_view space_id,
                                                   std::string_view parent_id,
                                                   const PageRange& range) = 0;
  // A page of every NORMAL dentry of the space; `range.order` is always kModifiedTime.
  virtual Result<std::vector<Dentry>> ListAll(std::string_view space_id,
                                              const PageRange& range) = 0;

  // Records a stored version of a file. kAlreadyExists (subject "version").
  virtual Result<void> InsertVersion(const DentryVersion& version) = 0;
  // One version of a file. kNotFound (subject "version").
  virtual Result<DentryVersion> GetVersion(std::string_view dentry_id, int64_t version) = 0;
  // The versions of a file, newest first.
  virtual Result<std::vector<DentryVersion>> ListVersions(std::string_view dentry_id) = 0;
  // A page of the versions of a file, newest first: at most `limit`, only those numbered below
  // `before` when it is given (keyset pagination: a page costs the same however deep it is).
  virtual Result<std::vector<DentryVersion>> ListVersionsPage(std::string_view dentry_id,
                                                              std::optional<int64_t> before,
                                                              int limit) = 0;
  // Sum of the sizes of every stored version in the space, for checks that usedQuota is true.
  virtual Result<int64_t> SumVersionBytes(std::string_view space_id) = 0;
  // Whether any stored version refers to blob `blob_id`.
  virtual Result<bool> IsBlobReferenced(std::string_view blob_id) = 0;
  // Up to `limit` stored versions of the files of the space, whatever the files' status, by
  // (dentry id, version), starting after (`after_dentry_id`, `after_version`); an empty
  // `after_dentry_id` starts at the beginning. For whole-store walks (fsck, backup).
  virtual Result<std::vector<DentryVersion>> ListSpaceVersions(std::string_view space_id,
                                                               std::string_view after_dentry_id,
                                                               int64_t after_version,
                                                               int limit) = 0;

  // ---- Subtrees (copies) ----

  // The dentry `root_id` of the space and every NORMAL dentry below it through NORMAL folders,
  // parents before their children (the root first); empty when the root is not a NORMAL dentry
  // of the space. Every row is read: callers bound the size first (MeasureSubtree). `path`
  // of the rows is not filled.
  virtual Result<std::vector<Dentry>> ListSubtree(std::string_view space_id,
                                                  std::string_view root_id) = 0;
  // How many dentries ListSubtree would return and their bytes, without reading the rows out.
  // All zero when the root is not a NORMAL dentry of the space.
  virtual Result<SubtreeTotals> MeasureSubtree(std::string_view space_id,
                                               std::string_view root_id) = 0;
};

}  // namespace spacestore::domain
