// libpq wrappers for the PostgreSQL adapter. Every statement is prepared once per connection
// (PQprepare, keyed by the SQL literal's address) and sent with text parameters: text results
// parse the same whatever the column's integer width or numeric type (SUM gives numeric), and a
// prepared statement saves the planning on every request, which GetSpace's cost is mostly.
#include "storage/metadata/postgres/pg_db.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "domain/store_errors.h"

namespace spacestore::storage::pg {
namespace {

constexpr Oid kTextOid = 25;
constexpr Oid kInt8Oid = 20;

std::string_view SqlState(const PGresult* r) {
  const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return s ? std::string_view(s) : std::string_view();
}

// The server's primary message only: DETAIL holds the values of a violated key, which may be
// anything a client sent.
std::string PrimaryMessage(const PGresult* r, PGconn* conn) {
  const char* m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string out = m ? m : PQerrorMessage(conn);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return "postgres: " + out;
}

// The highest $n in `sql`: how many parameters the prepared statement takes.
size_t ParameterCount(std::string_view sql) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < sql.size(); ++i) {
    if (sql[i] != '$') continue;
    size_t v = 0;
    const auto [end, ec] = std::from_chars(sql.data() + i + 1, sql.data() + sql.size(), v);
    if (ec == std::errc()) n = std::max(n, v);
    i = static_cast<size_t>(end - sql.data()) - 1;
  }
  return n;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

// ---- Statement ----

Statement& Statement::Bind(int pos, std::string_view text) {
  const auto i = static_cast<size_t>(pos - 1);
  if (values_.size() <= i) {
    values_.resize(i + 1);
    types_.resize(i + 1, 0);
  }
  values_[i] = std::string(text);
  types_[i] = kTextOid;
  // libpq sends parameters as C strings: a NUL would cut the value short without a word.
  if (text.find('\0') != std::string_view::npos) has_nul_ = true;
  return *this;
}

Statement& Statement::Bind(int pos, int64_t value) {
  Bind(pos, std::string_view(std::to_string(value)));
  types_[static_cast<size_t>(pos - 1)] = kInt8Oid;
  return *this;
}

Statement& Statement::Bind(int pos, std::optional<int64_t> value) {
  if (value) return Bind(pos, *value);
  const auto i = static_cast<size_t>(pos - 1);
  if (values_.size() <= i) {
    values_.resize(i + 1);
    types_.resize(i + 1, 0);
  }
  values_[i].reset();
  types_[i] = kInt8Oid;
  return *this;
}

Result<void> Statement::Execute(bool savepoint) {
  if (has_nul_) {
    return MakeError(Errc::kInvalidArgument, "",
                     "postgres: text holds a NUL byte, which it cannot store");
  }
  // Inside a transaction PostgreSQL aborts the whole transaction on any error, where SQLite
  // fails only the statement; the domain relies on the latter (a name clash is answered by
  // placing the dentry elsewhere in the same transaction), so writes get a savepoint.
  const bool guard = savepoint && conn_->InTransaction();
  if (guard) {
    if (auto r = conn_->Exec("SAVEPOINT w"); !r) return r.error();
  }
  auto r = conn_->Execute(sql_, values_, types_);
  if (!r) {
    if (guard && !conn_->broken()) (void)conn_->Exec("ROLLBACK TO SAVEPOINT w");
    return r.error();
  }
  result_ = std::move(*r);
  row_ = -1;
  if (guard) return conn_->Exec("RELEASE SAVEPOINT w");
  return {};
}

Result<bool> Statement::Step() {
  if (!result_) {
    if (auto r = Execute(false); !r) return r.error();
  }
  ++row_;
  return row_ < PQntuples(result_.get());
}

Result<void> Statement::Run() { return Execute(true); }

std::string Statement::Text(int col) const {
  return {PQgetvalue(result_.get(), row_, col),
          static_cast<size_t>(PQgetlength(result_.get(), row_, col))};
}

int64_t Statement::Int(int col) const {
  const char* p = PQgetvalue(result_.get(), row_, col);
  const int len = PQgetlength(result_.get(), row_, col);
  // EXISTS (...) is a boolean: 't' or 'f' in text form.
  if (len == 1 && (*p == 't' || *p == 'f')) return *p == 't' ? 1 : 0;
  int64_t v = 0;
  std::from_chars(p, p + len, v);
  return v;
}

std::optional<int64_t> Statement::OptionalInt(int col) const {
  if (PQgetisnull(result_.get(), row_, col)) return std::nullopt;
  return Int(col);
}

// ---- Connection ----

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  // Defaults before the URL (which may override them), the encoding after it (which may not):
  // every text the domain stores is UTF-8.
  const std::array<const char*, 5> keys = {"connect_timeout", "application_name", "dbname",
                                           "client_encoding", nullptr};
  const std::array<const char*, 5> values = {"10", "spacestore", url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  if (conn == nullptr) return MakeError(Errc::kUnavailable, "", "postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(conn);
    return MakeError(Errc::kUnavailable, "", "cannot connect to " + RedactUrl(url) + ": " + msg);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  std::unique_ptr<Connection> out(new Connection(conn));
  // A commit returns once it is flushed to the server's disk, whatever the server's default:
  // a 2xx promises durability.
  if (auto r = out->Exec("SET synchronous_commit TO on"); !r) return r.error();
  return out;
}

Connection::~Connection() { PQfinish(conn_); }

Error Connection::Fail(const PGresult* result) {
  const std::string_view state = SqlState(result);
  std::string msg = PrimaryMessage(result, conn_);
  if (PQstatus(conn_) != CONNECTION_OK || state.starts_with("08") || state == "57P01" ||
      state == "57P02" || state == "57P03") {
    broken_ = true;
    return MakeError(Errc::kUnavailable, "", std::move(msg));
  }
  if (state == "40001" || state == "40P01") {
    retryable_ = true;
    return MakeError(Errc::kUnavailable, "", std::move(msg));
  }
  if (state == "23505") return MakeError(Errc::kAlreadyExists, "", std::move(msg));
  if (state == "23503") return MakeError(Errc::kNotFound, "parent", std::move(msg));
  if (state == "53100") {
    return MakeError(Errc::kUnavailable, domain::kSubjectStorageFull, std::move(msg));
  }
  // Insufficient resources, a cancelled statement or a lock not available: the database is
  // busy, not wrong.
  if (state.starts_with("53") || state == "57014" || state == "55P03") {
    return MakeError(Errc::kUnavailable, "", std::move(msg));
  }
  // Text the database encoding cannot hold (a NUL byte, invalid UTF-8).
  if (state == "22021" || state == "22P05") {
    return MakeError(Errc::kInvalidArgument, "", std::move(msg));
  }
  return MakeError(Errc::kInternal, "", std::move(msg));
}

Result<void> Connection::Exec(const char* sql) {
  if (auto r = ExecValue(sql); !r) return r.error();
  return {};
}

Result<std::string> Connection::ExecValue(const char* sql) {
  PgResult r(PQexec(conn_, sql));
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Fail(r.get());
  if (PQntuples(r.get()) == 0 || PQnfields(r.get()) == 0) return std::string();
  return std::string(PQgetvalue(r.get(), 0, 0));
}

Result<PgResult> Connection::Execute(const char* sql,
                                     const std::vector<std::optional<std::string>>& values,
                                     const std::vector<Oid>& types) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string text = DollarParameters(sql);
    Prepared prepared{"s" + std::to_string(prepared_.size()), ParameterCount(text)};
    // Parameter types from the first binding; an unbound one (NULL) is inferred by the server.
    std::vector<Oid> oids(types);
    oids.resize(prepared.parameters, 0);
    PgResult p(PQprepare(conn_, prepared.name.c_str(), text.c_str(), static_cast<int>(oids.size()),
                         oids.empty() ? nullptr : oids.data()));
    if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK) return Fail(p.get());
    it = prepared_.emplace(sql, std::move(prepared)).first;
  }
  // Parameters past the last one bound are NULL, as in SQLite.
  std::vector<const char*> params(it->second.parameters, nullptr);
  for (size_t i = 0; i < values.size() && i < params.size(); ++i) {
    params[i] = values[i] ? values[i]->c_str() : nullptr;
  }
  return Finish(
      PgResult(PQexecPrepared(conn_, it->second.name.c_str(), static_cast<int>(params.size()),
                              params.data(), nullptr, nullptr, 0)));
}

