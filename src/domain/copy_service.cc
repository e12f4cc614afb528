// CopyService: CopyDentry and CopyDentries.
//
// Every copy is planned and done inside one metadata transaction: the source read, the target
// folder and name resolved, the folder-into-itself walk, the quota check and charge, and the
// inserts. A big subtree is planned the same way in the request and then done by a task whose
// handler plans again (the tree may have changed in between) and copies everything in the
// task's one transaction. Copying in batches of rows across several transactions was rejected:
// a reader, or a crash, between two batches would see half a tree and a half-charged quota.
#include "domain/copy_service.h"
#include "domain/folder_paths.h"

#include <array>
#include <unordered_map>
#include <utility>

#include "domain/event_emitter.h"
#include "domain/placement.h"
#include "domain/quota.h"

namespace spacestore::domain {
namespace {

constexpr std::array<std::pair<ConflictStrategy, std::string_view>, 4> kStrategyNames = {{
    {ConflictStrategy::kAutoRename, "AUTO_RENAME"},
    {ConflictStrategy::kOverwrite, "OVERWRITE"},
    {ConflictStrategy::kReturnExisting, "RETURN_DENTRY_IF_EXISTS"},
    {ConflictStrategy::kFail, "RETURN_ERROR_IF_EXISTS"},
}};

std::string StrategyName(ConflictStrategy strategy) {
  for (const auto& [value, name] : kStrategyNames) {
    if (value == strategy) return std::string(name);
  }
  return "AUTO_RENAME";
}

Result<ConflictStrategy> StrategyOf(std::string_view name) {
  for (const auto& [value, known] : kStrategyNames) {
    if (known == name) return value;
  }
  return MakeError(Errc::kInternal, "task", "unknown conflict strategy " + std::string(name));
}

// kInvalidArgument ("targetFolderId") when `folder_id` is `root_id` or lies below it. A
// missing target is PlaceChild's to report (parentNotExist).
Result<void> CheckNotIntoItself(MetadataTransaction& tx, const std::string& space_id,
                                const std::string& root_id, const std::string& folder_id) {
  auto inside = IsInSubtree(tx.dentries(), space_id, folder_id, root_id);
  if (!inside) return inside.error();
  if (*inside) {
    return MakeError(Errc::kInvalidArgument, "targetFolderId",
                     "a folder cannot be copied into itself or its own subtree");
  }
  return {};
}

// What a copy will do, read inside its transaction.
struct Plan {
  Dentry source;
  Space target_space;
  Placement placement;  // `existing`: the clash OVERWRITE or RETURN_DENTRY_IF_EXISTS chose.
};

Result<Plan> PlanCopy(MetadataTransaction& tx, const std::string& corp_id,
                      const std::string& source_space_id, const std::string& dentry_id,
                      const CopyTarget& target) {
  auto source = LiveDentry(tx.dentries().Get(source_space_id, dentry_id), dentry_id);
  if (!source) return source.error();
  auto space = tx.spaces().Get(corp_id, target.space_id);
  if (!space) return space.error();
  if (source->is_folder() && source_space_id == target.space_id) {
    if (auto ok = CheckNotIntoItself(tx, target.space_id, source->id, target.folder_id); !ok) {
      return ok.error();
    }
  }
  auto placed = PlaceChild(tx, target.space_id, target.folder_id, source->name, target.strategy,
                           source->type);
  if (!placed) return placed.error();
  if (placed->existing && source->is_folder() && target.strategy == ConflictStrategy::kOverwrite) {
    return MakeError(
        Errc::kAlreadyExists, "dentry",
        "a folder named '" + source->name + "' already exists; OVERWRITE does not merge folders");
  }
  return Plan{std::move(*source), std::move(*space), std::move(*placed)};
}

// kQuotaExceeded unless `bytes` more fit in the space, its app and its org.
Result<void> CheckFits(MetadataTransaction& tx, const Space& space, int64_t bytes) {
  auto totals = tx.spaces().Totals(space.corp_id, space.app_id);
  if (!totals) return totals.error();
  return CheckQuota(space, *totals, bytes);
}

Result<void> Charge(MetadataTransaction& tx, const Space& space, int64_t bytes) {
  if (auto ok = CheckFits(tx, space, bytes); !ok) return ok;
  return tx.spaces().AdjustBytes(space.id, bytes, 0);
}

// OVERWRITE of a file by a file: the source's content becomes the next version of the
// existing file, charged like any new version.
Result<Dentry> OverwriteFile(MetadataTransaction& tx, const Plan& plan, const std::string& actor_id,
                             int64_t now) {
  if (auto ok = Charge(tx, plan.target_space, plan.source.size); !ok) return ok.error();
  Dentry file = *plan.placement.existing;
  file.version += 1;
  file.size = plan.source.size;
  file.blob_id = plan.source.blob_id;
  file.modifier_id = actor_id;
  file.modified_time = now;
  const DentryVersion version{file.id, file.version, file.size, file.blob_id, actor_id, now};
  if (auto ok = tx.dentries().InsertVersion(version); !ok) return ok.error();
  if (auto ok = tx.dentries().Update(file); !ok) return ok.error();
  return file;
}

// Inserts copies of `rows` (a subtree, parents first, the root first) under the plan's target
// folder, the root as `root_id` with the planned name; charges their bytes to the target.
// Returns the new root.
Result<Dentry> CopyRows(MetadataTransaction& tx, const Plan& plan, const std::string& folder_id,
                        const std::vector<Dentry>& rows, const std::string& root_id,
                        const std::string& actor_id, int64_t now) {
  int64_t bytes = 0;
  for (const auto& row : rows) {
    if (!row.is_folder()) bytes += row.size;
  }
  if (auto ok = Charge(tx, plan.target_space, bytes); !ok) return ok.error();
  // Each source folder's copy (its new id and path), for its children.
  std::unordered_map<std::string, std::pair<std::string, std::string>> copied;
  copied.reserve(rows.size());
  Dentry root;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Dentry& row = rows[i];
    std::string parent_id = folder_id;
    Placement place = plan.placement;
    if (i > 0) {
      const auto parent = copied.find(row.parent_id);
      if (parent == copied.end()) {
        return MakeError(Errc::kInternal, "dentry", "subtree row " + row.id + " before its parent");
      }
      parent_id = parent->second.first;
      place = Placement{row.name, parent->second.second + "/" + row.name, std::nullopt};
    }
    Dentry copy = NewDentry(row.type, plan.target_space.id, parent_id, place, actor_id, now);
    if (i == 0) copy.id = root_id;
    copy.size = row.is_folder() ? 0 : row.size;
    copy.blob_id = row.blob_id;
    copy.read_only = row.read_only;
    copy.app_properties = row.app_properties;
    if (auto ok = tx.dentries().Insert(copy); !ok) return ok.error();
    if (!copy.is_folder()) {
      const DentryVersion version{copy.id, 1, copy.size, copy.blob_id, actor_id, now};
      if (auto ok = tx.dentries().InsertVersion(version); !ok) return ok.error();
    } else {
      copied.emplace(row.id, std::make_pair(copy.id, copy.path));
    }
    if (i == 0) root = std::move(copy);
  }
  return root;
}

// The dentry.copied event of a copy's new root (or the overwritten file).
Result<void> EmitCopied(MetadataTransaction& tx, const Actor& actor, int64_t now,
                        const Dentry& copy, const Dentry& source) {
  EventBody body = DentryEventBody(copy);
  body.push_back({"sourceSpaceId", source.space_id});
  body.push_back({"sourceDentryId", source.id});
  return EmitEvent(tx, actor, now, kEventDentryCopied, copy.space_id, copy.id, std::move(body));
}

CopyOutcome Inline(Dentry dentry) {
  CopyOutcome out;
  out.target_space_id = dentry.space_id;
  out.target_dentry_id = dentry.id;
  out.dentry = std::move(dentry);
  return out;
}

// kPermissionDenied unless the actor may copy the dentry and copy into the target folder.
Result<void> CheckCopy(const SpaceAccess& source, const SpaceAccess& target_space,
                       std::string_view dentry_id, const CopyTarget& target) {
  if (auto ok = source.RequireOn(dentry_id, Capability::kCopyOut); !ok) return ok;
  return target_space.RequireOn(target.folder_id, Capability::kCopyIn);
}

}  // namespace

