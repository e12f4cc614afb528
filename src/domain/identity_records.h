#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/identity.h"

namespace spacestore::domain {

// IdentityRecords is the identity aggregate of the metadata port: orgs, their apps and users,
// and the server's settings (signing keys), as seen inside one metadata transaction. Reads see
// the transaction's own writes. A backend implements these primitives; the conveniences on
// MetadataStore are built from them.
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
  // The users of one org, or of all orgs when `corp_id` is empty; ordered by unionId.
  virtual Result<std::vector<User>> ListUsers(std::string_view corp_id) = 0;

  // The stored value of setting `key`, or nullopt.
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  // Stores setting `key`. kAlreadyExists (subject "setting") if it has a value.
  virtual Result<void> InsertSetting(std::string_view key, std::string_view value) = 0;
};

}  // namespace spacestore::domain
