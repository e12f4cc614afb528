// RecycleService: deletion and the recycle bins. A deletion to the recycle bin does not move
// rows: it marks the subtree DELETED and names the recycle item on each row, so restore and
// purge are one bulk write each over exactly that item's rows (RecycleRecords), whatever the
// tree's size. Copying the rows into a separate bin table was rejected: it doubles the writes
// and makes restore re-insert every row.
#include "domain/recycle_service.h"

#include "domain/permission_service.h"

#include <algorithm>
#include <charconv>

#include "base/ids.h"
#include "domain/event_emitter.h"
#include "domain/placement.h"

namespace spacestore::domain {
namespace {

constexpr size_t kRecycleItemIdDigits = 16;
constexpr const char* kDeleteTask = "delete";
constexpr const char* kRestoreTask = "restore";
constexpr const char* kPurgeTask = "purge";

Error NoSuchItem(std::string_view id) {
  return MakeError(Errc::kNotFound, "recycleItem",
                   "recycle item " + std::string(id) + " not found");
}

Error NoSuchBin(std::string_view id) {
  return MakeError(Errc::kNotFound, "recycleBin", "recycle bin " + std::string(id) + " not found");
}

// The folder names of `path` before its last component: "/a/b/c" -> {"a", "b"}.
std::vector<std::string> FolderNames(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    const size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) break;
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string EncodeToken(const RecycleItem& last) {
  return std::to_string(last.operator_time) + "_" + last.id;
}

Result<std::optional<RecycleCursor>> DecodeToken(std::string_view token) {
  if (token.empty()) return std::optional<RecycleCursor>();
  const Error bad = MakeError(Errc::kInvalidArgument, "nextToken", "nextToken is not valid");
  const size_t sep = token.find('_');
  if (sep == std::string_view::npos || sep + 1 >= token.size()) return bad;
  RecycleCursor c;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + sep, c.operator_time);
  if (ec != std::errc() || end != token.data() + sep) return bad;
  c.id = std::string(token.substr(sep + 1));
  return std::optional<RecycleCursor>(std::move(c));
}

// Who submitted a task, as the actor its handler runs for (only the acting id is used).
Actor TaskActor(const Task& task) {
  return Actor{task.corp_id, task.app_id, task.actor_id == task.app_id ? "" : task.actor_id};
}

// ConflictStrategy as a task parameter, and back.
std::string StrategyText(ConflictStrategy s) { return std::to_string(static_cast<int>(s)); }
ConflictStrategy StrategyOf(const std::string& text) {
  const int n = text.empty() ? 0 : text.front() - '0';
  return n >= 0 && n <= 3 ? static_cast<ConflictStrategy>(n) : ConflictStrategy::kAutoRename;
}

std::string Join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool InBin(const RecycleBin& bin, const RecycleItem& item) {
  switch (bin.scope) {
    case RecycleScope::kOrg:
      return true;
    case RecycleScope::kApp:
      return item.app_id == bin.scope_id;
    case RecycleScope::kSpace:
      return item.space_id == bin.scope_id;
  }
  return false;
}

}  // namespace

RecycleFilter FilterOf(const RecycleBin& bin) {
  RecycleFilter f{bin.corp_id, std::nullopt, std::nullopt};
  if (bin.scope == RecycleScope::kApp) f.app_id = bin.scope_id;
  if (bin.scope == RecycleScope::kSpace) f.space_id = bin.scope_id;
  return f;
}

RecycleService::RecycleService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
                               TaskService& tasks)
    : store_(store), clock_(clock), spaces_(spaces), tasks_(tasks) {
  tasks_.Register(kDeleteTask, [this](MetadataTransaction& tx, const Task& task) {
    return RunDeleteTask(tx, task);
  });
  tasks_.Register(kRestoreTask, [this](MetadataTransaction& tx, const Task& task) {
    return RunRestoreTask(tx, task);
  });
  tasks_.Register(kPurgeTask, [this](MetadataTransaction& tx, const Task& task) {
    return RunPurgeTask(tx, task);
  });
}

// ---- Deletion ----

