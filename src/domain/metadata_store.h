#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/result.h"
#include "domain/dentry.h"
#include "domain/dentry_records.h"
#include "domain/event_records.h"
#include "domain/identity.h"
#include "domain/identity_records.h"
#include "domain/open_records.h"
#include "domain/permission_records.h"
#include "domain/recycle_records.h"
#include "domain/space.h"
#include "domain/space_records.h"
#include "domain/task.h"
#include "domain/task_records.h"
#include "domain/upload.h"
#include "domain/upload_records.h"

namespace spacestore::domain {

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

// MetadataTransaction is the view of the store inside one Transact(), View() or ReadOne()
// call: one object per aggregate (identity, spaces, dentries with their versions, uploads,
// tasks, recycle items with the bulk subtree writes, grants and departments, the event log, open
// links), every read seeing the transaction's own writes, and either all writes committed or none.
// The domain writes its invariants (quota, name uniqueness, idempotent creates, upload state) once,
// against these primitives; a backend only provides them.
// Thread-safety: confined to the thread running the transaction function.
class MetadataTransaction {
 public:
  virtual ~MetadataTransaction() = default;

  virtual IdentityRecords& identity() = 0;
  virtual SpaceRecords& spaces() = 0;
  virtual DentryRecords& dentries() = 0;
  virtual UploadRecords& uploads() = 0;
  virtual TaskRecords& tasks() = 0;
  virtual RecycleRecords& recycle() = 0;
  virtual PermissionRecords& permissions() = 0;
  virtual EventRecords& events() = 0;
  virtual OpenRecords& open() = 0;
};

// MetadataStore is the port through which the domain keeps all metadata. A backend implements
// three ways to run a function over a MetadataTransaction (a write transaction, a read
// snapshot, a single read); everything else on this class is a non-virtual convenience built
// on them, one transaction each. Every invariant that must hold across processes and nodes
// (unique keys, idempotent creates, quota) is enforced inside a transaction, never in the
// caller's memory. Backends: storage/metadata/{sqlite,memory}; the contract suites in
// tests/contract run against each, per aggregate.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: implementations are safe to call concurrently from any number of threads.
class MetadataStore {
 public:
  using TransactionFn = std::function<Result<void>(MetadataTransaction&)>;
  // A step run in a convenience's transaction after its write, with the space as written (the
  // caller's event, say); its error rolls the whole transaction back.
  using SpaceStep = std::function<Result<void>(MetadataTransaction&, const Space&)>;

  virtual ~MetadataStore() = default;

  // ---- The backend's surface ----

  // Runs `fn` in one write transaction: commits if it returns a value, rolls back (and returns
  // its error) otherwise. Transactions are serialized; `fn` must not call the store itself.
  virtual Result<void> Transact(const TransactionFn& fn) = 0;
  // Runs `fn` over one consistent read-only snapshot. Unlike Transact it does not queue behind
  // writers; `fn` must only read (a write fails or may be refused as busy).
  virtual Result<void> View(const TransactionFn& fn) = 0;
  // Runs `fn`, which makes exactly one read primitive call, without opening a snapshot: one
  // primitive is consistent by itself. The fast path of the one-shot reads below (SQLite saves
  // a BEGIN and a COMMIT on every request that only reads a space).
  virtual Result<void> ReadOne(const TransactionFn& fn) = 0;

  // Value-returning forms of the three: `fn` returns a Result<T>, and so do they.
  template <class F>
  auto Write(F&& fn) {
    return Returning([this](const TransactionFn& f) { return Transact(f); }, fn);
  }
  template <class F>
  auto Snapshot(F&& fn) {
    return Returning([this](const TransactionFn& f) { return View(f); }, fn);
  }
  template <class F>
  auto Read(F&& fn) {
    return Returning([this](const TransactionFn& f) { return ReadOne(f); }, fn);
  }

  // ---- Conveniences, one transaction each ----
  //
  // GetSpace and GetDentries run on every GetSpace and GetDentries request (and every request
  // reads its space); a backend may override them to return the primitive's result without the
  // type-erased call and the extra move of Read(): on SQLite that was 1% of GetSpace's
  // instructions (callgrind). Overrides must behave exactly like the defaults.

  // ---- Identity (IdentityRecords) ----

