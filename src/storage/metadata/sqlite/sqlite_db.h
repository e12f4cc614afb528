#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>

#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"
#include "storage/metadata/sql/dialect.h"
#include "storage/metadata/sqlite/write_seq.h"

namespace spacestore::storage::sqlite {

// Thin RAII layer over the SQLite C API, private to the SQLite adapter. Connection and Statement
// have the statement shape of storage/metadata/sql/sql_rows.h, which the PostgreSQL adapter
// provides too, so each aggregate's records are written once.

// A prepared statement borrowed from a Connection's cache. Resets and clears its bindings when
// it goes out of scope so the cached statement is ready for the next user.
// Thread-safety: confined to the thread that holds the owning Connection.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binders take 1-based positions, like SQLite.
  Statement& Bind(int pos, std::string_view text);
  Statement& Bind(int pos, int64_t value);
  Statement& Bind(int pos, std::optional<int64_t> value);  // nullopt binds NULL

  // Steps once: true if a row is ready, false when done. SQLite errors become an Error
  // (kAlreadyExists for UNIQUE/PRIMARY KEY, kNotFound with subject "parent" for FOREIGN KEY,
  // kUnavailable for BUSY, kInternal otherwise).
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Result<void> Run();

  std::string Text(int col) const;
  int64_t Int(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

// One database connection with its statement cache.
//
// A connection commits only inside a WriteTransaction: its commit hook turns any other commit
// that wrote (an autocommit INSERT, a write inside a read transaction) into a ROLLBACK, and the
// statement fails with kInternal. That is what keeps the write sequence exact for SpaceView: a
// write that forgot the WriteTransaction is refused, not left unmarked. Read-only transactions
// never reach the hook (SQLite calls it only for transactions that wrote).
// Thread-safety: not thread-safe; the pool hands each one to a single thread at a time.
class Connection {
 public:
  using Statement = sqlite::Statement;
  static constexpr sql::Dialect kDialect = sql::Dialect::kSqlite;

  static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A cached prepared statement for `sql`. `sql` must be a string literal (or otherwise
  // outlive the connection): the cache is keyed by its address.
  Result<Statement> Prepare(const char* sql);
  // Runs one or more statements without results (DDL, PRAGMA, BEGIN/COMMIT).
  Result<void> Exec(const char* sql);
  int64_t Changes() const;
  // Whether a transaction is open (BEGIN ... not yet ended).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // A read snapshot for reads of several statements outside a transaction: a deferred BEGIN,
  // and the COMMIT that ends it (both cached statements: sqlite3_exec would parse them on
  // every read).
  Result<void> BeginSnapshot();
  Result<void> EndSnapshot();
  sqlite3* raw() const { return db_; }
  // The database file's shared write sequence; null for an in-memory database.
  WriteSeq* write_seq() const { return seq_.get(); }

 private:
  friend class WriteTransaction;

  explicit Connection(sqlite3* db) : db_(db) {}
  // The commit hook (sqlite3_commit_hook): non-zero refuses the commit.
  static int RefuseUnmarkedCommit(void* conn);

  sqlite3* db_;
  std::unique_ptr<WriteSeq> seq_;
  // Set by this connection's WriteTransaction between BEGIN IMMEDIATE and its end: the only
  // time a commit may write. `write_token_` is its WriteSeq mark (0 without a WriteSeq).
  bool writing_ = false;
  uint64_t write_token_ = 0;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// A fixed pool of connections to one database file. Lease() blocks until one is free.
// Thread-safety: thread-safe.
class ConnectionPool {
 public:
  // A leased connection, returned to the pool on destruction.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> conns);
  Lease Acquire();

 private:
  void Release(std::unique_ptr<Connection> conn);

  Mutex mu_;
  CondVar cv_;  // Signalled when a connection comes back.
  std::vector<std::unique_ptr<Connection>> free_ GUARDED_BY(mu_);
};

// BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed. IMMEDIATE takes the
// write lock up front, so two read-then-write transactions never deadlock on upgrade. Every
// write to a database goes through one, which marks the file's WriteSeq around it: the
// connection's commit hook refuses a write anywhere else (see Connection).
// Thread-safety: confined, with its connection, to one thread.
class WriteTransaction {
 public:
  static Result<WriteTransaction> Begin(Connection& conn);
  WriteTransaction(WriteTransaction&& other) noexcept : conn_(other.conn_), token_(other.token_) {
    other.conn_ = nullptr;
  }
  WriteTransaction(const WriteTransaction&) = delete;
  ~WriteTransaction();
  Result<void> Commit();

 private:
  WriteTransaction(Connection& conn, uint64_t token) : conn_(&conn), token_(token) {}
  // Ends the write on the WriteSeq, once the transaction has committed or rolled back.
  void EndWrite();

  Connection* conn_;
  uint64_t token_;  // From WriteSeq::BeginWrite; unused without a WriteSeq.
};

}  // namespace spacestore::storage::sqlite
