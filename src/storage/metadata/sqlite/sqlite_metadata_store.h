#pragma once

#include <memory>
#include <string>

#include "domain/metadata_store.h"

namespace spacestore::storage {

namespace sqlite {
class ConnectionPool;
}

struct SqliteOptions {
  // Number of pooled connections; bounds concurrent readers. Default: 8.
  int connections = 8;
};

// SqliteMetadataStore keeps metadata in one SQLite file in WAL mode with synchronous=FULL, so a
// returned write is durable. Each port method runs in one transaction (BEGIN IMMEDIATE for
// writes); uniqueness and idempotency come from UNIQUE constraints, so they hold across
// processes sharing the file (the server and `spacestore admin`).
// Thread-safety: fully thread-safe; connections come from an internal pool.
class SqliteMetadataStore final : public domain::MetadataStore {
 public:
  // Opens (creating if needed) the database at `path` and applies pending migrations.
  // kUnavailable if the file cannot be opened; kInternal if its schema is newer than this
  // binary knows.
  static Result<std::unique_ptr<SqliteMetadataStore>> Open(const std::string& path,
                                                           SqliteOptions options = {});
  ~SqliteMetadataStore() override;

  // The schema version this database is at (PRAGMA user_version).
  Result<int> SchemaVersion();

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
  explicit SqliteMetadataStore(std::unique_ptr<sqlite::ConnectionPool> pool);

  std::unique_ptr<sqlite::ConnectionPool> pool_;
};

}  // namespace spacestore::storage