Result<void> RecycleService::RecycleIn(MetadataTransaction& tx, const Actor& actor,
                                       const Space& space, const Dentry& d) {
  auto totals = tx.dentries().MeasureSubtree(space.id, d.id);
  if (!totals) return totals.error();
  RecycleItem item;
  item.id = RandomDigitsId(kRecycleItemIdDigits);
  item.corp_id = space.corp_id;
  item.app_id = space.app_id;
  item.space_id = space.id;
  item.dentry_id = d.id;
  item.type = d.type;
  item.original_name = d.name;
  item.original_parent_id = d.parent_id;
  item.original_path = d.path;  // Filled from the parent chain by the read that found `d`.
  item.size = totals->file_bytes;
  item.dentry_count = totals->dentries;
  item.operator_id = actor.acting_id();
  item.operator_time = clock_.NowMillis();
  if (auto ok = tx.recycle().Insert(item); !ok) return ok;
  auto marked = tx.recycle().RecycleSubtree(space.id, d.id, item.id);
  if (!marked) return marked.error();
  EventBody body = DentryEventBody(d);
  body.push_back({"toRecycleBin", true});
  body.push_back({"recycleItemId", item.id});
  return EmitEvent(tx, actor, item.operator_time, kEventDentryDeleted, space.id, d.id,
                   std::move(body));
}

Result<void> RecycleService::DeleteIn(MetadataTransaction& tx, const Actor& actor,
                                      const Space& space, std::string_view dentry_id,
                                      bool to_recycle_bin) {
  auto d = LiveDentry(tx.dentries().Get(space.id, dentry_id), dentry_id);
  if (!d) return d.error();
  if (to_recycle_bin) return RecycleIn(tx, actor, space, *d);  // Grants wait in the bin too.
  if (auto ok = DropGrantsUnder(tx, space.id, d->id); !ok) return ok;
  auto bytes = tx.recycle().PurgeSubtree(space.id, d->id);
  if (!bytes) return bytes.error();
  if (auto ok = tx.spaces().AdjustBytes(space.id, -*bytes, 0); !ok) return ok;
  return EmitEvent(tx, actor, clock_.NowMillis(), kEventDentryDeleted, space.id, d->id,
                   With(DentryEventBody(*d), "toRecycleBin", false));
}

Result<OperationOutcome> RecycleService::DeleteDentry(const Actor& actor, std::string_view space_id,
                                                      std::string_view dentry_id,
                                                      bool to_recycle_bin) {
  if (dentry_id == kRootDentryId) {
    return MakeError(Errc::kInvalidArgument, "dentryId", "the root folder cannot be deleted");
  }
  auto access = spaces_.OpenWritable(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kDelete); !ok) return ok.error();
  const Space* space = &access->space();
  OperationOutcome out;
  auto r = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    out = OperationOutcome{};  // A retried transaction (PostgreSQL) starts from a clean answer.
    auto d = LiveDentry(tx.dentries().Get(space->id, dentry_id), dentry_id);
    if (!d) return d.error();
    auto size = tx.dentries().MeasureSubtree(space->id, d->id);
    if (!size) return size.error();
    if (size->dentries <= kAsyncThreshold) {
      return DeleteIn(tx, actor, *space, d->id, to_recycle_bin);
    }
    auto task = tasks_.Submit(tx, actor, kDeleteTask,
                              EncodeTaskParams({{"spaceId", space->id},
                                                {"dentryId", d->id},
                                                {"toRecycleBin", to_recycle_bin ? "1" : "0"}}),
                              size->dentries);
    if (!task) return task.error();
    out.async = true;
    out.task_id = task->id;
    return {};
  });
  if (!r) return r.error();
  return out;
}

Result<TaskCounts> RecycleService::RunDeleteTask(MetadataTransaction& tx, const Task& task) {
  auto params = DecodeTaskParams(task.params);
  if (!params) return params.error();
  auto space_id = TaskParam(*params, "spaceId");
  auto dentry_id = TaskParam(*params, "dentryId");
  auto to_bin = TaskParam(*params, "toRecycleBin");
  if (!space_id || !dentry_id || !to_bin) return MakeError(Errc::kInternal, "task", "bad params");
  auto space = tx.spaces().Get(task.corp_id, *space_id);
  if (!space) return space.error();
  if (auto ok = DeleteIn(tx, TaskActor(task), *space, *dentry_id, *to_bin == "1"); !ok) {
    return ok.error();
  }
  return TaskCounts{task.counts.total, task.counts.total, 0};
}

