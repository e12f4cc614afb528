#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/space.h"
#include "domain/upload.h"

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

// Bytes used and held back (reserved for authorized uploads) across an org or an app.
struct UsageTotals {
  int64_t org_capacity = 0;
  int64_t org_used = 0;
  int64_t org_reserved = 0;
  std::optional<int64_t> app_quota;
  int64_t app_used = 0;
  int64_t app_reserved = 0;
};

// MetadataTransaction is the view of the store inside one Transact() call: every read sees the
// transaction's own writes, and either all writes commit or none does. The domain writes its
// invariants (quota, name uniqueness, upload state) once, against this interface; adapters
// only provide the primitives.
// Thread-safety: confined to the thread running the transaction function.
class MetadataTransaction {
 public:
  virtual ~MetadataTransaction() = default;

  // kNotFound (subject "space").
  virtual Result<Space> GetSpace(std::string_view corp_id, std::string_view space_id) = 0;
  // Adds the deltas to a space's used and reserved bytes. kInternal if either would go
  // negative.
  virtual Result<void> AdjustSpaceBytes(std::string_view space_id, int64_t used_delta,
                                        int64_t reserved_delta) = 0;
  // Capacity, use and reservations of the space's org and app.
  virtual Result<UsageTotals> Totals(std::string_view corp_id, std::string_view app_id) = 0;

  // A dentry of the space in any status. kNotFound (subject "dentry").
  virtual Result<Dentry> GetDentry(std::string_view space_id, std::string_view dentry_id) = 0;
  // The NORMAL child of `parent_id` named `name`, if any.
  virtual Result<std::optional<Dentry>> FindChild(std::string_view space_id,
                                                  std::string_view parent_id,
                                                  std::string_view name) = 0;
  // Inserts a dentry (with its app properties). kAlreadyExists (subject "dentry") if a NORMAL
  // sibling has the same name or the id is taken.
  virtual Result<void> InsertDentry(const Dentry& dentry) = 0;
  // Rewrites the mutable fields of dentry `dentry.id` (name, path, size, version, status,
  // modifier, modified_time, blob_id, app properties). kNotFound (subject "dentry").
  virtual Result<void> UpdateDentry(const Dentry& dentry) = 0;
  // Records a stored version of a file.
  virtual Result<void> InsertVersion(const DentryVersion& version) = 0;
  // One version of a file. kNotFound (subject "version").
  virtual Result<DentryVersion> GetVersion(std::string_view dentry_id, int64_t version) = 0;

  // kNotFound (subject "upload").
  virtual Result<UploadSession> GetUpload(std::string_view key) = 0;
  // Inserts or replaces an upload session.
  virtual Result<void> PutUpload(const UploadSession& upload) = 0;
  // Removes an upload session and its parts.
  virtual Result<void> DeleteUpload(std::string_view key) = 0;
  // Inserts or replaces a part of a multipart upload.
  virtual Result<void> PutUploadPart(const UploadPart& part) = 0;
  // The parts of an upload, by part number.
  virtual Result<std::vector<UploadPart>> ListUploadParts(std::string_view key) = 0;
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

  // ---- Transactions ----

  // Runs `fn` in one write transaction: commits if it returns a value, rolls back (and returns
  // its error) otherwise. Transactions are serialized; `fn` must not call the store directly.
  virtual Result<void> Transact(const std::function<Result<void>(MetadataTransaction&)>& fn) = 0;

  // Runs `fn` over one consistent read-only snapshot. Unlike Transact it does not queue behind
  // writers; `fn` must only read (a write fails or may be refused as busy).
  virtual Result<void> View(const std::function<Result<void>(MetadataTransaction&)>& fn) = 0;

  // ---- Dentry reads (each a consistent snapshot) ----

  // kNotFound (subject "dentry").
  virtual Result<Dentry> GetDentry(std::string_view space_id, std::string_view dentry_id) = 0;
  // The NORMAL dentries among `ids` that belong to the space, in no particular order.
  virtual Result<std::vector<Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids) = 0;
  // A page of the NORMAL children of `parent_id`. kInvalidArgument (subject "nextToken") for a
  // cursor this store did not produce for the same order.
  virtual Result<DentryPage> ListChildren(std::string_view space_id, std::string_view parent_id,
                                          const ListQuery& query) = 0;
  // A page of every NORMAL dentry of the space.
  virtual Result<DentryPage> ListAll(std::string_view space_id, const ListQuery& query) = 0;
  // The versions of a file, newest first.
  virtual Result<std::vector<DentryVersion>> ListVersions(std::string_view dentry_id) = 0;

  // ---- Collection ----

  // Keys of uploads that are not committed and expired before `now_millis` (at most `limit`),
  // and of committed ones older than that (their sessions are only kept to refuse replays).
  virtual Result<std::vector<std::string>> ListExpiredUploads(int64_t now_millis, int limit) = 0;
  // Whether any dentry version, upload or part refers to blob `blob_id`.
  virtual Result<bool> IsBlobReferenced(std::string_view blob_id) = 0;
  // Sum of the sizes of every stored version in the space, for checks that usedQuota is true.
  virtual Result<int64_t> SumVersionBytes(std::string_view space_id) = 0;
};

}  // namespace spacestore::domain
