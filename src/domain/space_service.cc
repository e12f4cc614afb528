// SpaceService: validation, defaults and read rules for spaces. Idempotency and uniqueness are
// the store's job (one transaction per create); this file only decides what to ask for.
#include "domain/space_service.h"

#include "base/ids.h"
#include "domain/event_emitter.h"
#include "domain/name_rules.h"
#include "domain/quota.h"

namespace spacestore::domain {
namespace {

constexpr size_t kMaxSpaceNameChars = 128;
constexpr size_t kMaxSceneChars = 64;
constexpr size_t kSpaceIdDigits = 12;
constexpr int kIdAttempts = 5;

// scene and sceneId may hold only letters and digits (DingTalk's rule).
Result<std::string> CheckAlnum(const std::optional<std::string>& value, std::string_view field,
                               std::string_view fallback) {
  if (!value) return std::string(fallback);
  auto fail = [&](std::string why) {
    return MakeError(Errc::kInvalidArgument, std::string(field),
                     std::string(field) + " " + std::move(why));
  };
  if (value->empty()) return fail("must not be empty");
  if (value->size() > kMaxSceneChars) return fail("is longer than 64 characters");
  for (const char c : *value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) return fail("may contain only letters and digits");
  }
  return *value;
}

Error SpaceNotFound(std::string_view id) {
  return MakeError(Errc::kNotFound, "space", "space " + std::string(id) + " not found");
}

// Changing or deleting a space an app owns goes only through that app: another app of the org
// may read it but not change it.
Result<void> CheckOwningApp(const Actor& actor, const Space& space) {
  if (space.owner_type == OwnerType::kApp && space.app_id != actor.app_id) {
    return MakeError(Errc::kPermissionDenied, "space",
                     "space " + space.id + " belongs to app " + space.app_id +
                         "; only that app may change or delete it");
  }
  return {};
}

}  // namespace

SpaceService::SpaceService(MetadataStore& store, const Clock& clock)
    : store_(store), clock_(clock), access_(store, clock) {}

Result<Space> SpaceService::Insert(const Actor& actor, Space space) {
  // The event commits with the space; an idempotent repeat creates nothing and emits nothing.
  auto emit = [&](MetadataTransaction& tx, const Space& created) {
    return EmitEvent(tx, actor, created.create_time, kEventSpaceCreated, created.id, "",
                     SpaceEventBody(created));
  };
  for (int attempt = 0; attempt < kIdAttempts; ++attempt) {
    space.id = RandomDigitsId(kSpaceIdDigits);
    auto created = store_.CreateSpace(space, emit);
    if (created) return std::move(created->space);
    if (created.error().code != Errc::kAlreadyExists) return created.error();
  }
  return MakeError(Errc::kInternal, "id", "could not allocate a unique space id");
}

Result<Space> SpaceService::AddSpace(const Actor& actor, const AddSpaceParams& params) {
  Space space;
  if (params.name) {
    auto name = NormalizeName(*params.name, "name", kMaxSpaceNameChars);
    if (!name) return name.error();
    space.name = std::move(*name);
  }
  auto scene = CheckAlnum(params.scene, "scene", "default");
  if (!scene) return scene.error();
  auto scene_id = CheckAlnum(params.scene_id, "sceneId", "0");
  if (!scene_id) return scene_id.error();
  if (auto ok = CheckQuotaLimit(params.quota_bytes, "quota"); !ok) return ok.error();
  if (auto ok = access_.CheckMember(actor); !ok) return ok.error();

  const int64_t now = clock_.NowMillis();
  space.corp_id = actor.corp_id;
  space.app_id = actor.app_id;
  space.owner_type = params.owner_type;
  space.kind =
      params.owner_type == OwnerType::kApp ? SpaceKind::kDepartment : SpaceKind::kIndividual;
  const std::string& acting = actor.acting_id();
  space.owner_id = params.owner_type == OwnerType::kApp ? actor.app_id : acting;
  space.creator_id = acting;
  space.modifier_id = acting;
  space.quota_bytes = params.quota_bytes;
  space.scene = std::move(*scene);
  space.scene_id = std::move(*scene_id);
  space.capabilities = params.capabilities;
  space.create_time = now;
  space.modified_time = now;
  return Insert(actor, std::move(space));
}

