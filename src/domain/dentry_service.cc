// DentryService: folders and metadata reads. Creation runs in one metadata transaction
// (parent check, name resolution, insert), so two clients adding the same name never both win.
#include "domain/dentry_service.h"

#include <algorithm>
#include <map>

#include "domain/name_rules.h"
#include "domain/placement.h"

namespace spacestore::domain {
namespace {

constexpr size_t kMaxPropertiesPerApp = 3;

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
    if (p.name.empty()) {
      return MakeError(Errc::kInvalidArgument, "appProperties", "property names must not be empty");
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

DentryService::DentryService(MetadataStore& store, const Clock& clock, SpaceService& spaces)
    : store_(store), clock_(clock), spaces_(spaces) {}

Result<Dentry> DentryService::AddFolder(const Actor& actor, std::string_view space_id,
                                        const std::string& parent_id, std::string_view name,
                                        ConflictStrategy strategy,
                                        std::vector<AppProperty> properties) {
  auto clean = NormalizeName(name, "name", kMaxDentryNameChars);
  if (!clean) return clean.error();
  if (auto ok = CheckAppProperties(properties); !ok) return ok.error();
  auto space = spaces_.GetWritableSpace(actor, space_id);
  if (!space) return space.error();

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
    return tx.InsertDentry(folder);
  });
  if (!r) return r.error();
  return folder;
}

Result<Dentry> DentryService::GetDentry(const Actor& actor, std::string_view space_id,
                                        std::string_view dentry_id) {
  auto space = spaces_.GetSpace(actor, space_id);
  if (!space) return space.error();
  return LiveDentry(store_.GetDentry(space->id, dentry_id), dentry_id);
}

Result<std::vector<BatchResult>> DentryService::GetDentries(const Actor& actor,
                                                            std::string_view space_id,
                                                            const std::vector<std::string>& ids) {
  if (ids.empty() || ids.size() > kMaxBatchIds) {
    return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds must hold 1-30 ids");
  }
  auto space = spaces_.GetSpace(actor, space_id);
  if (!space) return space.error();
  auto found = store_.GetDentries(space->id, ids);
  if (!found) return found.error();
  // Answers in request order. A dentry is moved into the answer at its last mention and
  // copied before that (an id may be asked for more than once).
  std::vector<int> index(ids.size(), -1);  // Position in *found of each requested id.
  std::vector<size_t> last_use(found->size(), 0);
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto it =
        std::find_if(found->begin(), found->end(), [&](const Dentry& d) { return d.id == ids[i]; });
    if (it == found->end()) continue;
    index[i] = static_cast<int>(it - found->begin());
    last_use[static_cast<size_t>(index[i])] = i;
  }
  std::vector<BatchResult> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (index[i] < 0) {
      out.push_back(BatchResult{
          ids[i], MakeError(Errc::kNotFound, "dentry", "dentry " + ids[i] + " not found")});
      continue;
    }
    const auto k = static_cast<size_t>(index[i]);
    out.push_back(BatchResult{ids[i], last_use[k] == i ? std::move((*found)[k]) : (*found)[k]});
  }
  return out;
}

Result<DentryPage> DentryService::ListDentries(const Actor& actor, std::string_view space_id,
                                               const std::string& parent_id,
                                               const ListQuery& query) {
  if (auto ok = CheckPage(query); !ok) return ok.error();
  auto space = spaces_.GetSpace(actor, space_id);
  if (!space) return space.error();
  if (parent_id != kRootDentryId) {
    auto parent = LiveFolder(store_.GetDentry(space->id, parent_id), parent_id);
    if (!parent) return parent.error();
  }
  return store_.ListChildren(space->id, parent_id, query);
}

Result<DentryPage> DentryService::ListAllDentries(const Actor& actor, std::string_view space_id,
                                                  const ListQuery& query) {
  if (auto ok = CheckPage(query); !ok) return ok.error();
  auto space = spaces_.GetSpace(actor, space_id);
  if (!space) return space.error();
  return store_.ListAll(space->id, query);
}

}  // namespace spacestore::domain
