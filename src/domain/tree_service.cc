// TreeService: rename and move. Each operation is one metadata transaction that reads what it
// checks (the dentry, the target folder's ancestors, the name among the target's children, the
// target space's quota) and writes the result, so two concurrent moves can never build a cycle
// or a duplicate name between them. Paths are not stored (DentryRecords computes them), which
// is what makes a rename or a same-space move one row; the rejected alternative, rewriting
// every descendant's stored path, costs a write per row of the subtree.
#include "domain/tree_service.h"
#include "domain/folder_paths.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include "domain/dentry_service.h"
#include "domain/event_emitter.h"
#include "domain/name_rules.h"
#include "domain/permission_service.h"
#include "domain/placement.h"
#include "domain/quota.h"

namespace spacestore::domain {
namespace {

// A move done inline.
MoveOutcome Done(Dentry d) { return MoveOutcome{std::move(d), false, std::string()}; }

Result<void> RefuseRoot(std::string_view dentry_id, std::string_view what) {
  if (dentry_id != kRootDentryId) return {};
  return MakeError(Errc::kInvalidArgument, "dentryId",
                   "the root folder cannot be " + std::string(what));
}

// Checks that the target space can take `bytes` more, counting that they leave `source` (same
// org, so the org's total does not change; the same app, so the app's does not either).
Result<void> CheckMovedBytes(MetadataTransaction& tx, const Space& source, const Space& target,
                             int64_t bytes) {
  auto now = tx.spaces().Get(target.corp_id, target.id);
  if (!now) return now.error();
  auto totals = tx.spaces().Totals(now->corp_id, now->app_id);
  if (!totals) return totals.error();
  totals->org_used -= bytes;
  if (source.app_id == now->app_id) totals->app_used -= bytes;
  return CheckQuota(*now, *totals, bytes);
}

// The strategies as task parameters.
std::string StrategyName(ConflictStrategy s) {
  switch (s) {
    case ConflictStrategy::kAutoRename:
      return "AUTO_RENAME";
    case ConflictStrategy::kOverwrite:
      return "OVERWRITE";
    case ConflictStrategy::kReturnExisting:
      return "RETURN_DENTRY_IF_EXISTS";
    case ConflictStrategy::kFail:
      return "RETURN_ERROR_IF_EXISTS";
  }
  return "AUTO_RENAME";
}

ConflictStrategy StrategyOf(std::string_view name) {
  if (name == "OVERWRITE") return ConflictStrategy::kOverwrite;
  if (name == "RETURN_DENTRY_IF_EXISTS") return ConflictStrategy::kReturnExisting;
  if (name == "RETURN_ERROR_IF_EXISTS") return ConflictStrategy::kFail;
  return ConflictStrategy::kAutoRename;
}

// After a move of those grants' dentries (read before it) into `target_space_id`.
Result<void> SettleGrants(MetadataTransaction& tx, const std::vector<Grant>& grants,
                          std::string_view target_space_id, const GrantCarry& carry) {
  for (const Grant& g : grants) {
    const bool same_space = g.space_id == target_space_id;
    if (same_space && !carry.drop) continue;
    auto removed =
        tx.permissions().RemoveGrant(g.space_id, g.dentry_id, g.member_type, g.member_id);
    if (!removed) return removed.error();
    if (same_space || g.role > carry.carry_ceiling ||
        g.expire_time.has_value() != carry.carry_temporary) {
      continue;
    }
    Grant moved = g;
    moved.space_id = std::string(target_space_id);
    if (auto put = tx.permissions().PutGrant(moved); !put) return put;
  }
  return {};
}

// A GrantCarry as task parameters, and back (absent in a task submitted before grants
// existed: nothing is carried).
TaskParams CarryParams(const GrantCarry& carry) {
  return {{"dropGrants", carry.drop ? "1" : "0"},
          {"carryCeiling", RoleName(carry.carry_ceiling)},
          {"carryTemporary", carry.carry_temporary ? "1" : "0"}};
}
GrantCarry CarryOf(const TaskParams& params) {
  GrantCarry carry;
  auto drop = TaskParam(params, "dropGrants");
  auto ceiling = TaskParam(params, "carryCeiling");
  auto temporary = TaskParam(params, "carryTemporary");
  carry.drop = drop && *drop == "1";
  if (ceiling) carry.carry_ceiling = ParseRole(*ceiling).value_or(Role::kNone);
  carry.carry_temporary = temporary && *temporary == "1";
  return carry;
}

}  // namespace

TreeService::TreeService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
                         TaskService& tasks)
    : store_(store), clock_(clock), spaces_(spaces), tasks_(tasks) {
  tasks_.Register(kMoveTaskKind, [this](MetadataTransaction& tx, const Task& task) {
    return RunMoveTask(tx, task);
  });
}