Result<PgResult> Connection::Query(const std::string& sql,
                                   const std::vector<std::optional<std::string>>& values,
                                   const std::vector<Oid>& types) {
  std::vector<const char*> params(values.size());
  for (size_t i = 0; i < values.size(); ++i) params[i] = values[i] ? values[i]->c_str() : nullptr;
  return Finish(PgResult(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()),
                                      types.empty() ? nullptr : types.data(), params.data(),
                                      nullptr, nullptr, 0)));
}

Result<PgResult> Connection::Finish(PgResult r) {
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Fail(r.get());
  const char* n = PQcmdTuples(r.get());
  changes_ = 0;
  std::from_chars(n, n + std::strlen(n), changes_);
  return r;
}

bool Connection::InTransaction() const {
  const auto s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
}

bool Connection::TransactionFailed() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

// ---- ConnectionPool ----

ConnectionPool::ConnectionPool(std::string url, int max_connections)
    : url_(std::move(url)), max_(std::max(1, max_connections)) {}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    MutexLock lock(mu_);
    while (free_.empty() && open_ >= max_) cv_.Wait(mu_);
    if (!free_.empty()) {
      auto conn = std::move(free_.back());
      free_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;  // A slot for the connection opened below, outside the lock.
  }
  auto conn = Connection::Open(url_);
  if (!conn) {
    {
      MutexLock lock(mu_);
      --open_;
    }
    cv_.Signal();
    return conn.error();
  }
  return Lease(*this, std::move(*conn));
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  // A broken connection, or one whose transaction was left open by an error path, is closed.
  const bool reuse = !conn->broken() && !conn->InTransaction();
  if (!reuse) conn.reset();
  {
    MutexLock lock(mu_);
    if (reuse) {
      conn->ClearRetry();
      free_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  cv_.Signal();
}

ConnectionPool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

std::string DollarParameters(std::string_view sql) {
  std::string out(sql);
  // The character that ends the quoted text or comment being copied, or 0 outside one.
  char until = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    const char next = i + 1 < out.size() ? out[i + 1] : '\0';
    if (until != 0) {
      if (until == '*' && c == '*' && next == '/') {
        ++i;
        until = 0;
      } else if (c == until && until != '*') {
        until = 0;  // A doubled quote ('') closes and reopens: same result.
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      until = c;
    } else if (c == '-' && next == '-') {
      until = '\n';
    } else if (c == '/' && next == '*') {
      until = '*';
      ++i;
    } else if (c == '?' && next >= '0' && next <= '9') {
      out[i] = '$';
    }
  }
  return out;
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // postgres://user:password@host/...: drop ":password".
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    // The last '@' of the authority: an unencoded '@' in a password must not leave its tail.
    const size_t slash = out.find_first_of("/?", start);
    const size_t at = out.rfind('@', slash == std::string::npos ? std::string::npos : slash);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
  }
  // ...?password=secret&...: drop the parameter's value.
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p)) {
    const bool at_param = p > 0 && (out[p - 1] == '?' || out[p - 1] == '&');
    p += 9;
    if (!at_param) continue;
    const size_t end = out.find('&', p);
    out.replace(p, (end == std::string::npos ? out.size() : end) - p, "***");
  }
  return out;
}

}  // namespace spacestore::storage::pg
