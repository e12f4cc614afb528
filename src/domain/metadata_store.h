#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/identity.h"
#include "domain/space.h"

namespace spacestore::domain {

// Which spaces ListSpaces returns; unset fields do not filter.
struct SpaceFilter {
  std::optional<std::string> owner_id;
  std::optional<SpaceKind> kind;
  std::optional<std::string> app_id;
};

// A change to a space's settings. Unset fields keep their value.
struct SpaceUpdate {
  std::optional<std::optional<int64_t>> quota_bytes;  // Set to nullopt to lift the cap.
  std::optional<bool> disabled;
  std::string modifier_id;
  int64_t modified_time = 0;
};

// The result of CreateSpace: the space as stored, and whether this call created it.
struct CreatedSpace {
  Space space;
  bool created = false;
};

// MetadataStore is the port through which the domain keeps all metadata: identity, spaces and
// settings. Each method is one atomic transaction, and every invariant that must hold across
// processes and nodes (unique keys, idempotent creates, quota) is enforced inside it, never in
// the caller's memory. Adapters: storage/metadata/{sqlite,memory} (and later postgres); one
// contract suite (tests/contract) runs against all of them.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
//
// Thread-safety: implementations are safe to call concurrently from any number of threads.
class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // ---- Identity ----

  // Adds an org. kAlreadyExists (subject "org") if the corpId is taken.
  virtual Result<void> CreateOrg(const Org& org) = 0;
  // kNotFound (subject "org").
  virtual Result<Org> GetOrg(std::string_view corp_id) = 0;
  // All orgs, ordered by corpId.
  virtual Result<std::vector<Org>> ListOrgs() = 0;

  // Adds an app. kAlreadyExists (subject "app") if the appId or appKey is taken; kNotFound
  // (subject "org") if its org does not exist.
  virtual Result<void> CreateApp(const App& app) = 0;
  // kNotFound (subject "app").
  virtual Result<App> GetApp(std::string_view app_id) = 0;
  // kNotFound (subject "app").
  virtual Result<App> FindAppByKey(std::string_view app_key) = 0;
  // The apps of one org, or of all orgs when `corp_id` is empty; ordered by appId.
  virtual Result<std::vector<App>> ListApps(std::string_view corp_id) = 0;

  // Adds a user. kAlreadyExists (subject "user") if the unionId is taken in that org;
  // kNotFound (subject "org") if the org does not exist.
  virtual Result<void> CreateUser(const User& user) = 0;
  // kNotFound (subject "user").
  virtual Result<User> GetUser(std::string_view corp_id, std::string_view union_id) = 0;
  // The users of one org, or of all orgs when `corp_id` is empty; ordered by unionId.
  virtual Result<std::vector<User>> ListUsers(std::string_view corp_id) = 0;

  // Returns the stored value of setting `key`, first storing `value_if_absent` if there is
  // none. Atomic: concurrent callers all get the same value.
  virtual Result<std::string> GetOrCreateSetting(std::string_view key,
                                                 std::string_view value_if_absent) = 0;

  // ---- Spaces ----

  // Creates `space` unless a space with the same (corpId, appId, scene, sceneId) exists, in
  // which case that one is returned with created=false; the check and the insert are one
  // transaction, so concurrent identical calls create exactly one space.
  // kAlreadyExists (subject "id") if `space.id` is taken by a different space (the caller
  // retries with a new id); kNotFound (subject "org") if the org does not exist.
  virtual Result<CreatedSpace> CreateSpace(const Space& space) = 0;
  // The space `space_id` of org `corp_id`. kNotFound (subject "space"), also when the space
  // exists in another org.
  virtual Result<Space> GetSpace(std::string_view corp_id, std::string_view space_id) = 0;
  // The spaces of one org matching `filter`, oldest first.
  virtual Result<std::vector<Space>> ListSpaces(std::string_view corp_id,
                                                const SpaceFilter& filter) = 0;
  // Applies `update` and returns the space as stored. kNotFound (subject "space").
  virtual Result<Space> UpdateSpace(std::string_view corp_id, std::string_view space_id,
                                    const SpaceUpdate& update) = 0;
  // Removes a space. kNotFound (subject "space").
  virtual Result<void> DeleteSpace(std::string_view corp_id, std::string_view space_id) = 0;
  // Bytes used by the spaces of an org, or only by those created by `app_id` if not empty.
  virtual Result<int64_t> SumUsedBytes(std::string_view corp_id, std::string_view app_id) = 0;
};

}  // namespace spacestore::domain
