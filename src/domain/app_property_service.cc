// AppPropertyService: UpdateDentryAppProperties and DeleteDentryAppProperties. The merge and
// the per-app limit are checked inside the write transaction, against the dentry as stored
// there, so two concurrent upserts of one app can never leave it more than three properties.
#include "domain/app_property_service.h"

#include <algorithm>

#include "domain/dentry_service.h"
#include "domain/event_emitter.h"
#include "domain/placement.h"

namespace spacestore::domain {
namespace {

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

}  // namespace

Result<void> UpsertAppProperties(std::vector<AppProperty>& stored,
                                 std::vector<AppProperty> incoming) {
  std::vector<std::string> apps;
  for (const auto& p : incoming) {
    if (std::find(apps.begin(), apps.end(), p.app_id) == apps.end()) apps.push_back(p.app_id);
  }
  for (auto& p : incoming) {
    const auto same = std::find_if(stored.begin(), stored.end(), [&](const AppProperty& s) {
      return s.app_id == p.app_id && s.name == p.name;
    });
    if (same != stored.end()) {
      *same = std::move(p);
    } else {
      stored.push_back(std::move(p));
    }
  }
  // Only the writing apps' counts: what other apps stored (perhaps under older rules) is theirs
  // and must not make this write fail.
  for (const auto& app : apps) {
    const auto held = std::count_if(stored.begin(), stored.end(),
                                    [&](const AppProperty& p) { return p.app_id == app; });
    if (static_cast<size_t>(held) > kMaxPropertiesPerApp) {
      return MakeError(Errc::kInvalidArgument, "appProperties", "at most 3 app properties per app");
    }
  }
  return {};
}

AppPropertyService::AppPropertyService(MetadataStore& store, const Clock& clock,
                                       SpaceService& spaces)
    : store_(store), clock_(clock), spaces_(spaces) {}

template <class Change>
Result<void> AppPropertyService::Modify(const Actor& actor, std::string_view space_id,
                                        std::string_view dentry_id, std::string_view action,
                                        Change change) {
  auto access = spaces_.OpenWritable(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kSetAppProperties); !ok) return ok;
  const Space* space = &access->space();
  return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto d = LiveDentry(tx.dentries().Get(space->id, dentry_id), dentry_id);
    if (!d) return d.error();
    auto changed = change(d->app_properties);
    if (!changed) return changed.error();
    if (!*changed) return {};
    if (auto ok = tx.dentries().Update(*d); !ok) return ok;
    EventBody body = DentryEventBody(*d);
    body.push_back({"appId", actor.app_id});
    body.push_back({"action", std::string(action)});
    return EmitEvent(tx, actor, clock_.NowMillis(), kEventDentryPropertiesChanged, d->space_id,
                     d->id, std::move(body));
  });
}

Result<void> AppPropertyService::Update(const Actor& actor, std::string_view space_id,
                                        std::string_view dentry_id,
                                        std::vector<AppProperty> properties) {
  if (properties.empty() || properties.size() > kMaxAppPropertiesPerCall) {
    return MakeError(Errc::kInvalidArgument, "appProperties", "appProperties must hold 1-3 items");
  }
  for (auto& p : properties) p.app_id = actor.app_id;
  if (auto ok = CheckAppProperties(properties); !ok) return ok.error();
  return Modify(actor, space_id, dentry_id, "UPDATE",
                [&](std::vector<AppProperty>& stored) -> Result<bool> {
                  if (auto ok = UpsertAppProperties(stored, std::move(properties)); !ok) {
                    return ok.error();
                  }
                  return true;
                });
}

Result<void> AppPropertyService::Remove(const Actor& actor, std::string_view space_id,
                                        std::string_view dentry_id,
                                        const std::vector<std::string>& names) {
  if (names.empty() || names.size() > kMaxAppPropertiesPerCall) {
    return MakeError(Errc::kInvalidArgument, "propertyNames", "propertyNames must hold 1-3 names");
  }
  if (std::any_of(names.begin(), names.end(), [](const auto& n) { return IsBlank(n); })) {
    return MakeError(Errc::kInvalidArgument, "propertyNames", "property names must not be blank");
  }
  return Modify(actor, space_id, dentry_id, "DELETE",
                [&](std::vector<AppProperty>& stored) -> Result<bool> {
                  // Only the caller's own: another app's property of the same name stays.
                  const auto removed = std::erase_if(stored, [&](const AppProperty& p) {
                    return p.app_id == actor.app_id &&
                           std::find(names.begin(), names.end(), p.name) != names.end();
                  });
                  return removed > 0;
                });
}

}  // namespace spacestore::domain
