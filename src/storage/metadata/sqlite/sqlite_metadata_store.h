#pragma once

#include <memory>
#include <string>

#include "domain/metadata_store.h"

namespace spacestore::storage {

namespace sqlite {
class ConnectionPool;
class SpaceView;
class WriteSeq;
}  // namespace sqlite

struct SqliteOptions {
  // Number of pooled connections; bounds concurrent readers. Default: 8.
  int connections = 8;
};

// SqliteMetadataStore keeps metadata in one SQLite file in WAL mode with synchronous=FULL, so a
// returned write is durable. Transact is BEGIN IMMEDIATE ... COMMIT, View a deferred read
// transaction, ReadOne a single statement in autocommit mode; the statements of each aggregate
// are the shared SQL records (storage/metadata/sql/sql_<aggregate>_records_impl.h). Uniqueness
// comes from UNIQUE constraints and writers are serialized by the database file's lock, so the
// invariants hold across processes sharing the file (the server and `spacestore admin`).
// GetSpace answers from a SpaceView while the file's WriteSeq shows no commit since the space
// was read (sqlite/write_seq.h), so the hottest read needs no database access and stays exact
// across those processes.
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
  Result<void> Transact(const TransactionFn& fn) override;
  Result<void> View(const TransactionFn& fn) override;
  Result<void> ReadOne(const TransactionFn& fn) override;
  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override;
  Result<std::vector<domain::Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids) override;

 private:
  SqliteMetadataStore(std::unique_ptr<sqlite::ConnectionPool> pool, sqlite::WriteSeq* seq);

  std::unique_ptr<sqlite::ConnectionPool> pool_;
  sqlite::WriteSeq* seq_;  // The first connection's; null for an in-memory database.
  std::unique_ptr<sqlite::SpaceView> spaces_;
};

}  // namespace spacestore::storage