  Result<void> CreateOrg(const Org& org);
  Result<Org> GetOrg(std::string_view corp_id);
  Result<std::vector<Org>> ListOrgs();
  Result<void> CreateApp(const App& app);
  Result<App> GetApp(std::string_view app_id);
  Result<App> FindAppByKey(std::string_view app_key);
  Result<std::vector<App>> ListApps(std::string_view corp_id);
  Result<void> CreateUser(const User& user);
  Result<User> GetUser(std::string_view corp_id, std::string_view union_id);
  Result<std::vector<User>> ListUsers(std::string_view corp_id);
  // Returns the stored value of setting `key`, first storing `value_if_absent` if there is
  // none. Atomic: concurrent callers all get the same value.
  Result<std::string> GetOrCreateSetting(std::string_view key, std::string_view value_if_absent);

  // ---- Spaces (SpaceRecords) ----

  // Creates `space` unless a space with the same (corpId, appId, scene, sceneId) exists, in
  // which case that one is returned with created=false; the check and the insert are one
  // transaction, so concurrent identical calls create exactly one space.
  // kAlreadyExists (subject "id") if `space.id` is taken by a different space (the caller
  // retries with a new id); kNotFound (subject "org") if the org does not exist. `then` runs
  // only when this call created the space.
  Result<CreatedSpace> CreateSpace(const Space& space, const SpaceStep& then = nullptr);
  // Virtual: a measured fast path (see below).
  virtual Result<Space> GetSpace(std::string_view corp_id, std::string_view space_id);
  Result<std::vector<Space>> ListSpaces(std::string_view corp_id, const SpaceFilter& filter);
  // Applies `update` and returns the space as stored. kNotFound (subject "space").
  Result<Space> UpdateSpace(std::string_view corp_id, std::string_view space_id,
                            const SpaceUpdate& update, const SpaceStep& then = nullptr);
  // Removes the space; `then` runs after, with the space as it was. kNotFound (subject "space").
  Result<void> DeleteSpace(std::string_view corp_id, std::string_view space_id,
                           const SpaceStep& then = nullptr);
  Result<int64_t> SumUsedBytes(std::string_view corp_id, std::string_view app_id);

  // ---- Dentries and versions (DentryRecords) ----

  Result<Dentry> GetDentry(std::string_view space_id, std::string_view dentry_id);
  // Virtual: a measured fast path (see below).
  virtual Result<std::vector<Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids);
  // A page of the NORMAL children of `parent_id`: decodes `query.cursor` and encodes the next
  // page's. kInvalidArgument (subject "nextToken") for a token not produced for the same order.
  Result<DentryPage> ListChildren(std::string_view space_id, std::string_view parent_id,
                                  const ListQuery& query);
  // A page of every NORMAL dentry of the space, by modified time.
  Result<DentryPage> ListAll(std::string_view space_id, const ListQuery& query);
  Result<std::vector<DentryVersion>> ListVersions(std::string_view dentry_id);
  Result<int64_t> SumVersionBytes(std::string_view space_id);

  // ---- Uploads and collection (UploadRecords) ----

  Result<std::vector<std::string>> ListExpiredUploads(int64_t now_millis, int limit);
  Result<int64_t> CountOpenUploads(int64_t now_millis);
  // Whether any dentry version, upload or part refers to blob `blob_id` (one snapshot).
  Result<bool> IsBlobReferenced(std::string_view blob_id);

 private:
  // Runs `fn` through `run` (Transact, View or ReadOne) and hands back what `fn` returned.
  template <class Run, class F>
  static auto Returning(Run run, F& fn) -> std::invoke_result_t<F&, MetadataTransaction&> {
    using R = std::invoke_result_t<F&, MetadataTransaction&>;
    if constexpr (std::is_same_v<R, Result<void>>) {
      return run([&fn](MetadataTransaction& tx) { return fn(tx); });
    } else {
      // `out` is the caller's return object (NRVO): the value is moved once, into it.
      R out = Error{};
      auto r = run([&fn, &out](MetadataTransaction& tx) -> Result<void> {
        out = fn(tx);
        if (!out) return out.error();
        return {};
      });
      if (!r) out = r.error();  // `fn`'s own error, or the backend's (BEGIN, COMMIT).
      return out;
    }
  }
};

}  // namespace spacestore::domain
