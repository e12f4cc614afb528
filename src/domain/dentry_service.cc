// DentryService: folders and metadata reads. Creation runs in one metadata transaction
// (parent check, name resolution, insert), so two clients adding the same name never both win.
#include "domain/dentry_service.h"

#include <algorithm>
#include <array>
#include <map>

#include "domain/event_emitter.h"
#include "domain/name_rules.h"
#include "domain/placement.h"

namespace spacestore::domain {
namespace {

Result<void> CheckPage(const ListQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return MakeError(Errc::kInvalidArgument, "maxResults", "maxResults must be 1-50");
  }
  return {};
}

}  // namespace

Result<void> CheckAppProperties(const std::vector<AppProperty>& properties) {
  std::map<std::string, std::vector<std::string>> by_app;
  for (const auto& p : properties) {
    auto& names = by_app[p.app_id];
    if (p.name.find_first_not_of(" \t") == std::string::npos) {
      return MakeError(Errc::kInvalidArgument, "appProperties", "property names must not be blank");
    }
    if (p.value.empty()) {
      return MakeError(Errc::kInvalidArgument, "appProperties",
                       "property '" + p.name + "' has an empty value");
    }
    // Bounded so that a dentry, which every listing carries whole, stays small.
    if (p.name.size() > kMaxPropertyNameBytes || p.value.size() > kMaxPropertyValueBytes) {
      return MakeError(Errc::kInvalidArgument, "appProperties",
                       "property names take at most 128 bytes and values at most 4096");
    }
    if (std::find(names.begin(), names.end(), p.name) != names.end()) {
      return MakeError(Errc::kInvalidArgument, "appProperties",
                       "property '" + p.name + "' is given twice");
    }
    names.push_back(p.name);
    if (names.size() > kMaxPropertiesPerApp) {
      return MakeError(Errc::kInvalidArgument, "appProperties", "at most 3 app properties per app");
    }
  }
  return {};
}

std::vector<AppProperty> VisibleProperties(const Dentry& dentry, std::string_view viewer_app_id,
                                           const std::vector<std::string>& only_apps) {
  std::vector<AppProperty> out;
  for (const auto& p : dentry.app_properties) {
    if (!p.is_public && p.app_id != viewer_app_id) continue;
    if (!only_apps.empty() &&
        std::find(only_apps.begin(), only_apps.end(), p.app_id) == only_apps.end()) {
      continue;
    }
    out.push_back(p);
  }
  return out;
}

DentryService::DentryService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
                             size_t cache_bytes)
    : store_(store), clock_(clock), spaces_(spaces), cache_(cache_bytes) {}

Result<Dentry> DentryService::AddFolder(const Actor& actor, std::string_view space_id,
                                        const std::string& parent_id, std::string_view name,
                                        ConflictStrategy strategy,
                                        std::vector<AppProperty> properties) {
  auto clean = NormalizeName(name, "name", kMaxDentryNameChars);
  if (!clean) return clean.error();
  if (auto ok = CheckAppProperties(properties); !ok) return ok.error();
  auto access = spaces_.OpenWritable(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(parent_id, Capability::kAddFolder); !ok) return ok.error();
  const Space* space = &access->space();

  Dentry folder;
  auto r = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto placed = PlaceChild(tx, space->id, parent_id, *clean, strategy, DentryType::kFolder);
    if (!placed) return placed.error();
    if (placed->existing) {
      folder = std::move(*placed->existing);
      return {};
    }
    folder = NewDentry(DentryType::kFolder, space->id, parent_id, *placed, actor.acting_id(),
                       clock_.NowMillis());
    folder.app_properties = properties;
    if (auto ok = tx.dentries().Insert(folder); !ok) return ok;
    return EmitEvent(tx, actor, folder.create_time, kEventDentryCreated, folder.space_id, folder.id,
                     DentryEventBody(folder));
  });
  if (!r) return r.error();
  return folder;
}

Result<Dentry> DentryService::GetDentry(const Actor& actor, std::string_view space_id,
                                        std::string_view dentry_id) {
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  const Space& space = access->space();
  Result<Dentry> d = Error{};
  if (auto cached = cache_.Find(space, dentry_id)) {
    d = *cached;
  } else {
    d = LiveDentry(store_.GetDentry(space.id, dentry_id), dentry_id);
    if (d) {
      const std::array<DentryCache::Entry, 1> read = {std::make_shared<const Dentry>(*d)};
      Remember(space, read);
    }
  }
  // A missing dentry is 403 too for whoever may not read there: no answer tells it exists.
  if (auto ok = d ? access->Require(*d, Capability::kReadMetadata)
                  : access->RequireOn(dentry_id, Capability::kReadMetadata);
      !ok) {
    return ok.error();
  }
  return d;
}

