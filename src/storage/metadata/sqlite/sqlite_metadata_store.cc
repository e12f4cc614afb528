// SqliteMetadataStore: the embedded metadata backend.
//
// Every statement is a string literal prepared once per pooled connection. Writes run under
// BEGIN IMMEDIATE, which takes the write lock up front, so two read-then-write transactions
// never deadlock on a lock upgrade. Keeping invariants in constraints rather than in C++ checks
// is deliberate: the admin command writes the same file from another process.
#include "storage/metadata/sqlite/sqlite_metadata_store.h"

#include "domain/memory_only.h"
#include "storage/metadata/sql/sql_rows.h"
#include "storage/metadata/sql/sql_transaction.h"
#include "storage/metadata/sqlite/migrations.h"
#include "storage/metadata/sqlite/space_view.h"
#include "storage/metadata/sqlite/sqlite_db.h"
#include "storage/metadata/sqlite/sqlite_records.h"
#include "storage/metadata/sqlite/write_seq.h"

namespace spacestore::storage {
namespace {

using sqlite::Connection;

// The aggregates over one leased connection; built on the stack for each call.
using SqliteTransaction = sql::SqlTransaction<sqlite::Connection>;

Result<int64_t> UserVersion(Connection& conn) {
  return sql::QueryOne<int64_t>(
      conn, "PRAGMA user_version", [](sqlite::Statement&) {},
      [](const sqlite::Statement& st) { return st.Int(0); }, "schema", "");
}

// Whether the calling thread may not wait for the database (domain/memory_only.h); if so, the
// refusal to return instead of reading it.
std::optional<Error> MemoryOnlyRefusal() {
  if (!domain::MemoryOnly::Refuse()) return std::nullopt;
  return MakeError(Errc::kUnavailable, "store", "not held in memory");
}

}  // namespace

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::Open(const std::string& path,
                                                                       SqliteOptions options) {
  std::vector<std::unique_ptr<Connection>> conns;
  for (int i = 0; i < std::max(1, options.connections); ++i) {
    auto conn = Connection::Open(path);
    if (!conn) return conn.error();
    conns.push_back(std::move(*conn));
  }
  // Migrate on the first connection; BEGIN IMMEDIATE serializes concurrent starters.
  Connection& conn = *conns.front();
  {
    auto tx = sqlite::WriteTransaction::Begin(conn);
    if (!tx) return tx.error();
    auto version = UserVersion(conn);
    if (!version) return version.error();
    const auto migrations = sqlite::Migrations();
    if (*version > static_cast<int64_t>(migrations.size())) {
      return MakeError(Errc::kInternal, "schema",
                       "database schema version " + std::to_string(*version) +
                           " is newer than this binary supports");
    }
    for (auto i = static_cast<size_t>(*version); i < migrations.size(); ++i) {
      if (auto r = conn.Exec(migrations[i]); !r) return r.error();
      const std::string bump = "PRAGMA user_version = " + std::to_string(i + 1);
      if (auto r = conn.Exec(bump.c_str()); !r) return r.error();
    }
    if (auto r = tx->Commit(); !r) return r.error();
  }
  sqlite::WriteSeq* seq = conn.write_seq();
  return std::unique_ptr<SqliteMetadataStore>(
      new SqliteMetadataStore(std::make_unique<sqlite::ConnectionPool>(std::move(conns)), seq));
}

SqliteMetadataStore::SqliteMetadataStore(std::unique_ptr<sqlite::ConnectionPool> pool,
                                         sqlite::WriteSeq* seq)
    : pool_(std::move(pool)), seq_(seq), spaces_(std::make_unique<sqlite::SpaceView>()) {}

SqliteMetadataStore::~SqliteMetadataStore() = default;

Result<int> SqliteMetadataStore::SchemaVersion() {
  auto conn = pool_->Acquire();
  auto v = UserVersion(*conn);
  if (!v) return v.error();
  return static_cast<int>(*v);
}

// MetadataStore

Result<void> SqliteMetadataStore::Transact(const TransactionFn& fn) {
  if (auto refused = MemoryOnlyRefusal()) return *refused;
  auto conn = pool_->Acquire();
  auto tx = sqlite::WriteTransaction::Begin(*conn);
  if (!tx) return tx.error();
  SqliteTransaction view(*conn);
  if (auto r = fn(view); !r) return r;  // The WriteTransaction rolls back.
  return tx->Commit();
}

Result<void> SqliteMetadataStore::View(const TransactionFn& fn) {
  if (auto refused = MemoryOnlyRefusal()) return *refused;
  auto conn = pool_->Acquire();
  // A deferred transaction takes no lock until its first read, and then only a read lock: in
  // WAL mode it never waits for writers.
  if (auto r = conn->Exec("BEGIN DEFERRED"); !r) return r;
  SqliteTransaction view(*conn);
  auto r = fn(view);
  // The transaction must end before the connection goes back to the pool. Ending one that only
  // read cannot fail or lose anything; a COMMIT fails here when `fn` wrote, which the commit
  // hook refuses (sqlite_db.h), and that refusal is the answer. A failed COMMIT leaves the
  // transaction open: a ROLLBACK follows. That one is ignored, as it fails only when SQLite has
  // already rolled back on its own, the state wanted.
  if (r) r = conn->Exec("COMMIT");
  if (!r && conn->InTransaction()) (void)conn->Exec("ROLLBACK");
  return r;
}

Result<void> SqliteMetadataStore::ReadOne(const TransactionFn& fn) {
  if (auto refused = MemoryOnlyRefusal()) return *refused;
  // In autocommit mode a single statement is its own consistent snapshot.
  auto conn = pool_->Acquire();
  SqliteTransaction view(*conn);
  return fn(view);
}

// The fast paths: the primitive's result as it is, with no type-erased call around it.

Result<domain::Space> SqliteMetadataStore::GetSpace(std::string_view corp_id,
                                                    std::string_view space_id) {
  // The sequence is read before the row: a row kept under it is at least that new. An
  // in-memory database has no sequence and keeps nothing.
  const uint64_t seq = seq_ != nullptr ? seq_->Load() : 1;
  const bool keep = seq_ != nullptr && sqlite::WriteSeq::Stable(seq);
  if (keep) {
    if (auto held = spaces_->Find(corp_id, space_id, seq)) return std::move(*held);
  }
  if (auto refused = MemoryOnlyRefusal()) return *refused;
  auto space = [&] {
    auto conn = pool_->Acquire();
    return sqlite::SqliteSpaceRecords(*conn).Get(corp_id, space_id);
  }();
  if (space && keep && seq_->Load() == seq) spaces_->Put(seq, *space);
  return space;
}

Result<std::vector<domain::Dentry>> SqliteMetadataStore::GetDentries(
    std::string_view space_id, const std::vector<std::string>& ids) {
  if (auto refused = MemoryOnlyRefusal()) return *refused;
  auto conn = pool_->Acquire();
  return sqlite::SqliteDentryRecords(*conn).GetMany(space_id, ids);
}

}  // namespace spacestore::storage
