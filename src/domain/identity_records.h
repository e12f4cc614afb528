#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/identity.h"

namespace spacestore::domain {

// IdentityRecords is the identity aggregate of the metadata port: orgs, their apps and users,
// the server's settings (signing keys) and the leases of background work, as seen inside one
// metadata transaction. Reads see the transaction's own writes. A backend implements these
// primitives; the conveniences on MetadataStore are built from them.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class IdentityRecords {
 public:
  virtual ~IdentityRecords() = default;

  // Adds an org. kAlreadyExists (subject "org") if the corpId is taken.
  virtual Result<void> InsertOrg(const Org& org) = 0;
  // kNotFound (subject "org").
  virtual Result<Org> GetOrg(std::string_view corp_id) = 0;
  // All orgs, ordered by corpId.
  virtual Result<std::vector<Org>> ListOrgs() = 0;

  // Adds an app. kAlreadyExists (subject "app") if the appId or appKey is taken; kNotFound
  // (subject "org") if its org does not exist.
  virtual Result<void> InsertApp(const App& app) = 0;
  // kNotFound (subject "app").
  virtual Result<App> GetApp(std::string_view app_id) = 0;
  // kNotFound (subject "app").
  virtual Result<App> FindAppByKey(std::string_view app_key) = 0;
  // The apps of one org, or of all orgs when `corp_id` is empty; ordered by appId.
  virtual Result<std::vector<App>> ListApps(std::string_view corp_id) = 0;

  // Adds a user. kAlreadyExists (subject "user") if the unionId is taken in that org;
  // kNotFound (subject "org") if the org does not exist.
  virtual Result<void> InsertUser(const User& user) = 0;
  // kNotFound (subject "user").
  virtual Result<User> GetUser(std::string_view corp_id, std::string_view union_id) = 0;
  // Replaces a user's password hash (empty: no password). kNotFound (subject "user").
  virtual Result<void> SetUserPassword(std::string_view corp_id, std::string_view union_id,
                                       std::string_view password_hash) = 0;
  // The users of one org, or of all orgs when `corp_id` is empty; ordered by unionId.
  virtual Result<std::vector<User>> ListUsers(std::string_view corp_id) = 0;
  // Removes a user from its org with everything that made it one: its department memberships
  // and every grant naming it (USER member) in the org's spaces; moves the permission
  // generation of every space of the org (PermissionRecords). kNotFound (subject "user").
  virtual Result<void> DeleteUser(std::string_view corp_id, std::string_view union_id) = 0;

  // The stored value of setting `key`, or nullopt.
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  // Stores setting `key`. kAlreadyExists (subject "setting") if it has a value.
  virtual Result<void> InsertSetting(std::string_view key, std::string_view value) = 0;

  // ---- Leases: background work that must run on one node at a time ----
  // A lease is a named row (holder, expires_at); time is the caller's clock in milliseconds
  // since the epoch, so nodes sharing a store need roughly synchronized clocks (a skew eats
  // into the lease's length, never into its exclusivity within one store's transactions).

  // Takes or renews lease `name` for `holder` until `until_millis`, if the lease is free,
  // expired at `now_millis` (expires_at <= now_millis) or already `holder`'s. true if
  // `holder` holds it afterwards; false (and nothing written) if another holder's lease is
  // still live.
  virtual Result<bool> AcquireLease(std::string_view name, std::string_view holder,
                                    int64_t now_millis, int64_t until_millis) = 0;
  // true if `holder` holds lease `name` and it has not expired at `now_millis`. Called inside
  // the transaction that does the leased work, it fences a holder whose lease was taken over.
  virtual Result<bool> HoldsLease(std::string_view name, std::string_view holder,
                                  int64_t now_millis) = 0;
  // Gives lease `name` up if `holder` holds it (expired or not); otherwise does nothing.
  virtual Result<void> ReleaseLease(std::string_view name, std::string_view holder) = 0;
};

}  // namespace spacestore::domain