Result<std::vector<BatchOutcome>> RecycleService::DeleteDentries(
    const Actor& actor, std::string_view space_id, const std::vector<std::string>& ids,
    bool to_recycle_bin) {
  if (ids.empty() || ids.size() > kMaxDeleteIds) {
    return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds must hold 1-50 ids");
  }
  if (auto space = spaces_.GetWritableSpace(actor, space_id); !space) return space.error();
  std::vector<BatchOutcome> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    out.push_back(BatchOutcome{id, DeleteDentry(actor, space_id, id, to_recycle_bin)});
  }
  return out;
}

// ---- Bins ----

Result<RecycleBin> RecycleService::GetRecycleBin(const Actor& actor, RecycleScope scope,
                                                 std::string_view scope_id) {
  if (scope_id.empty()) return MakeError(Errc::kInvalidArgument, "scopeId", "scopeId is required");
  RecycleBin bin{scope, actor.corp_id, std::string(scope_id)};
  switch (scope) {
    case RecycleScope::kOrg:
      if (scope_id != actor.corp_id) {
        return MakeError(Errc::kPermissionDenied, "org",
                         "the access token does not belong to org " + std::string(scope_id));
      }
      break;
    case RecycleScope::kApp:
      if (scope_id != actor.app_id) {
        return MakeError(Errc::kPermissionDenied, "app",
                         "an app may only open its own recycle bin");
      }
      break;
    case RecycleScope::kSpace: {
      auto space = spaces_.GetSpace(actor, scope_id);
      if (!space) return space.error();
      break;
    }
  }
  return bin;
}

Result<RecycleBin> RecycleService::OpenBin(const Actor& actor, std::string_view bin_id) {
  auto bin = DecodeRecycleBinId(bin_id);
  if (!bin) return bin.error();
  auto opened = GetRecycleBin(actor, bin->scope, bin->scope_id);
  if (!opened) {
    const Errc code = opened.error().code;
    // Another org's or app's bin, or one of a space that is gone: as if it never existed.
    const bool foreign = code == Errc::kNotFound ||
                         (code == Errc::kPermissionDenied && bin->scope != RecycleScope::kSpace);
    if (foreign) return NoSuchBin(bin_id);
  }
  return opened;
}

Result<RecycleItem> RecycleService::OpenItem(const RecycleBin& bin, std::string_view item_id) {
  auto item =
      store_.Read([&](MetadataTransaction& tx) { return tx.recycle().Get(bin.corp_id, item_id); });
  if (!item) return item.error();
  if (!InBin(bin, *item)) return NoSuchItem(item_id);
  return item;
}

Result<RecycleItemPage> RecycleService::ListRecycleItems(const Actor& actor,
                                                         std::string_view bin_id, int limit,
                                                         std::string_view token) {
  if (limit < 1 || limit > kMaxRecyclePageSize) {
    return MakeError(Errc::kInvalidArgument, "maxResults", "maxResults must be 1-50");
  }
  auto after = DecodeToken(token);
  if (!after) return after.error();
  auto bin = OpenBin(actor, bin_id);
  if (!bin) return bin.error();
  // One more than asked: a full page then says for sure whether another follows.
  auto items = store_.Read([&](MetadataTransaction& tx) {
    return tx.recycle().List(FilterOf(*bin), *after, limit + 1);
  });
  if (!items) return items.error();
  RecycleItemPage page;
  if (std::ssize(*items) > limit) {
    items->resize(static_cast<size_t>(limit));
    page.next_token = EncodeToken(items->back());
  }
  // Only the items the actor may see where they were (a page can come out short).
  for (RecycleItem& item : *items) {
    auto ok = CheckItem(actor, item, Capability::kReadMetadata);
    if (ok) {
      page.items.push_back(std::move(item));
    } else if (ok.error().code != Errc::kPermissionDenied && ok.error().code != Errc::kNotFound) {
      return ok.error();
    }
  }
  return page;
}