Result<std::vector<BatchResult>> DentryService::GetDentries(const Actor& actor,
                                                            std::string_view space_id,
                                                            const std::vector<std::string>& ids) {
  if (ids.empty() || ids.size() > kMaxBatchIds) {
    return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds must hold 1-30 ids");
  }
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  const Space* space = &access->space();
  std::vector<DentryCache::Entry> found;
  cache_.FindAll(*space, ids, found);
  std::vector<std::string> missing;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!found[i]) missing.push_back(ids[i]);
  }
  if (!missing.empty()) {
    auto read = ReadShared(space->id, missing);
    if (!read) return read.error();
    if (!Remember(*space, *read) && missing.size() < ids.size()) {
      // A write landed between the two reads: the cached part may be older than what was just
      // read. One more query answers every id from a single state.
      read = ReadShared(space->id, ids);
      if (!read) return read.error();
      found.assign(ids.size(), nullptr);
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      if (found[i]) continue;
      const auto it = std::find_if(read->begin(), read->end(),
                                   [&](const DentryCache::Entry& d) { return d->id == ids[i]; });
      if (it != read->end()) found[i] = *it;
    }
  }
  std::vector<BatchResult> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (found[i]) {
      // A dentry the user has no role on is a per-item permissionDenied.
      if (auto ok = access->Require(*found[i], Capability::kReadMetadata); !ok) {
        if (ok.error().code != Errc::kPermissionDenied) return ok.error();
        out.push_back(BatchResult{ids[i], ok.error()});
        continue;
      }
      out.push_back(BatchResult{ids[i], std::move(found[i])});
    } else if (auto ok = access->RequireOn(ids[i], Capability::kReadMetadata); !ok) {
      if (ok.error().code != Errc::kPermissionDenied) return ok.error();
      out.push_back(BatchResult{ids[i], ok.error()});
    } else {
      out.push_back(BatchResult{
          ids[i], MakeError(Errc::kNotFound, "dentry", "dentry " + ids[i] + " not found")});
    }
  }
  return out;
}

Result<std::vector<DentryCache::Entry>> DentryService::ReadShared(
    const std::string& space_id, const std::vector<std::string>& ids) {
  auto dentries = store_.GetDentries(space_id, ids);
  if (!dentries) return dentries.error();
  std::vector<DentryCache::Entry> out;
  out.reserve(dentries->size());
  for (auto& d : *dentries) out.push_back(std::make_shared<const Dentry>(std::move(d)));
  return out;
}

bool DentryService::Remember(const Space& space, std::span<const DentryCache::Entry> read) {
  // `read` was read after `space`. If the generation is still the same, no dentry write
  // committed in between, so `read` is exactly the state of that generation.
  auto now = store_.GetSpace(space.corp_id, space.id);
  if (!now || now->dentry_generation != space.dentry_generation) return false;
  cache_.Add(space, read);
  return true;
}

Result<DentryPage> DentryService::ListDentries(const Actor& actor, std::string_view space_id,
                                               const std::string& parent_id,
                                               const ListQuery& query) {
  if (auto ok = CheckPage(query); !ok) return ok.error();
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  const Space& space = access->space();
  // The role first: whoever may not list there learns nothing of what the id is.
  auto role = access->RoleOnId(parent_id);
  if (!role) return role.error();
  if (*role == Role::kNone) {
    // No role on the folder: listable only on the way to something granted, and filtered.
    auto traverse = access->CanTraverse(parent_id);
    if (!traverse) return traverse.error();
    if (!*traverse) return access->RequireOn(parent_id, Capability::kList).error();
  }
  if (parent_id != kRootDentryId) {
    auto parent = LiveFolder(store_.GetDentry(space.id, parent_id), parent_id);
    if (!parent) return parent.error();
  }
  auto page = store_.ListChildren(space.id, parent_id, query);
  if (!page || *role != Role::kNone) return page;
  std::vector<Dentry> shown;
  for (Dentry& child : page->dentries) {
    auto shows = access->ShowsChild(child, *role);
    if (!shows) return shows.error();
    if (*shows) shown.push_back(std::move(child));
  }
  page->dentries = std::move(shown);
  return page;
}

Result<DentryPage> DentryService::ListAllDentries(const Actor& actor, std::string_view space_id,
                                                  const ListQuery& query) {
  if (auto ok = CheckPage(query); !ok) return ok.error();
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  auto page = store_.ListAll(access->space().id, query);
  if (!page || access->implicit_role() >= MinimumRole(Capability::kList)) return page;
  std::vector<Dentry> shown;
  for (Dentry& d : page->dentries) {
    auto role = access->RoleOn(d);
    if (!role) return role.error();
    if (*role >= MinimumRole(Capability::kList)) shown.push_back(std::move(d));
  }
  page->dentries = std::move(shown);
  return page;
}

}  // namespace spacestore::domain
