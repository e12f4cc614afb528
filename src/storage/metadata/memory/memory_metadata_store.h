#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "base/thread_annotations.h"
#include "domain/metadata_store.h"

namespace spacestore::storage {

// MemoryMetadataStore keeps all metadata in process memory behind one mutex. It is a complete
// implementation of the port (it passes the same contract suite as SQLite), used by unit tests
// and by `serve --metadata memory` for throwaway instances. Nothing survives the process.
// Thread-safety: fully thread-safe; every method holds mu_ for its whole duration, which is
// what makes each one a transaction. Transact() also holds it, and undoes the writes of a
// failed transaction from an undo log.
class MemoryMetadataStore final : public domain::MetadataStore {
 public:
  MemoryMetadataStore() = default;

  // MetadataStore
  Result<void> CreateOrg(const domain::Org& org) override;
  Result<domain::Org> GetOrg(std::string_view corp_id) override;
  Result<std::vector<domain::Org>> ListOrgs() override;
  Result<void> CreateApp(const domain::App& app) override;
  Result<domain::App> GetApp(std::string_view app_id) override;
  Result<domain::App> FindAppByKey(std::string_view app_key) override;
  Result<std::vector<domain::App>> ListApps(std::string_view corp_id) override;
  Result<void> CreateUser(const domain::User& user) override;
  Result<domain::User> GetUser(std::string_view corp_id, std::string_view union_id) override;
  Result<std::vector<domain::User>> ListUsers(std::string_view corp_id) override;
  Result<std::string> GetOrCreateSetting(std::string_view key,
                                         std::string_view value_if_absent) override;
  Result<domain::CreatedSpace> CreateSpace(const domain::Space& space) override;
  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override;
  Result<std::vector<domain::Space>> ListSpaces(std::string_view corp_id,
                                                const domain::SpaceFilter& filter) override;
  Result<domain::Space> UpdateSpace(std::string_view corp_id, std::string_view space_id,
                                    const domain::SpaceUpdate& update) override;
  Result<void> DeleteSpace(std::string_view corp_id, std::string_view space_id) override;
  Result<int64_t> SumUsedBytes(std::string_view corp_id, std::string_view app_id) override;
  Result<void> Transact(
      const std::function<Result<void>(domain::MetadataTransaction&)>& fn) override;
  Result<void> View(const std::function<Result<void>(domain::MetadataTransaction&)>& fn) override;
  Result<domain::Dentry> GetDentry(std::string_view space_id, std::string_view dentry_id) override;
  Result<std::vector<domain::Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids) override;
  Result<domain::DentryPage> ListChildren(std::string_view space_id, std::string_view parent_id,
                                          const domain::ListQuery& query) override;
  Result<domain::DentryPage> ListAll(std::string_view space_id,
                                     const domain::ListQuery& query) override;
  Result<std::vector<domain::DentryVersion>> ListVersions(std::string_view dentry_id) override;
  Result<std::vector<std::string>> ListExpiredUploads(int64_t now_millis, int limit) override;
  Result<bool> IsBlobReferenced(std::string_view blob_id) override;
  Result<int64_t> SumVersionBytes(std::string_view space_id) override;

 private:
  class Txn;
  friend class Txn;
  using NameKey = std::tuple<std::string, std::string, std::string>;  // (space, parent, name)

  // Dentry writes that keep the NORMAL-name index in step. Caller holds mu_.
  // Every dentry write goes through these two, which move the space's dentry_generation.
  void BumpGenerationLocked(const std::string& space_id);
  void PutDentryLocked(const domain::Dentry& d);
  void EraseDentryLocked(const std::string& id);
  Result<domain::DentryPage> PageLocked(std::vector<domain::Dentry> rows,
                                        const domain::ListQuery& query);

  using UserKey = std::pair<std::string, std::string>;  // (corpId, unionId)

  std::mutex mu_;
  std::map<std::string, domain::Org, std::less<>> orgs_ GUARDED_BY(mu_);
  std::map<std::string, domain::App, std::less<>> apps_ GUARDED_BY(mu_);  // by appId
  std::map<UserKey, domain::User> users_ GUARDED_BY(mu_);
  std::map<std::string, std::string, std::less<>> settings_ GUARDED_BY(mu_);
  std::map<std::string, domain::Space, std::less<>> spaces_ GUARDED_BY(mu_);  // by id
  uint64_t next_seq_ GUARDED_BY(mu_) = 0;
  std::map<std::string, uint64_t, std::less<>> space_seq_ GUARDED_BY(mu_);       // insertion order
  std::map<std::string, domain::Dentry, std::less<>> dentries_ GUARDED_BY(mu_);  // by id
  std::map<NameKey, std::string> names_ GUARDED_BY(mu_);  // NORMAL dentries only
  std::map<std::pair<std::string, int64_t>, domain::DentryVersion> versions_ GUARDED_BY(mu_);
  std::map<std::string, domain::UploadSession, std::less<>> uploads_ GUARDED_BY(mu_);
  std::map<std::pair<std::string, int32_t>, domain::UploadPart> parts_ GUARDED_BY(mu_);
};

}  // namespace spacestore::storage