Result<RecycleItem> RecycleService::GetRecycleItem(const Actor& actor, std::string_view bin_id,
                                                   std::string_view item_id) {
  auto bin = OpenBin(actor, bin_id);
  if (!bin) return bin.error();
  auto item = OpenItem(*bin, item_id);
  if (!item) return item;
  if (auto ok = CheckItem(actor, *item, Capability::kReadMetadata); !ok) return ok.error();
  return item;
}

Result<void> RecycleService::CheckItem(const Actor& actor, const RecycleItem& item,
                                       Capability capability) {
  // Taken where the item was: its original parent folder (the root's role if that is gone).
  auto access = capability == Capability::kReadMetadata
                    ? spaces_.Open(actor, item.space_id)
                    : spaces_.OpenWritable(actor, item.space_id);
  if (!access) return access.error();
  return access->RequireOn(item.original_parent_id, capability);
}

// ---- Restore ----

Result<OperationOutcome> RecycleService::RestoreIn(MetadataTransaction& tx, const Actor& actor,
                                                   const RecycleItem& item,
                                                   ConflictStrategy strategy) {
  auto space = tx.spaces().Get(item.corp_id, item.space_id);
  if (!space) return space.error();
  auto root = tx.dentries().Get(item.space_id, item.dentry_id);
  if (!root) return root.error().code == Errc::kNotFound ? NoSuchItem(item.id) : root.error();
  const int64_t now = clock_.NowMillis();

  // Where it goes back: the original parent if still a NORMAL folder, else the original path's
  // folders, found or re-created from the root.
  std::string parent_id = item.original_parent_id;
  if (parent_id != kRootDentryId) {
    auto parent = tx.dentries().Get(item.space_id, parent_id);
    if (!parent && parent.error().code != Errc::kNotFound) return parent.error();
    if (!parent || parent->status != DentryStatus::kNormal || !parent->is_folder()) {
      parent_id = kRootDentryId;
      for (const auto& name : FolderNames(item.original_path)) {
        auto child = tx.dentries().FindChild(item.space_id, parent_id, name);
        if (!child) return child.error();
        if (*child && (*child)->is_folder()) {
          parent_id = (*child)->id;
          continue;
        }
        auto placed = PlaceChild(tx, item.space_id, parent_id, name, ConflictStrategy::kAutoRename,
                                 DentryType::kFolder);
        if (!placed) return placed.error();
        Dentry folder = NewDentry(DentryType::kFolder, item.space_id, parent_id, *placed,
                                  actor.acting_id(), now);
        if (auto ok = tx.dentries().Insert(folder); !ok) return ok.error();
        if (auto ok = EmitEvent(tx, actor, now, kEventDentryCreated, folder.space_id, folder.id,
                                DentryEventBody(folder));
            !ok) {
          return ok.error();
        }
        parent_id = folder.id;
      }
    }
  }

  auto placed = PlaceChild(
      tx, item.space_id, parent_id, root->name,
      strategy == ConflictStrategy::kOverwrite ? ConflictStrategy::kFail : strategy, root->type);
  if (!placed && placed.error().code == Errc::kAlreadyExists &&
      strategy == ConflictStrategy::kOverwrite) {
    // OVERWRITE: the occupant goes to the recycle bin itself, so nothing is lost.
    auto occupant = tx.dentries().FindChild(item.space_id, parent_id, root->name);
    if (!occupant) return occupant.error();
    if (*occupant) {
      if (auto ok = RecycleIn(tx, actor, *space, **occupant); !ok) return ok.error();
    }
    placed =
        PlaceChild(tx, item.space_id, parent_id, root->name, ConflictStrategy::kFail, root->type);
  }
  if (!placed) return placed.error();
  if (placed->existing) {
    // RETURN_DENTRY_IF_EXISTS: the item stays in the bin; the answer names what is there.
    return OperationOutcome{false, "", item.space_id, placed->existing->id};
  }
  Dentry moved = *root;
  moved.parent_id = parent_id;
  moved.name = placed->name;
  moved.path = placed->path;
  if (auto ok = tx.dentries().Update(moved); !ok) return ok.error();
  auto restored = tx.recycle().RestoreRows(item.space_id, item.id);
  if (!restored) return restored.error();
  if (auto ok = tx.recycle().Delete(item.id); !ok) return ok.error();
  if (auto ok = EmitEvent(tx, actor, now, kEventDentryRestored, item.space_id, item.dentry_id,
                          With(DentryEventBody(moved), "recycleItemId", item.id));
      !ok) {
    return ok.error();
  }
  return OperationOutcome{false, "", item.space_id, item.dentry_id};
}