Result<TaskCounts> TreeService::RunMoveTask(MetadataTransaction& tx, const Task& task) {
  auto params = DecodeTaskParams(task.params);
  if (!params) return params.error();
  constexpr std::array<const char*, 5> kNames = {"spaceId", "dentryId", "targetSpaceId",
                                                 "targetFolderId", "conflictStrategy"};
  std::array<std::string, 5> values;
  for (size_t i = 0; i < kNames.size(); ++i) {
    auto v = TaskParam(*params, kNames[i]);
    if (!v) return v.error();
    values[i] = std::move(*v);
  }
  // The spaces as they are now; the tree is checked again by MoveIn, as if the request came
  // now (it may have changed since it was answered).
  auto source = tx.spaces().Get(task.corp_id, values[0]);
  if (!source) return source.error();
  auto target_space = tx.spaces().Get(task.corp_id, values[2]);
  if (!target_space) return target_space.error();
  MoveTarget target;
  target.space_id = values[2];
  target.folder_id = values[3];
  target.strategy = StrategyOf(values[4]);
  const Actor actor{task.corp_id, task.app_id, task.actor_id};
  auto moved =
      MoveIn(tx, actor, *source, *target_space, values[1], target, CarryOf(*params), false);
  if (!moved) return moved.error();
  return TaskCounts{task.counts.total, task.counts.total, 0};
}

Result<Dentry> TreeService::Rename(const Actor& actor, std::string_view space_id,
                                   std::string_view dentry_id, std::string_view new_name) {
  auto name = NormalizeName(new_name, "name", kMaxDentryNameChars);
  if (!name) return name.error();
  if (auto ok = RefuseRoot(dentry_id, "renamed"); !ok) return ok.error();
  auto access = spaces_.OpenWritable(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kRename); !ok) return ok.error();
  const Space* space = &access->space();
  return store_.Write([&](MetadataTransaction& tx) -> Result<Dentry> {
    auto d = LiveDentry(tx.dentries().Get(space->id, dentry_id), dentry_id);
    if (!d || d->name == *name) return d;
    auto clash = tx.dentries().FindChild(space->id, d->parent_id, *name);
    if (!clash) return clash.error();
    if (*clash) {
      return MakeError(Errc::kAlreadyExists, "dentry",
                       "a file or folder named '" + *name + "' already exists");
    }
    std::string old_name = std::exchange(d->name, std::move(*name));
    d->modifier_id = actor.acting_id();
    d->modified_time = clock_.NowMillis();
    if (auto ok = tx.dentries().Update(*d); !ok) return ok.error();
    if (auto ok = EmitEvent(tx, actor, d->modified_time, kEventDentryRenamed, d->space_id, d->id,
                            With(DentryEventBody(*d), "oldName", std::move(old_name)));
        !ok) {
      return ok.error();
    }
    return tx.dentries().Get(space->id, d->id);  // With its new path.
  });
}

Result<MoveOutcome> TreeService::MoveIn(MetadataTransaction& tx, const Actor& actor,
                                        const Space& source, const Space& target_space,
                                        std::string_view dentry_id, const MoveTarget& target,
                                        const GrantCarry& carry, bool may_defer) {
  if (auto ok = RefuseRoot(dentry_id, "moved"); !ok) return ok.error();
  auto d = LiveDentry(tx.dentries().Get(source.id, dentry_id), dentry_id);
  if (!d) return d.error();
  const bool same_space = source.id == target_space.id;
  if (same_space && d->is_folder()) {
    auto inside = IsInSubtree(tx.dentries(), source.id, target.folder_id, d->id);
    if (!inside) return inside.error();
    if (*inside) {
      return MakeError(Errc::kInvalidArgument, "targetFolderId",
                       "a folder cannot be moved into itself or its own subtree");
    }
  }
  if (same_space && target.folder_id == d->parent_id) {
    // Already there (PlaceChild would otherwise see the dentry clash with itself).
    return Done(std::move(*d));
  }
  // A move never destroys another dentry: OVERWRITE places like AUTO_RENAME.
  const ConflictStrategy strategy = target.strategy == ConflictStrategy::kOverwrite
                                        ? ConflictStrategy::kAutoRename
                                        : target.strategy;
  auto placed = PlaceChild(tx, target_space.id, target.folder_id, d->name, strategy, d->type);
  if (!placed) return placed.error();
  if (placed->existing) return Done(std::move(*placed->existing));
  auto grants = GrantsUnder(tx, source.id, d->id);
  if (!grants) return grants.error();

  if (!same_space) {
    auto subtree = tx.dentries().MeasureSubtree(source.id, d->id);
    if (!subtree) return subtree.error();
    if (auto ok = CheckMovedBytes(tx, source, target_space, subtree->version_bytes); !ok) {
      return ok.error();
    }
    if (may_defer && subtree->dentries > kAsyncThreshold) {
      TaskParams params = CarryParams(carry);
      params.merge(TaskParams{{"spaceId", source.id},
                              {"dentryId", d->id},
                              {"targetSpaceId", target_space.id},
                              {"targetFolderId", target.folder_id},
                              {"conflictStrategy", StrategyName(strategy)}});
      auto task =
          tasks_.Submit(tx, actor, kMoveTaskKind, EncodeTaskParams(params), subtree->dentries);
      if (!task) return task.error();
      return MoveOutcome{std::move(*d), true, task->id};
    }
    auto moved =
        tx.dentries().Rehome(source.id, d->id, target_space.id, target.folder_id, placed->name);
    if (!moved) return moved.error();
    if (subtree->version_bytes != 0) {
      if (auto ok = tx.spaces().AdjustBytes(source.id, -subtree->version_bytes, 0); !ok)
        return ok.error();
      if (auto ok = tx.spaces().AdjustBytes(target_space.id, subtree->version_bytes, 0); !ok) {
        return ok.error();
      }
    }
    d->space_id = target_space.id;
  }
  // What the receiver of the event needs to find where the dentry was.
  EventBody was{{"oldSpaceId", source.id}, {"oldParentId", d->parent_id}, {"oldName", d->name}};
  d->parent_id = target.folder_id;
  d->name = std::move(placed->name);
  d->modifier_id = actor.acting_id();
  d->modified_time = clock_.NowMillis();
  if (auto ok = tx.dentries().Update(*d); !ok) return ok.error();
  if (auto ok = SettleGrants(tx, *grants, target_space.id, carry); !ok) {
    return ok.error();
  }
  EventBody body = DentryEventBody(*d);
  std::move(was.begin(), was.end(), std::back_inserter(body));
  if (auto ok = EmitEvent(tx, actor, d->modified_time, kEventDentryMoved, d->space_id, d->id,
                          std::move(body));
      !ok) {
    return ok.error();
  }
  auto now = tx.dentries().Get(d->space_id, d->id);  // With its new path.
  if (!now) return now.error();
  return Done(std::move(*now));
}

