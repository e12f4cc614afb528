#include "storage/metadata/sqlite/sqlite_db.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "domain/store_errors.h"

namespace spacestore::storage::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 10000;

Error SqliteError(sqlite3* db, int rc) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_COMMITHOOK) {
        return MakeError(Errc::kInternal, "",
                         "sqlite: write refused: it did not run in a WriteTransaction, which "
                         "marks the write sequence, or the sequence was moved behind its back "
                         "while it ran (sqlite/write_seq.h)");
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return MakeError(Errc::kNotFound, "parent", std::string("sqlite: ") + msg);
      }
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return MakeError(Errc::kAlreadyExists, "", std::string("sqlite: ") + msg);
      }
      break;
    case SQLITE_FULL:
      return MakeError(Errc::kUnavailable, domain::kSubjectStorageFull,
                       std::string("sqlite: ") + msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return MakeError(Errc::kUnavailable, "", std::string("sqlite: ") + msg);
    default:
      break;
  }
  return MakeError(Errc::kInternal, "", std::string("sqlite: ") + msg);
}

// Puts the database in WAL mode. On a fresh file the switch needs an exclusive lock, and when
// several processes open the same fresh file at once SQLite answers BUSY at once instead of
// calling the busy handler (its deadlock avoidance): nodes started together lost their start to
// "database is locked". Retried here for as long as the busy timeout.
Result<void> EnterWal(sqlite3* db) {
  constexpr int kStepMs = 10;
  int rc = SQLITE_OK;
  for (int waited = 0;; waited += kStepMs) {
    rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || waited >= kBusyTimeoutMs) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(kStepMs));
  }
  if (rc != SQLITE_OK) return SqliteError(db, rc);
  return {};
}

}  // namespace

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int pos, std::string_view text) {
  sqlite3_bind_text(stmt_, pos, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int pos, int64_t value) {
  sqlite3_bind_int64(stmt_, pos, value);
  return *this;
}

Statement& Statement::Bind(int pos, std::optional<int64_t> value) {
  if (value) return Bind(pos, *value);
  sqlite3_bind_null(stmt_, pos);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(stmt_), sqlite3_extended_errcode(sqlite3_db_handle(stmt_)));
}

Result<void> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

std::string Statement::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::optional<int64_t> Statement::OptionalInt(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return Int(col);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path) {
  // Before SQLite's first use: without memory statistics its allocator takes no global mutex,
  // which every connection's every malloc otherwise contends on.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  // Create the file owner-only ourselves: SQLite would make it 0644 less the umask, and it gives
  // the -wal and -shm files the database file's mode. An empty file is an empty database.
  // O_EXCL: only a file that did not exist is opened here. Closing a descriptor of a file this
  // process's connections already use would drop their POSIX locks on it (locks are per
  // process), and another process could then checkpoint and delete the WAL under them.
  if (path != ":memory:" && !path.starts_with("file:")) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::close(fd);
    } else if (errno != EEXIST) {
      return MakeError(Errc::kUnavailable, "",
                       "cannot create " + path + ": " + std::strerror(errno));
    }
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc);
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  if (path != ":memory:" && !path.starts_with("file:")) {
    // Beside the file itself: a database reached through a symlink has one sequence.
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::canonical(path, ec);
    auto seq = WriteSeq::Open((ec ? std::string(path) : real.string()) + "-seq");
    if (!seq) return seq.error();
    conn->seq_ = std::move(*seq);
  }
  // Writers wait for each other (and for the admin CLI) instead of failing at once.
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // WAL lets readers run beside the writer; synchronous=FULL makes every commit durable
  // before it returns, which is what a 2xx promises.
  if (auto r = EnterWal(db); !r) return r.error();
  if (auto r = conn->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                          "PRAGMA temp_store=MEMORY;");
      !r) {
    return r.error();
  }
  // From here on, every commit that writes must be a WriteTransaction's. The first switch to
  // WAL above writes the file header in a transaction of its own, which SQLite commits through
  // the hook: it comes before, as it changes no row a view could hold.
  sqlite3_commit_hook(db, &Connection::RefuseUnmarkedCommit, conn.get());
  return conn;
}

int Connection::RefuseUnmarkedCommit(void* arg) {
  const auto* conn = static_cast<const Connection*>(arg);
  if (!conn->writing_) return 1;
  // Under the write lock the sequence holds this transaction's mark: only a writer holding the
  // lock moves it. Any other value means it was moved behind the rule's back, and a view may
  // have been filled meanwhile; refusing keeps that view from outliving this commit.
  return conn->seq_ != nullptr && conn->seq_->Load() != conn->write_token_ ? 1 : 0;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<Statement> Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc);
    it = cache_.emplace(sql, stmt).first;
  }
  return {boost::system::in_place_value, it->second};
}

Result<void> Connection::Exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_));
  return {};
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

Result<void> Connection::BeginSnapshot() {
  auto st = Prepare("BEGIN");
  if (!st) return st.error();
  return st->Run();
}

Result<void> Connection::EndSnapshot() {
  auto st = Prepare("COMMIT");
  if (!st) return st.error();
  return st->Run();
}

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Connection>> conns)
    : free_(std::move(conns)) {}

ConnectionPool::Lease ConnectionPool::Acquire() {
  MutexLock lock(mu_);
  while (free_.empty()) cv_.Wait(mu_);
  auto conn = std::move(free_.back());
  free_.pop_back();
  return {*this, std::move(conn)};
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  // A snapshot whose COMMIT failed would otherwise pin the next user (GetSpace's view among
  // them) to old data. Ignored: a ROLLBACK fails only when there is nothing left to end.
  if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
  {
    MutexLock lock(mu_);
    free_.push_back(std::move(conn));
  }
  cv_.Signal();
}

ConnectionPool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

Result<WriteTransaction> WriteTransaction::Begin(Connection& conn) {
  if (auto r = conn.Exec("BEGIN IMMEDIATE"); !r) return r.error();
  // The write lock is held from here: marking the sequence now covers the commit.
  const uint64_t token = conn.write_seq() ? conn.write_seq()->BeginWrite() : 0;
  conn.writing_ = true;
  conn.write_token_ = token;
  return WriteTransaction(conn, token);
}

WriteTransaction::~WriteTransaction() {
  if (conn_ == nullptr) return;
  // Ignored: a ROLLBACK fails only when SQLite has already rolled the transaction back on its
  // own (after a full disk, an I/O error or BUSY), which is the state wanted here.
  (void)conn_->Exec("ROLLBACK");
  EndWrite();
}

Result<void> WriteTransaction::Commit() {
  auto r = conn_->Exec("COMMIT");
  if (r) {
    EndWrite();
    conn_ = nullptr;
  }
  return r;
}

void WriteTransaction::EndWrite() {
  conn_->writing_ = false;
  if (WriteSeq* seq = conn_->write_seq()) seq->EndWrite(token_);
}

}  // namespace spacestore::storage::sqlite