Result<OperationOutcome> RecycleService::RestoreRecycleItem(const Actor& actor,
                                                            std::string_view bin_id,
                                                            std::string_view item_id,
                                                            ConflictStrategy strategy) {
  auto bin = OpenBin(actor, bin_id);
  if (!bin) return bin.error();
  auto item = OpenItem(*bin, item_id);
  if (!item) return item.error();
  if (auto ok = CheckItem(actor, *item, Capability::kRestore); !ok) return ok.error();
  return store_.Write([&](MetadataTransaction& tx) -> Result<OperationOutcome> {
    // Read again inside the transaction: a concurrent restore or purge may have taken it.
    auto current = tx.recycle().Get(item->corp_id, item->id);
    if (!current) return current.error();
    if (current->dentry_count <= kAsyncThreshold) return RestoreIn(tx, actor, *current, strategy);
    auto task = tasks_.Submit(
        tx, actor, kRestoreTask,
        EncodeTaskParams({{"itemId", current->id}, {"conflictStrategy", StrategyText(strategy)}}),
        current->dentry_count);
    if (!task) return task.error();
    return OperationOutcome{true, task->id, current->space_id, current->dentry_id};
  });
}

Result<TaskCounts> RecycleService::RunRestoreTask(MetadataTransaction& tx, const Task& task) {
  auto params = DecodeTaskParams(task.params);
  if (!params) return params.error();
  auto item_id = TaskParam(*params, "itemId");
  auto strategy = TaskParam(*params, "conflictStrategy");
  if (!item_id || !strategy) return MakeError(Errc::kInternal, "task", "bad params");
  auto item = tx.recycle().Get(task.corp_id, *item_id);
  if (!item) return item.error();
  if (auto ok = RestoreIn(tx, TaskActor(task), *item, StrategyOf(*strategy)); !ok) {
    return ok.error();
  }
  return TaskCounts{task.counts.total, task.counts.total, 0};
}

Result<std::vector<BatchOutcome>> RecycleService::RestoreRecycleItems(
    const Actor& actor, std::string_view bin_id, const std::vector<std::string>& ids,
    ConflictStrategy strategy) {
  if (ids.empty() || ids.size() > kMaxRestoreIds) {
    return MakeError(Errc::kInvalidArgument, "recycleItemIds", "recycleItemIds must hold 1-30 ids");
  }
  if (auto bin = OpenBin(actor, bin_id); !bin) return bin.error();
  std::vector<BatchOutcome> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    out.push_back(BatchOutcome{id, RestoreRecycleItem(actor, bin_id, id, strategy)});
  }
  return out;
}

// ---- Purge ----

Result<void> RecycleService::PurgeIn(MetadataTransaction& tx, const Actor& actor,
                                     const RecycleItem& item) {
  if (auto ok = DropGrantsUnder(tx, item.space_id, item.dentry_id); !ok) return ok;
  auto bytes = tx.recycle().PurgeRows(item.space_id, item.id);
  if (!bytes) return bytes.error();
  if (auto ok = tx.spaces().AdjustBytes(item.space_id, -*bytes, 0); !ok) return ok;
  if (auto ok = tx.recycle().Delete(item.id); !ok) return ok;
  return EmitEvent(
      tx, actor, clock_.NowMillis(), kEventRecycleItemPurged, item.space_id, item.dentry_id,
      EventBody{{"recycleItemId", item.id},
                {"name", item.original_name},
                {"type", std::string(item.type == DentryType::kFolder ? "FOLDER" : "FILE")},
                {"size", item.size}});
}

