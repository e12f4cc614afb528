#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/permission_service.h"
#include "domain/space_service.h"
#include "domain/task.h"
#include "domain/task_service.h"

namespace spacestore::domain {

// The most ids one MoveDentries call takes.
inline constexpr size_t kMaxMoveIds = 30;
// The task kind of a large move across spaces.
inline constexpr const char* kMoveTaskKind = "move";

// Where MoveDentry and MoveDentries put dentries.
struct MoveTarget {
  std::string space_id;   // The same org as the source; may be the source space.
  std::string folder_id;  // kRootDentryId for the target space's root.
  // On a name taken in the target folder: kAutoRename (default) and kOverwrite give the moved
  // dentry the next free "name (n)" (a move never destroys another dentry); kReturnExisting
  // moves nothing and answers the existing dentry of the same type; kFail is kAlreadyExists.
  ConflictStrategy strategy = ConflictStrategy::kAutoRename;
  // Whether the grants on the moved dentry and below it move with it (else they are removed),
  // as far as the mover may revoke or make them (GrantCarry).
  bool preserve_permissions = false;
};

// What a move did: the dentry where it now is (or the existing one kReturnExisting chose).
struct MoveOutcome {
  Dentry dentry;
  bool async = false;   // A move across spaces of more than kAsyncThreshold dentries.
  std::string task_id;  // Set when async; `dentry` is then the dentry where it was.
};

// One MoveDentries item: the moved dentry, or why this id failed.
struct MoveItem {
  std::string dentry_id;
  Result<MoveOutcome> outcome;
};

// TreeService renames and moves dentries (RenameDentry, MoveDentry, MoveDentries).
//
// Paths are computed on read (DentryRecords), so a rename or a move within a space rewrites
// one row whatever the size of the subtree, and every descendant reports its new path as soon
// as the call returns. A move to another space of the same org re-homes the subtree's NORMAL
// rows and moves their stored bytes from the source space's usedQuota to the target's, the
// target's limits checked first, all in one transaction. Such a move of more than
// kAsyncThreshold dentries runs as a task of kind kMoveTaskKind: the request checks it and
// submits the task in one transaction, and the task does the whole move again, checks included,
// in the one transaction that also marks it done.
//
// Rules, each checked inside the operation's transaction: the root ("0") is never renamed or
// moved; a folder never goes into itself or its own subtree (the target's ancestors are
// walked); a name stays unique among a folder's NORMAL children; a dentry of another space or
// org is reported exactly like a missing one (kNotFound "dentry").
//
// Errors common to every method: those of SpaceService::GetWritableSpace (kNotFound "space",
// kPermissionDenied) for the source space and, for moves, the target space.
// Thread-safety: safe for concurrent use. Borrows the store, clock, space service and task
// service (where the constructor registers the move task's handler).
class TreeService {
 public:
  TreeService(MetadataStore& store, const Clock& clock, SpaceService& spaces, TaskService& tasks);

  // Gives dentry `dentry_id` the name `new_name` (normalized as every name). Renaming to the
  // current name changes nothing. kInvalidArgument ("name") for a bad name, ("dentryId") for
  // the root; kNotFound ("dentry"); kAlreadyExists ("dentry") when a NORMAL sibling has it.
  Result<Dentry> Rename(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                        std::string_view new_name);

  // Moves dentry `dentry_id` (with everything below it) into `target`. Moving a dentry into
  // the folder it is in changes nothing. kInvalidArgument ("dentryId") for the root,
  // ("targetFolderId") for a folder into itself or its subtree, ("parentId") when the target
  // is a file; kNotFound ("dentry", "parent"); kAlreadyExists ("dentry") under kFail or for a
  // clash of a file and a folder; kQuotaExceeded ("space", "app") across spaces.
  Result<MoveOutcome> Move(const Actor& actor, std::string_view space_id,
                           std::string_view dentry_id, const MoveTarget& target);

  // Up to kMaxMoveIds moves into one target, each in its own transaction and answered on its
  // own, in request order. kInvalidArgument ("dentryIds") for an empty or too long list; the
  // spaces' errors fail the whole call.
  Result<std::vector<MoveItem>> MoveMany(const Actor& actor, std::string_view space_id,
                                         const std::vector<std::string>& dentry_ids,
                                         const MoveTarget& target);

 private:
  // The source and target spaces of a move with the actor's access to each.
  struct MoveSpaces {
    SpaceAccess source;
    SpaceAccess target;
  };
  Result<MoveSpaces> OpenSpaces(const Actor& actor, std::string_view space_id,
                                const MoveTarget& target);
  // kPermissionDenied unless the actor may move the dentry and move into the target folder;
  // what the move then does with the grants below the dentry.
  static Result<GrantCarry> CheckMove(const Actor& actor, const MoveSpaces& spaces,
                                      std::string_view dentry_id, const MoveTarget& target);
  // One move inside `tx`, the spaces already checked. With `may_defer`, a large move across
  // spaces is submitted as a task instead of done.
  Result<MoveOutcome> MoveIn(MetadataTransaction& tx, const Actor& actor, const Space& source,
                             const Space& target_space, std::string_view dentry_id,
                             const MoveTarget& target, const GrantCarry& carry, bool may_defer);
  // The move task's handler: the whole move, inside the runner's transaction.
  Result<TaskCounts> RunMoveTask(MetadataTransaction& tx, const Task& task);

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
  TaskService& tasks_;
};

}  // namespace spacestore::domain
