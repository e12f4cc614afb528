// PostgresMetadataStore: the shared metadata backend for several nodes.
//
// Why SERIALIZABLE for every write transaction: the domain's invariants are written as "read,
// check, write" inside one transaction (AddSpace's find-then-insert, quota's sum-then-reserve,
// a name's check-then-place). SQLite makes those safe by running one writer at a time;
// PostgreSQL's serializable snapshot isolation gives the same guarantee without a global lock,
// at the price of aborting one of two conflicting transactions, which is then run again.
// Rejected: READ COMMITTED with SELECT ... FOR UPDATE in each aggregate (every invariant would
// need its own lock discipline, and a missed one is a silent wrong answer).
#include "storage/metadata/postgres/postgres_metadata_store.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "domain/name_rules.h"
#include "storage/metadata/postgres/migrations.h"
#include "storage/metadata/postgres/pg_db.h"
#include "storage/metadata/postgres/postgres_records.h"
#include "storage/metadata/postgres/read_coalescer.h"
#include "storage/metadata/sql/sql_rows.h"
#include "storage/metadata/sql/sql_transaction.h"

namespace spacestore::storage {
namespace {

using pg::Connection;

// The aggregates over one leased connection; built on the stack for each call.
using PostgresTransaction = sql::SqlTransaction<pg::Connection>;

// Any constant works: it names the lock that serializes migrations in this database.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7314251168)";

Result<int64_t> AppliedVersion(Connection& conn) {
  return sql::QueryOne<int64_t>(
      conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [](pg::Statement&) {},
      [](const pg::Statement& st) { return st.Int(0); }, "schema", "");
}

Result<void> Migrate(Connection& conn) {
  // One transaction under a transaction-scoped advisory lock: a second node starting at the
  // same moment waits here, then finds every migration applied. Either all pending
  // migrations apply or none does (DDL is transactional in PostgreSQL).
  if (auto r = conn.Exec("BEGIN"); !r) return r;
  if (auto r = conn.Exec(kMigrationLock); !r) return r;
  if (auto r = conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL "
                         "DEFAULT now())");
      !r) {
    return r;
  }
  auto version = AppliedVersion(conn);
  if (!version) return version.error();
  const auto migrations = pg::Migrations();
  if (*version > static_cast<int64_t>(migrations.size())) {
    (void)conn.Exec("ROLLBACK");
    return MakeError(Errc::kInternal, "schema",
                     "database schema version " + std::to_string(*version) +
                         " is newer than this binary supports");
  }
  for (auto i = static_cast<size_t>(*version); i < migrations.size(); ++i) {
    if (auto r = conn.Exec(migrations[i]); !r) return r;
    auto r = sql::Exec(conn, "INSERT INTO schema_migrations (version) VALUES ($1)",
                       [&](pg::Statement& st) { st.Bind(1, static_cast<int64_t>(i + 1)); });
    if (!r) return r;
  }
  return conn.Exec("COMMIT");
}

// The write gate, an advisory lock every write transaction takes in shared mode as its first
// statement. A transaction that lost kSharedRuns runs to serialization failures takes it
// exclusively before its next BEGIN: the server queues later shared requests behind that one,
// so it waits for the writers in flight, then runs alone and commits. Without it, a long
// transaction on a hot row (a space's quota, with many uploads committing into one space) can
// lose every run to shorter ones. Any constant works; it only names the lock.
//
// The shared lock is only *tried* inside the transaction: its first statement fixes the
// snapshot, so a writer that waited there for a lone one would start with a snapshot older than
// that one's commit and lose its run. A writer that finds the gate taken rolls back, waits for
// it outside any transaction, and begins again.
constexpr int kSharedRuns = 2;
constexpr const char* kBeginShared =
    "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT pg_try_advisory_xact_lock_shared(7314251169)";
constexpr const char* kWaitForGate =
    "SELECT pg_advisory_lock_shared(7314251169); SELECT pg_advisory_unlock_shared(7314251169)";
constexpr const char* kTakeGate = "SELECT pg_advisory_lock(7314251169)";
constexpr const char* kBeginAlone = "BEGIN ISOLATION LEVEL SERIALIZABLE";
constexpr const char* kReleaseGate = "SELECT pg_advisory_unlock(7314251169)";

// Begins a write transaction holding the gate shared; waits outside a transaction while a lone
// writer holds it.
Result<void> BeginShared(Connection& conn) {
  for (;;) {
    auto got = conn.ExecValue(kBeginShared);
    if (!got) return got.error();
    if (*got == "t") return {};
    if (auto r = conn.Exec("ROLLBACK"); !r) return r;
    if (auto r = conn.Exec(kWaitForGate); !r) return r;
  }
}

// Holds the write gate exclusively on a connection for one run of a transaction.
class GateHold {
 public:
  explicit GateHold(Connection& conn) : conn_(conn) {}
  GateHold(const GateHold&) = delete;
  GateHold& operator=(const GateHold&) = delete;
  Result<void> Take() {
    auto r = conn_.Exec(kTakeGate);
    held_ = static_cast<bool>(r);
    return r;
  }
  // A broken connection has lost its session locks with it. One that could not release the
  // gate is closed rather than returned to the pool, where it would hold every writer back.
  ~GateHold() {
    if (!held_ || conn_.broken()) return;
    if (conn_.InTransaction()) (void)conn_.Exec("ROLLBACK");
    auto released = conn_.ExecValue(kReleaseGate);
    if (!released || *released != "t") conn_.Discard();
  }