Result<SpaceAccess> SpaceService::OpenShared(const Actor& actor,
                                             std::shared_ptr<const Space> space) {
  auto access = access_.Open(actor, std::move(space));
  if (!access) return access.error();
  if (!access->CanSeeSpace()) {
    return MakeError(
        Errc::kPermissionDenied, "space",
        "user " + actor.union_id + " has no permission on space " + access->space().id);
  }
  return access;
}

namespace {

// A non-owning handle on `space`, for a check whose SpaceAccess ends before `space` moves.
std::shared_ptr<const Space> Borrowed(const Space& space) {
  return {std::shared_ptr<const Space>(), &space};
}

// A space the store does not have: a non-member still learns only that it is not one.
Error Missing(Access& access, const Actor& actor, const Error& read, std::string_view space_id) {
  if (read.code != Errc::kNotFound) return read;
  if (auto member = access.CheckMember(actor); !member) return member.error();
  return SpaceNotFound(space_id);
}

}  // namespace

Result<Space> SpaceService::GetSpace(const Actor& actor, std::string_view space_id) {
  auto space = store_.GetSpace(actor.corp_id, space_id);
  if (!space) return Missing(access_, actor, space.error(), space_id);
  // The answer is `space` itself, moved out unchanged once checked.
  auto access = OpenShared(actor, Borrowed(*space));
  if (!access) return access.error();
  return space;
}

Result<void> SpaceService::CheckChange(const Actor& actor, std::string_view space_id) {
  auto access = Open(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(kRootDentryId, Capability::kManageSpace); !ok) return ok;
  return CheckOwningApp(actor, access->space());
}

Result<SpaceAccess> SpaceService::Open(const Actor& actor, std::string_view space_id) {
  auto space = store_.GetSpace(actor.corp_id, space_id);
  if (!space) return Missing(access_, actor, space.error(), space_id);
  return OpenShared(actor, std::make_shared<const Space>(std::move(*space)));
}

Result<SpaceAccess> SpaceService::OpenAny(const Actor& actor, std::string_view space_id) {
  auto space = store_.GetSpace(actor.corp_id, space_id);
  if (!space) return Missing(access_, actor, space.error(), space_id);
  return access_.Open(actor, std::make_shared<const Space>(std::move(*space)));
}

Result<SpaceAccess> SpaceService::OpenWritable(const Actor& actor, std::string_view space_id) {
  auto access = Open(actor, space_id);
  if (access && access->space().disabled) {
    return MakeError(Errc::kPermissionDenied, "disabled",
                     "space " + access->space().id + " is disabled");
  }
  return access;
}

Result<Space> SpaceService::GetWritableSpace(const Actor& actor, std::string_view space_id) {
  auto space = GetSpace(actor, space_id);
  if (space && space->disabled) {
    return MakeError(Errc::kPermissionDenied, "disabled", "space " + space->id + " is disabled");
  }
  return space;
}

Result<OrgUsage> SpaceService::GetOrgUsage(const Actor& actor, std::string_view corp_id) {
  if (auto ok = access_.CheckMember(actor); !ok) return ok.error();
  if (corp_id != actor.corp_id) {
    return MakeError(Errc::kPermissionDenied, "org",
                     "the access token does not belong to org " + std::string(corp_id));
  }
  auto org = store_.GetOrg(corp_id);
  if (!org) return org.error();
  auto used = store_.SumUsedBytes(corp_id, "");
  if (!used) return used.error();
  return OrgUsage{std::move(*org), *used};
}

Result<AppUsage> SpaceService::GetAppUsage(const Actor& actor) {
  if (auto ok = access_.CheckMember(actor); !ok) return ok.error();
  auto app = store_.GetApp(actor.app_id);
  if (!app) return app.error();
  auto used = store_.SumUsedBytes(actor.corp_id, actor.app_id);
  if (!used) return used.error();
  return AppUsage{std::move(*app), *used};
}

