#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/space_service.h"
#include "domain/task_service.h"

namespace spacestore::domain {

// The most ids one CopyDentries call takes.
inline constexpr size_t kMaxCopyIds = 30;
// The task kind of an async copy (TaskService::Register).
inline constexpr const char* kCopyTaskKind = "copy";

// Where a copy goes: a folder (kRootDentryId for the root) of a space of the caller's org,
// and what to do when the name is taken there.
struct CopyTarget {
  std::string space_id;
  std::string folder_id;
  ConflictStrategy strategy = ConflictStrategy::kAutoRename;
};

// How a copy was answered. Inline (async false): `dentry` is the new root, or the existing
// dentry RETURN_DENTRY_IF_EXISTS chose, or the file OVERWRITE gave a new version. Async: the
// copy runs as task `task_id`; `target_dentry_id` is the id its new root will have.
struct CopyOutcome {
  bool async = false;
  std::string task_id;
  std::string target_space_id;
  std::string target_dentry_id;
  std::optional<Dentry> dentry;  // Inline copies only.
};

// One CopyDentries answer: the outcome, or why this id failed.
struct CopyItem {
  std::string dentry_id;
  Result<CopyOutcome> outcome;
};

// CopyService copies files and folder trees (CopyDentry, CopyDentries), within a space or into
// another space of the same org.
//
// A copy makes new dentries (new ids and uuids, version 1 holding the source's current
// content, created by the actor now) that share the source's blobs: content is stored once but
// charged in full to the target space, whose limits (space, app, org) are checked first; a
// copy that does not fit is refused whole. App properties are copied; permission grants never
// are. A folder is never copied into itself or its own subtree. Only NORMAL dentries are
// copied (recycled ones below a folder stay behind).
//
// A subtree of at most kAsyncThreshold dentries is copied inline, in the request's one
// transaction. A bigger one is checked the same way, then submitted as a task of kind
// kCopyTaskKind in that transaction; the task re-checks everything and copies the whole tree
// in one transaction (TaskService), so a reader sees no copy or all of it, after any crash too.
//
// Errors common to both calls: those of SpaceService::GetSpace for the source space and of
// GetWritableSpace for the target (kNotFound "space" for another org's, kPermissionDenied).
// Per copy: kNotFound ("dentry") for an id that is not a NORMAL dentry of the source space
// (the root "0" included), ("parent") for a missing target folder; kInvalidArgument
// ("parentId") when the target is a file, ("targetFolderId") for a folder into its own
// subtree; kAlreadyExists ("dentry") under RETURN_ERROR_IF_EXISTS, for a file/folder clash,
// and for OVERWRITE onto a folder (folders are never merged); kQuotaExceeded.
//
// Thread-safety: safe for concurrent use. Borrows the store, clock, space and task services;
// registers its task handler with the task service on construction.
class CopyService {
 public:
  CopyService(MetadataStore& store, const Clock& clock, SpaceService& spaces, TaskService& tasks);

  // CopyDentry: copies dentry `dentry_id` of `space_id` into `target`.
  Result<CopyOutcome> Copy(const Actor& actor, std::string_view space_id,
                           std::string_view dentry_id, const CopyTarget& target);

  // CopyDentries: up to kMaxCopyIds copies into one target, each in its own transaction and
  // answered on its own, in request order. kInvalidArgument ("dentryIds") for an empty or too
  // long list; the spaces' errors fail the whole call.
  Result<std::vector<CopyItem>> CopyMany(const Actor& actor, std::string_view space_id,
                                         const std::vector<std::string>& dentry_ids,
                                         const CopyTarget& target);

 private:
  // One copy inside the request's transaction `tx`, the spaces already checked.
  Result<CopyOutcome> CopyIn(MetadataTransaction& tx, const Actor& actor, const Space& source,
                             const Space& target_space, std::string_view dentry_id,
                             const CopyTarget& target);
  // The handler of kCopyTaskKind.
  Result<TaskCounts> RunTask(MetadataTransaction& tx, const Task& task);

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
  TaskService& tasks_;
};

}  // namespace spacestore::domain
