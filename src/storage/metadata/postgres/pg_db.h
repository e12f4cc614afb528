#pragma once

// Thin RAII layer over libpq, private to the PostgreSQL adapter: a connection with its cache of
// prepared statements, a statement with positional parameters (the statement shape of
// storage/metadata/sql/sql_rows.h, which the SQLite adapter provides too, so each aggregate's
// records are written once), and a pool that discards broken connections.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"
#include "storage/metadata/sql/dialect.h"

namespace spacestore::storage::pg {

// Owns one PGresult.
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

class Connection;

// One execution of a cached prepared statement. Parameters are 1-based like PostgreSQL's $n and
// sent as text; a parameter never bound is NULL. Step() runs the statement on its first call
// and then walks the returned rows; Run() runs a statement that returns none.
// Thread-safety: confined to the thread that holds the owning Connection.
class Statement {
 public:
  Statement(Connection& conn, const char* sql) : conn_(&conn), sql_(sql) {}

  Statement& Bind(int pos, std::string_view text);
  Statement& Bind(int pos, int64_t value);
  Statement& Bind(int pos, std::optional<int64_t> value);  // nullopt binds NULL

  // True if a row is ready, false when done. Errors as Connection::Execute.
  Result<bool> Step();
  // Runs a statement without rows. Inside a transaction it runs under a savepoint, so a
  // failure (a UNIQUE clash the domain handles) leaves the transaction usable, as in SQLite.
  Result<void> Run();
  std::string Text(int col) const;
  int64_t Int(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;

 private:
  Result<void> Execute(bool savepoint);

  Connection* conn_;
  const char* sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
  PgResult result_;
  int row_ = -1;
  bool has_nul_ = false;  // A bound text holds a NUL byte: refused with kInvalidArgument.
};

// One connection to the server with its prepared statements.
// Thread-safety: not thread-safe; the pool hands each one to a single thread at a time.
class Connection {
 public:
  using Statement = pg::Statement;
  static constexpr sql::Dialect kDialect = sql::Dialect::kPostgres;

  // Connects to the libpq URL `url` (postgres:// or postgresql://). kUnavailable when the
  // server cannot be reached or refuses the login; the message never holds the password.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A statement for `sql`, prepared on first use. `sql` must outlive the connection (a string
  // literal or a static table): the cache is keyed by its address. Parameters are written $NNN
  // or, as in SQLite, ?NNN (translated once, when the statement is prepared). Never fails: a
  // statement is prepared when it first runs; the Result is the shape both backends share.
  Result<Statement> Prepare(const char* sql) { return {boost::system::in_place_value, *this, sql}; }
  // Runs one or more statements without parameters or rows (DDL, BEGIN, COMMIT).
  Result<void> Exec(const char* sql);
  // Runs one or more statements without parameters, as Exec, and returns the first column of
  // the first row of the last one's result ("" when it has no rows).
  Result<std::string> ExecValue(const char* sql);

  // Runs prepared statement `sql` with text parameters. Errors: kAlreadyExists for a UNIQUE
  // violation, kNotFound (subject "parent") for a FOREIGN KEY one, kUnavailable for a lost
  // connection, a serialization failure, a deadlock or a full disk, kInvalidArgument for text
  // the database encoding refuses, kInternal otherwise.
  Result<PgResult> Execute(const char* sql, const std::vector<std::optional<std::string>>& values,
                           const std::vector<Oid>& types);

  // Rows the last Execute() inserted, updated or deleted.
  int64_t Changes() const { return changes_; }
  // Runs `sql`, built at run time, once without preparing it (PQexecParams). Errors as Execute.
  Result<PgResult> Query(const std::string& sql,
                         const std::vector<std::optional<std::string>>& values,
                         const std::vector<Oid>& types);

  // Whether a transaction block is open (BEGIN ... not yet ended).
  bool InTransaction() const;
  // A read snapshot for reads of several statements outside a transaction: REPEATABLE READ
  // READ ONLY, and the COMMIT that ends it (after a failed read it answers ROLLBACK, and the
  // connection is idle again either way).
  Result<void> BeginSnapshot() { return Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  Result<void> EndSnapshot() { return Exec("COMMIT"); }
  // A statement failed inside the open transaction, which can now only roll back.
  bool TransactionFailed() const;
  // The connection failed (lost, or the server shut down): the pool discards it.
  bool broken() const { return broken_; }
  // Marks the connection broken, so the pool closes it rather than reuse it (it may hold a
  // session lock it could not release).
  void Discard() { broken_ = true; }
  // A statement since the last ClearRetry() failed in a way that retrying the whole
  // transaction may cure (serialization failure, deadlock).
  bool retryable() const { return retryable_; }
  void ClearRetry() { retryable_ = false; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // The result of a statement, or its error (Fail); records the rows it changed.
  Result<PgResult> Finish(PgResult r);
  // Maps a failed result (or none) to an Error and records broken and retryable.
  Error Fail(const PGresult* result);

  PGconn* conn_;
  struct Prepared {
    std::string name;
    size_t parameters = 0;
  };
  std::unordered_map<const char*, Prepared> prepared_;  // Keyed by the SQL's address.
  int64_t changes_ = 0;
  bool broken_ = false;
  bool retryable_ = false;
};

// Up to `max_connections` connections to one database, opened on demand. Acquire() blocks
// while all are in use. A connection that broke, or that comes back with a transaction still
// open, is closed instead of reused.
// Thread-safety: thread-safe.
class ConnectionPool {
 public:
  // A leased connection, returned to the pool on destruction.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  ConnectionPool(std::string url, int max_connections);
  // A free connection, or a new one while fewer than the maximum are open. kUnavailable when a
  // new connection cannot be opened.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Connection> conn);

  const std::string url_;
  const int max_;
  Mutex mu_;
  CondVar cv_;  // Signalled when a connection comes back or a slot frees.
  std::vector<std::unique_ptr<Connection>> free_ GUARDED_BY(mu_);
  int open_ GUARDED_BY(mu_) = 0;  // Connections that exist or are being opened.
};

// `sql` with each ?NNN parameter written $NNN, PostgreSQL's form. String literals, quoted
// identifiers and comments are copied as they are; so is a `?` not followed by a digit.
std::string DollarParameters(std::string_view sql);

// Removes the password from a libpq URL (userinfo and a password= parameter), for logs and
// error messages.
std::string RedactUrl(std::string_view url);

}  // namespace spacestore::storage::pg