CopyService::CopyService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
                         TaskService& tasks)
    : store_(store), clock_(clock), spaces_(spaces), tasks_(tasks) {
  tasks_.Register(kCopyTaskKind,
                  [this](MetadataTransaction& tx, const Task& task) { return RunTask(tx, task); });
}

Result<CopyOutcome> CopyService::Copy(const Actor& actor, std::string_view space_id,
                                      std::string_view dentry_id, const CopyTarget& target) {
  auto source = spaces_.Open(actor, space_id);
  if (!source) return source.error();
  auto target_space = spaces_.OpenWritable(actor, target.space_id);
  if (!target_space) return target_space.error();
  if (auto ok = CheckCopy(*source, *target_space, dentry_id, target); !ok) return ok.error();
  return store_.Write([&](MetadataTransaction& tx) {
    return CopyIn(tx, actor, source->space(), target_space->space(), dentry_id, target);
  });
}

Result<std::vector<CopyItem>> CopyService::CopyMany(const Actor& actor, std::string_view space_id,
                                                    const std::vector<std::string>& dentry_ids,
                                                    const CopyTarget& target) {
  if (dentry_ids.empty() || dentry_ids.size() > kMaxCopyIds) {
    return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds must hold 1-30 ids");
  }
  auto source = spaces_.Open(actor, space_id);
  if (!source) return source.error();
  auto target_space = spaces_.OpenWritable(actor, target.space_id);
  if (!target_space) return target_space.error();
  std::vector<CopyItem> out;
  out.reserve(dentry_ids.size());
  for (const auto& id : dentry_ids) {
    if (auto ok = CheckCopy(*source, *target_space, id, target); !ok) {
      if (ok.error().code != Errc::kPermissionDenied) return ok.error();
      out.push_back(CopyItem{id, ok.error()});
      continue;
    }
    // One transaction per item: one refused copy leaves the others done.
    out.push_back(CopyItem{id, store_.Write([&](MetadataTransaction& tx) {
                             return CopyIn(tx, actor, source->space(), target_space->space(), id,
                                           target);
                           })});
  }
  return out;
}