 private:
  Connection& conn_;
  bool held_ = false;
};

// Sleeps before attempt `attempt` (1-based) of a transaction: full jitter over an exponential
// bound (1 ms, 2 ms, ... up to 256 ms), so colliding transactions spread out.
void Backoff(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  const int64_t bound_us = int64_t{1000} << std::min(attempt - 1, 8);
  std::uniform_int_distribution<int64_t> pick(0, bound_us);
  std::this_thread::sleep_for(std::chrono::microseconds(pick(rng)));
}

Error Exhausted(int attempts, const Error& last) {
  return MakeError(
      Errc::kUnavailable, last.subject,
      "postgres: gave up after " + std::to_string(attempts) + " attempts: " + last.message);
}

// Whether PostgreSQL stores `text` as it is: no NUL byte (libpq would cut it short) and valid
// UTF-8 (the database encoding).
bool Storable(std::string_view text) {
  return text.find('\0') == std::string_view::npos &&
         domain::Utf8Length(text) != std::string_view::npos;
}

// Most GetSpace calls one statement answers (pg::ReadCoalescer).
constexpr size_t kMaxSpaceBatch = 64;

// A PostgreSQL array literal of the keys' space ids, for `= ANY($1::text[])`: each element
// double-quoted, with `"` and `\` escaped.
std::string TextArray(const std::vector<std::pair<std::string, std::string>>& keys) {
  std::string out = "{";
  for (const auto& key : keys) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : key.second) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace

std::string RedactPostgresUrl(std::string_view url) { return pg::RedactUrl(url); }

Result<std::unique_ptr<PostgresMetadataStore>> PostgresMetadataStore::Open(
    const std::string& url, PostgresOptions options) {
  auto pool = std::make_unique<pg::ConnectionPool>(url, options.connections);
  {
    auto conn = pool->Acquire();
    if (!conn) return conn.error();
    if (auto r = Migrate(**conn); !r) return r.error();
  }
  return std::unique_ptr<PostgresMetadataStore>(
      new PostgresMetadataStore(std::move(pool), options));
}

PostgresMetadataStore::PostgresMetadataStore(std::unique_ptr<pg::ConnectionPool> pool,
                                             PostgresOptions options)
    : pool_(std::move(pool)),
      options_(options),
      space_reads_(std::make_unique<pg::ReadCoalescer<SpaceKey, domain::Space>>(
          [this](const std::vector<SpaceKey>& keys) { return FetchSpaces(keys); },
          std::max(1, options.space_reads_in_flight), kMaxSpaceBatch)) {}

PostgresMetadataStore::~PostgresMetadataStore() = default;

Result<int> PostgresMetadataStore::SchemaVersion() {
  auto conn = pool_->Acquire();
  if (!conn) return conn.error();
  auto v = AppliedVersion(**conn);
  if (!v) return v.error();
  return static_cast<int>(*v);
}

// MetadataStore

Result<void> PostgresMetadataStore::Transact(const TransactionFn& fn) {
  Error last;
  int lost = 0;  // Runs lost to serialization failures and deadlocks (not to lost connections).
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (attempt > 1) Backoff(attempt - 1);
    auto conn = pool_->Acquire();
    if (!conn) {
      last = conn.error();
      continue;
    }
    Connection& c = **conn;
    const bool alone = lost >= kSharedRuns;
    GateHold gate(c);
    auto begun = alone ? gate.Take() : Result<void>();
    if (begun) begun = alone ? c.Exec(kBeginAlone) : BeginShared(c);
    if (!begun) {
      // A lost connection, a serialization failure, or a wait for the gate cut short (a lock
      // or statement timeout): the transaction has not started, so run it again.
      last = begun.error();
      if (c.retryable()) ++lost;
      if (!c.broken() && c.InTransaction()) (void)c.Exec("ROLLBACK");
      continue;
    }
    PostgresTransaction view(c);
    auto r = fn(view);
    // Whatever `fn` made of it, a serialization failure or a lost connection on the way means
    // the transaction cannot commit: run it again.
    if (c.broken() || c.retryable()) {
      last = r ? MakeError(Errc::kUnavailable, "", "postgres: transaction aborted") : r.error();
      if (c.retryable()) ++lost;
      if (!c.broken()) (void)c.Exec("ROLLBACK");
      continue;
    }
    if (!r) {
      (void)c.Exec("ROLLBACK");
      return r;
    }
    if (c.TransactionFailed()) {
      // A statement failed and `fn` went on anyway: COMMIT would silently roll back.
      (void)c.Exec("ROLLBACK");
      return MakeError(Errc::kInternal, "", "postgres: a statement failed inside a transaction");
    }
    auto committed = c.Exec("COMMIT");
    if (committed) return {};
    if (c.retryable()) {  // A serialization failure at COMMIT: nothing was committed.
      last = committed.error();
      ++lost;
      continue;
    }
    // The connection broke while COMMIT was in flight: it may or may not have committed.
    return MakeError(Errc::kUnavailable, committed.error().subject,
                     "postgres: outcome of COMMIT unknown: " + committed.error().message);
  }
  return Exhausted(options_.max_attempts, last);
}