Result<Space> SpaceService::CreateOwnedSpace(const Actor& actor, const OwnedSpaceParams& params) {
  if (auto ok = access_.CheckMember(actor); !ok) return ok.error();
  if (params.owner_id.empty()) {
    return MakeError(Errc::kInvalidArgument, "ownerId", "ownerId must not be empty");
  }
  if (params.kind == SpaceKind::kIndividual) {
    // A user makes an individual space for themselves only; the app acting alone may make one
    // for any member.
    if (!actor.union_id.empty() && params.owner_id != actor.union_id) {
      return MakeError(
          Errc::kPermissionDenied, "space",
          "user " + actor.union_id + " may not create a space owned by user " + params.owner_id);
    }
    auto owner = store_.GetUser(actor.corp_id, params.owner_id);
    if (!owner) {
      if (owner.error().code != Errc::kNotFound) return owner.error();
      return MakeError(Errc::kInvalidArgument, "ownerId",
                       "user " + params.owner_id + " is not a member of the org");
    }
  }
  if (auto ok = CheckQuotaLimit(params.quota_bytes, "capacity"); !ok) return ok.error();
  const int64_t now = clock_.NowMillis();
  const std::string& acting = actor.acting_id();
  Space space;
  space.corp_id = actor.corp_id;
  space.app_id = actor.app_id;
  space.kind = params.kind;
  space.owner_type = params.kind == SpaceKind::kIndividual ? OwnerType::kUser : OwnerType::kApp;
  space.owner_id = params.owner_id;
  space.creator_id = acting;
  space.modifier_id = acting;
  space.quota_bytes = params.quota_bytes;
  // Each KooDrive create makes a new space; a fresh sceneId keeps it out of AddSpace's
  // idempotency key.
  space.scene = "koodrive";
  space.scene_id = RandomAlnumId(20);
  space.create_time = now;
  space.modified_time = now;
  return Insert(actor, std::move(space));
}

Result<Space> SpaceService::FindOwnedSpace(const Actor& actor, std::string_view owner_id,
                                           SpaceKind kind,
                                           std::optional<std::string_view> container_id) {
  auto spaces = ListSpaces(actor, SpaceFilter{std::string(owner_id), kind, std::nullopt});
  if (!spaces) return spaces.error();
  // The actor's own app's spaces first: another app's APP space of the same owner is readable
  // but not the caller's to change, so it must not shadow the caller's own.
  for (const bool own_app : {true, false}) {
    for (auto& space : *spaces) {
      if ((space.app_id == actor.app_id) != own_app) continue;
      if (!container_id || space.id == *container_id) return std::move(space);
    }
  }
  return SpaceNotFound(container_id ? *container_id : owner_id);
}

Result<std::vector<Space>> SpaceService::ListSpaces(const Actor& actor, const SpaceFilter& filter) {
  if (auto ok = access_.CheckMember(actor); !ok) return ok.error();
  auto spaces = store_.ListSpaces(actor.corp_id, filter);
  if (!spaces) return spaces.error();
  std::vector<Space> visible;
  for (Space& space : *spaces) {
    auto access = access_.Open(actor, Borrowed(space));
    if (!access) return access.error();
    if (access->CanSeeSpace()) visible.push_back(std::move(space));
  }
  return visible;
}

Result<Space> SpaceService::UpdateSpace(const Actor& actor, std::string_view space_id,
                                        SpaceUpdate update) {
  if (auto ok = CheckChange(actor, space_id); !ok) return ok.error();
  if (update.quota_bytes) {
    if (auto ok = CheckQuotaLimit(*update.quota_bytes, "capacity"); !ok) return ok.error();
  }
  update.modifier_id = actor.acting_id();
  update.modified_time = clock_.NowMillis();
  return store_.UpdateSpace(actor.corp_id, space_id, update,
                            [&](MetadataTransaction& tx, const Space& space) {
                              return EmitEvent(tx, actor, space.modified_time, kEventSpaceUpdated,
                                               space.id, "", SpaceEventBody(space));
                            });
}

Result<void> SpaceService::DeleteSpace(const Actor& actor, std::string_view space_id) {
  if (auto ok = CheckChange(actor, space_id); !ok) return ok.error();
  const int64_t now = clock_.NowMillis();
  return store_.DeleteSpace(
      actor.corp_id, space_id, [&](MetadataTransaction& tx, const Space& space) {
        return EmitEvent(tx, actor, now, kEventSpaceDeleted, space.id, "", SpaceEventBody(space));
      });
}

}  // namespace spacestore::domain