Result<CopyOutcome> CopyService::CopyIn(MetadataTransaction& tx, const Actor& actor,
                                        const Space& source, const Space& target_space,
                                        std::string_view dentry_id, const CopyTarget& target) {
  auto plan = PlanCopy(tx, source.corp_id, source.id, std::string(dentry_id), target);
  if (!plan) return plan.error();
  const int64_t now = clock_.NowMillis();
  if (plan->placement.existing) {
    if (target.strategy == ConflictStrategy::kReturnExisting) {
      return Inline(std::move(*plan->placement.existing));
    }
    auto file = OverwriteFile(tx, *plan, actor.acting_id(), now);  // kOverwrite, file on file.
    if (!file) return file.error();
    if (auto ok = EmitCopied(tx, actor, now, *file, plan->source); !ok) return ok.error();
    return Inline(std::move(*file));
  }
  auto extent = tx.dentries().MeasureSubtree(source.id, plan->source.id);
  if (!extent) return extent.error();
  // The root's id is fixed now, so the answer can name it before the task has run.
  const std::string root_id =
      NewDentry(plan->source.type, target_space.id, target.folder_id, plan->placement, "", now).id;
  if (extent->dentries > kAsyncThreshold) {
    // Refused now if it cannot fit now; the task checks again when it runs.
    if (auto ok = CheckFits(tx, plan->target_space, extent->file_bytes); !ok) return ok.error();
    const TaskParams params = {{"sourceSpaceId", source.id},
                               {"dentryId", plan->source.id},
                               {"targetSpaceId", target_space.id},
                               {"targetFolderId", target.folder_id},
                               {"conflictStrategy", StrategyName(target.strategy)},
                               {"rootId", root_id}};
    auto task = tasks_.Submit(tx, actor, kCopyTaskKind, EncodeTaskParams(params), extent->dentries);
    if (!task) return task.error();
    CopyOutcome out;
    out.async = true;
    out.task_id = task->id;
    out.target_space_id = target_space.id;
    out.target_dentry_id = root_id;
    return out;
  }
  auto rows = tx.dentries().ListSubtree(source.id, plan->source.id);
  if (!rows) return rows.error();
  auto root = CopyRows(tx, *plan, target.folder_id, *rows, root_id, actor.acting_id(), now);
  if (!root) return root.error();
  if (auto ok = EmitCopied(tx, actor, now, *root, plan->source); !ok) return ok.error();
  return Inline(std::move(*root));
}

Result<TaskCounts> CopyService::RunTask(MetadataTransaction& tx, const Task& task) {
  auto params = DecodeTaskParams(task.params);
  if (!params) return params.error();
  std::array<std::string, 6> p;
  const std::array<std::string_view, 6> names = {
      "sourceSpaceId", "dentryId", "targetSpaceId", "targetFolderId", "conflictStrategy", "rootId"};
  for (size_t i = 0; i < names.size(); ++i) {
    auto value = TaskParam(*params, names[i]);
    if (!value) return value.error();
    p[i] = std::move(*value);
  }
  auto strategy = StrategyOf(p[4]);
  if (!strategy) return strategy.error();
  const CopyTarget target{p[2], p[3], *strategy};
  auto plan = PlanCopy(tx, task.corp_id, p[0], p[1], target);
  if (!plan) return plan.error();
  if (plan->placement.existing) {
    // The name was free when the copy was accepted and has been taken since; under AUTO_RENAME
    // PlaceChild has already found another one.
    return MakeError(Errc::kAlreadyExists, "dentry",
                     "'" + plan->placement.name + "' was created in the target meanwhile");
  }
  auto rows = tx.dentries().ListSubtree(p[0], p[1]);
  if (!rows) return rows.error();
  const int64_t now = clock_.NowMillis();
  auto root = CopyRows(tx, *plan, target.folder_id, *rows, p[5], task.actor_id, now);
  if (!root) return root.error();
  const Actor actor{task.corp_id, task.app_id, task.actor_id};
  if (auto ok = EmitCopied(tx, actor, now, *root, plan->source); !ok) return ok.error();
  const auto n = static_cast<int64_t>(rows->size());
  return TaskCounts{n, n, 0};
}

}  // namespace spacestore::domain