template <class F>
Result<void> PostgresMetadataStore::Reading(const char* begin, F run) {
  Error last;
  // Reads are safe to repeat: a lost connection is retried on a fresh one.
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (attempt > 1) Backoff(attempt - 1);
    auto conn = pool_->Acquire();
    if (!conn) {
      last = conn.error();
      continue;
    }
    Connection& c = **conn;
    if (begin != nullptr) {
      if (auto r = c.Exec(begin); !r) {
        last = r.error();
        if (c.broken()) continue;
        return r;
      }
    }
    auto r = run(c);
    if (c.broken()) {
      last = r ? MakeError(Errc::kUnavailable, "", "postgres: connection lost") : r.error();
      continue;
    }
    // A read-only transaction ends the same whether it commits or rolls back.
    if (c.InTransaction()) (void)c.Exec("ROLLBACK");
    return r;
  }
  return Exhausted(options_.max_attempts, last);
}

Result<void> PostgresMetadataStore::View(const TransactionFn& fn) {
  return Reading("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&](Connection& c) {
    PostgresTransaction view(c);
    return fn(view);
  });
}

Result<void> PostgresMetadataStore::ReadOne(const TransactionFn& fn) {
  // In autocommit a single statement is its own consistent snapshot.
  return Reading(nullptr, [&](Connection& c) {
    PostgresTransaction view(c);
    return fn(view);
  });
}

// The fast paths: the primitive's result as it is, with no type-erased call around it.

template <class T, class F>
Result<T> PostgresMetadataStore::ReadValue(F read) {
  Result<T> out = Error{};
  auto r = Reading(nullptr, [&](Connection& c) -> Result<void> {
    out = read(c);
    if (!out) return out.error();
    return {};
  });
  if (!r) return r.error();
  return out;
}

Result<domain::Space> PostgresMetadataStore::GetSpace(std::string_view corp_id,
                                                      std::string_view space_id) {
  // Text the database refuses (a NUL byte, invalid UTF-8) is read alone: its caller gets
  // kInvalidArgument whatever else runs, and no batch has to fall back to one read per key.
  if (!Storable(corp_id) || !Storable(space_id))
    return FetchSpaces({SpaceKey(corp_id, space_id)}).front();
  return space_reads_->Get(SpaceKey(corp_id, space_id));
}

std::vector<Result<domain::Space>> PostgresMetadataStore::FetchSpaces(
    const std::vector<SpaceKey>& keys) {
  std::vector<Result<domain::Space>> out;
  out.reserve(keys.size());
  const auto one = [&](const SpaceKey& key) {
    return ReadValue<domain::Space>(
        [&](Connection& c) { return pg::PostgresSpaceRecords(c).Get(key.first, key.second); });
  };
  if (keys.size() == 1) {
    out.push_back(one(keys.front()));
    return out;
  }
  auto rows = ReadValue<std::vector<domain::Space>>([&](Connection& c) {
    return sql::QueryAll<domain::Space>(
        c, "SELECT " SPACE_COLUMNS " FROM spaces WHERE id = ANY($1::text[])",
        [&](pg::Statement& st) { st.Bind(1, TextArray(keys)); }, sql::ReadSpace<pg::Statement>);
  });
  for (const auto& key : keys) {
    if (!rows && rows.error().code == Errc::kInvalidArgument) {
      // A key the database refused although Storable passed it: each key alone, so only that
      // caller gets the error.
      out.push_back(one(key));
      continue;
    }
    if (!rows) {
      out.emplace_back(rows.error());
      continue;
    }
    const auto it = std::find_if(rows->begin(), rows->end(), [&](const domain::Space& s) {
      return s.id == key.second && s.corp_id == key.first;
    });
    if (it == rows->end()) {
      out.emplace_back(sql::NotFound("space", key.second));
    } else {
      out.emplace_back(*it);
    }
  }
  return out;
}

Result<std::vector<domain::Dentry>> PostgresMetadataStore::GetDentries(
    std::string_view space_id, const std::vector<std::string>& ids) {
  return ReadValue<std::vector<domain::Dentry>>(
      [&](Connection& c) { return pg::PostgresDentryRecords(c).GetMany(space_id, ids); });
}

}  // namespace spacestore::storage
