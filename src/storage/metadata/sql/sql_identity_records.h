#pragma once

#include "domain/identity_records.h"

namespace spacestore::storage::sql {

// The identity aggregate on SQLite and PostgreSQL (one text for both, over a backend's Connection;
// sql_rows.h): tables orgs, apps, users and settings. Uniqueness comes from PRIMARY KEY and UNIQUE
// constraints, the org of an app or user from a FOREIGN KEY. DeleteUser also writes the
// permission aggregate's tables (through SqlPermissionRecords), in the same transaction.
// Thread-safety: confined, like its connection, to the transaction's thread. Borrows `conn`.
template <class Connection>
class SqlIdentityRecords final : public domain::IdentityRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlIdentityRecords(Connection& conn) : conn_(conn) {}

  // IdentityRecords
  Result<void> InsertOrg(const domain::Org& org) override;
  Result<domain::Org> GetOrg(std::string_view corp_id) override;
  Result<std::vector<domain::Org>> ListOrgs() override;
  Result<void> InsertApp(const domain::App& app) override;
  Result<domain::App> GetApp(std::string_view app_id) override;
  Result<domain::App> FindAppByKey(std::string_view app_key) override;
  Result<std::vector<domain::App>> ListApps(std::string_view corp_id) override;
  Result<void> InsertUser(const domain::User& user) override;
  Result<domain::User> GetUser(std::string_view corp_id, std::string_view union_id) override;
  Result<void> SetUserPassword(std::string_view corp_id, std::string_view union_id,
                               std::string_view password_hash) override;
  Result<std::vector<domain::User>> ListUsers(std::string_view corp_id) override;
  Result<void> DeleteUser(std::string_view corp_id, std::string_view union_id) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Result<void> InsertSetting(std::string_view key, std::string_view value) override;
  Result<bool> AcquireLease(std::string_view name, std::string_view holder, int64_t now_millis,
                            int64_t until_millis) override;
  Result<bool> HoldsLease(std::string_view name, std::string_view holder,
                          int64_t now_millis) override;
  Result<void> ReleaseLease(std::string_view name, std::string_view holder) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::sql
