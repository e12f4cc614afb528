#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/metadata_store.h"

namespace spacestore::storage {

namespace pg {
class Connection;
class ConnectionPool;
template <class Key, class Value>
class ReadCoalescer;
}  // namespace pg

struct PostgresOptions {
  // Most connections the pool opens (on demand); bounds concurrent transactions of this node.
  // Several nodes share the server's max_connections (docs/postgres.md). Default: 16.
  int connections = 16;
  // Most runs of one Transact() when it keeps meeting serialization failures, deadlocks or
  // lost connections, before it answers kUnavailable. Default: 20.
  int max_attempts = 20;
  // Most GetSpace batches in flight at once: concurrent GetSpace calls wait for a slot and are
  // then answered together by one statement (pg::ReadCoalescer). Default: 2.
  int space_reads_in_flight = 2;
};

// PostgresMetadataStore keeps metadata in a PostgreSQL database shared by any number of
// spacestore nodes. The schema mirrors the SQLite adapter's table for table (migrations.cc).
// Transact runs at SERIALIZABLE and is run again from the start, on a fresh connection when the
// old one broke, after a serialization failure, a deadlock or a connection lost before COMMIT
// was sent, with jittered exponential backoff, up to max_attempts (from the third run on, it
// runs alone under an exclusive advisory lock, so a hot row starves no writer); a connection lost
// during COMMIT is kUnavailable (the outcome is unknown, so it is never guessed). `fn` may
// therefore run more than once and must have no effect outside the transaction. View is REPEATABLE
// READ READ ONLY; ReadOne a single statement in autocommit. The statements of each aggregate are
// the shared SQL records (storage/metadata/sql/); docs/postgres.md has the details.
// Thread-safety: fully thread-safe; connections come from an internal pool.
class PostgresMetadataStore final : public domain::MetadataStore {
 public:
  // Connects to `url` (postgres://USER[:PASS]@HOST:PORT/DB[?...], any libpq URL) and applies
  // pending migrations under an advisory lock, so nodes starting together migrate once.
  // kUnavailable if the server cannot be reached; kInternal if the schema is newer than this
  // binary knows. Error messages never hold the password.
  static Result<std::unique_ptr<PostgresMetadataStore>> Open(const std::string& url,
                                                             PostgresOptions options = {});
  ~PostgresMetadataStore() override;

  // The number of migrations applied to the database.
  Result<int> SchemaVersion();

  // MetadataStore
  Result<void> Transact(const TransactionFn& fn) override;
  Result<void> View(const TransactionFn& fn) override;
  Result<void> ReadOne(const TransactionFn& fn) override;
  Result<domain::Space> GetSpace(std::string_view corp_id, std::string_view space_id) override;
  Result<std::vector<domain::Dentry>> GetDentries(std::string_view space_id,
                                                  const std::vector<std::string>& ids) override;

 private:
  PostgresMetadataStore(std::unique_ptr<pg::ConnectionPool> pool, PostgresOptions options);
  // Runs `run` on a leased connection, after `begin` (a BEGIN of a read-only transaction) unless
  // null, again on a fresh connection if the connection is lost.
  template <class F>
  Result<void> Reading(const char* begin, F run);
  // One primitive's value read in autocommit through Reading (the fast paths).
  template <class T, class F>
  Result<T> ReadValue(F read);
  // Reads the spaces of many (corp id, space id) keys with one statement; an answer per key.
  using SpaceKey = std::pair<std::string, std::string>;
  std::vector<Result<domain::Space>> FetchSpaces(const std::vector<SpaceKey>& keys);

  std::unique_ptr<pg::ConnectionPool> pool_;
  const PostgresOptions options_;
  std::unique_ptr<pg::ReadCoalescer<SpaceKey, domain::Space>> space_reads_;
};

// `url` with its password removed (from the user part and from a password= parameter), for
// logs and error messages.
std::string RedactPostgresUrl(std::string_view url);

}  // namespace spacestore::storage