Result<TreeService::MoveSpaces> TreeService::OpenSpaces(const Actor& actor,
                                                        std::string_view space_id,
                                                        const MoveTarget& target) {
  auto source = spaces_.OpenWritable(actor, space_id);
  if (!source) return source.error();
  if (target.space_id == source->space().id) return MoveSpaces{*source, *source};
  auto target_space = spaces_.OpenWritable(actor, target.space_id);
  if (!target_space) return target_space.error();
  return MoveSpaces{std::move(*source), std::move(*target_space)};
}

Result<GrantCarry> TreeService::CheckMove(const Actor& actor, const MoveSpaces& spaces,
                                          std::string_view dentry_id, const MoveTarget& target) {
  if (auto ok = spaces.source.RequireOn(dentry_id, Capability::kMove); !ok) return ok.error();
  if (auto ok = spaces.target.RequireOn(target.folder_id, Capability::kCopyIn); !ok) {
    return ok.error();
  }
  // Grants go or stay only as the mover could revoke or make them (docs/permissions.md).
  GrantCarry carry;
  const Space& to = spaces.target.space();
  if (spaces.source.space().id == to.id) {
    auto own = spaces.source.RoleOnId(dentry_id);
    if (!own) return own.error();
    carry.drop =
        !target.preserve_permissions && *own >= MinimumRole(Capability::kManagePermissions);
    return carry;
  }
  if (!target.preserve_permissions) return carry;
  if (to.owner_type == OwnerType::kApp) {
    if (to.app_id == actor.app_id) carry.carry_ceiling = Role::kManager;
    carry.carry_temporary = true;
    return carry;
  }
  auto own = spaces.target.RoleOnId(target.folder_id);
  if (!own) return own.error();
  if (*own >= MinimumRole(Capability::kManagePermissions)) {
    carry.carry_ceiling = std::min(*own, Role::kManager);
  }
  return carry;
}

Result<MoveOutcome> TreeService::Move(const Actor& actor, std::string_view space_id,
                                      std::string_view dentry_id, const MoveTarget& target) {
  if (auto ok = RefuseRoot(dentry_id, "moved"); !ok) return ok.error();
  auto spaces = OpenSpaces(actor, space_id, target);
  if (!spaces) return spaces.error();
  auto carry = CheckMove(actor, *spaces, dentry_id, target);
  if (!carry) return carry.error();
  return store_.Write([&](MetadataTransaction& tx) {
    return MoveIn(tx, actor, spaces->source.space(), spaces->target.space(), dentry_id, target,
                  *carry, true);
  });
}

Result<std::vector<MoveItem>> TreeService::MoveMany(const Actor& actor, std::string_view space_id,
                                                    const std::vector<std::string>& dentry_ids,
                                                    const MoveTarget& target) {
  if (dentry_ids.empty() || dentry_ids.size() > kMaxMoveIds) {
    return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds must hold 1-30 ids");
  }
  auto spaces = OpenSpaces(actor, space_id, target);
  if (!spaces) return spaces.error();
  std::vector<MoveItem> out;
  out.reserve(dentry_ids.size());
  for (const std::string& id : dentry_ids) {
    auto carry = CheckMove(actor, *spaces, id, target);
    if (!carry) {
      if (carry.error().code != Errc::kPermissionDenied) return carry.error();
      out.push_back(MoveItem{id, carry.error()});
      continue;
    }
    out.push_back(MoveItem{id, store_.Write([&](MetadataTransaction& tx) {
                             return MoveIn(tx, actor, spaces->source.space(),
                                           spaces->target.space(), id, target, *carry, true);
                           })});
  }
  return out;
}

}  // namespace spacestore::domain