Result<int64_t> RecycleService::PurgeAllIn(MetadataTransaction& tx, const Actor& actor,
                                           const std::vector<std::string>& ids) {
  const std::string& corp_id = actor.corp_id;
  int64_t purged = 0;
  for (const auto& id : ids) {
    // A duplicate id, or an item a concurrent call took: already gone, nothing to purge.
    auto current = tx.recycle().Get(corp_id, id);
    if (!current) {
      if (current.error().code == Errc::kNotFound) continue;
      return current.error();
    }
    if (auto ok = PurgeIn(tx, actor, *current); !ok) return ok.error();
    ++purged;
  }
  return purged;
}

Result<void> RecycleService::Purge(const Actor& actor, const std::vector<RecycleItem>& items) {
  if (items.empty()) return {};
  std::vector<std::string> ids;
  int64_t rows = 0;
  for (const auto& item : items) {
    ids.push_back(item.id);
    rows += item.dentry_count;
  }
  return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    if (rows <= kAsyncThreshold) {
      auto purged = PurgeAllIn(tx, actor, ids);
      if (!purged) return purged.error();
      return {};
    }
    // The items stay listed until the task has purged them.
    auto task =
        tasks_.Submit(tx, actor, kPurgeTask, EncodeTaskParams({{"itemIds", Join(ids)}}), rows);
    if (!task) return task.error();
    return {};
  });
}

Result<TaskCounts> RecycleService::RunPurgeTask(MetadataTransaction& tx, const Task& task) {
  auto params = DecodeTaskParams(task.params);
  if (!params) return params.error();
  auto ids = TaskParam(*params, "itemIds");
  if (!ids) return ids.error();
  auto purged = PurgeAllIn(tx, TaskActor(task), Split(*ids));
  if (!purged) return purged.error();
  return TaskCounts{task.counts.total, task.counts.total, 0};
}

Result<void> RecycleService::DeleteRecycleItem(const Actor& actor, std::string_view bin_id,
                                               std::string_view item_id) {
  return DeleteRecycleItems(actor, bin_id, {std::string(item_id)});
}

Result<void> RecycleService::DeleteRecycleItems(const Actor& actor, std::string_view bin_id,
                                                const std::vector<std::string>& ids) {
  if (ids.empty() || ids.size() > kMaxDeleteIds) {
    return MakeError(Errc::kInvalidArgument, "recycleItemIds", "recycleItemIds must hold 1-50 ids");
  }
  auto bin = OpenBin(actor, bin_id);
  if (!bin) return bin.error();
  std::vector<RecycleItem> items;
  for (const auto& id : ids) {
    auto item = OpenItem(*bin, id);
    if (!item) return item.error();
    if (auto ok = CheckItem(actor, *item, Capability::kRestore); !ok) return ok;
    const bool repeated = std::any_of(items.begin(), items.end(),
                                      [&](const RecycleItem& i) { return i.id == item->id; });
    if (!repeated) items.push_back(std::move(*item));
  }
  return Purge(actor, items);
}

Result<void> RecycleService::ClearRecycleBin(const Actor& actor, std::string_view bin_id) {
  auto bin = OpenBin(actor, bin_id);
  if (!bin) return bin.error();
  std::optional<RecycleCursor> after;
  for (;;) {
    auto page = store_.Read([&](MetadataTransaction& tx) {
      return tx.recycle().List(FilterOf(*bin), after, kMaxRecyclePageSize);
    });
    if (!page) return page.error();
    if (page->empty()) return {};
    after = RecycleCursor{page->back().operator_time, page->back().id};
    std::vector<RecycleItem> mine;
    for (auto& item : *page) {
      if (CheckItem(actor, item, Capability::kRestore)) mine.push_back(std::move(item));
    }
    if (auto ok = Purge(actor, mine); !ok) return ok;
  }
}

}  // namespace spacestore::domain
