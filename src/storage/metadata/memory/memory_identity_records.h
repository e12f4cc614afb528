#pragma once

#include "domain/identity_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The identity aggregate in memory: the tables of MemoryState it owns, each write recorded in the
// transaction's undo log.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryIdentityRecords final : public domain::IdentityRecords {
 public:
  MemoryIdentityRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

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
  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
