// TableAccess on PostgreSQL, for `spacestore admin migrate`. Everything comes from the catalog
// of the connection's current schema, so a table a later migration adds is copied without a
// change here. Values travel in text form: integers and doubles as their shortest exact
// decimal text, BYTEA as '\x' hex; a value's C++ type must match its column's, checked before
// anything is sent.
#include "storage/metadata/postgres/postgres_table_access.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

#include "storage/metadata/postgres/migrations.h"
#include "storage/metadata/postgres/pg_db.h"

namespace spacestore::storage {
namespace {

using pg::PgResult;
using Params = std::vector<std::optional<std::string>>;

std::string Quote(const std::string& name) { return "\"" + name + "\""; }

Result<ColumnType> TypeOf(const std::string& sql_type, const std::string& column) {
  if (sql_type == "bigint" || sql_type == "integer" || sql_type == "smallint") {
    return ColumnType::kInteger;
  }
  if (sql_type == "double precision" || sql_type == "real") return ColumnType::kReal;
  if (sql_type == "text" || sql_type.starts_with("character")) return ColumnType::kText;
  if (sql_type == "bytea") return ColumnType::kBlob;
  return MakeError(Errc::kInternal, "schema",
                   "column " + column + " has type " + sql_type + ", which migrate cannot copy");
}

std::string Hex(const std::string& bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out = "\\x";
  for (const unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Unhex(std::string_view text) {
  if (text.starts_with("\\x")) text.remove_prefix(2);
  std::string out;
  for (size_t i = 0; i + 1 < text.size(); i += 2) {
    unsigned v = 0;
    std::from_chars(text.data() + i, text.data() + i + 2, v, 16);
    out += static_cast<char>(v);
  }
  return out;
}

// The text form of `v` for a column of type `type`; kInvalidArgument when the types differ.
Result<std::optional<std::string>> Encode(const Value& v, ColumnType type, const std::string& col) {
  if (std::holds_alternative<std::monostate>(v)) return std::optional<std::string>();
  const auto wrong = [&] {
    return MakeError(Errc::kInvalidArgument, col,
                     "a value of column " + col + " has the wrong type");
  };
  switch (type) {
    case ColumnType::kInteger:
      if (const auto* i = std::get_if<int64_t>(&v)) return std::optional(std::to_string(*i));
      return wrong();
    case ColumnType::kReal:
      if (const auto* d = std::get_if<double>(&v)) {
        std::array<char, 64> buf{};
        const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), *d);
        (void)ec;  // 64 characters hold any double's shortest form.
        return std::optional(std::string(buf.data(), end));
      }
      return wrong();
    case ColumnType::kText:
      if (const auto* s = std::get_if<std::string>(&v)) return std::optional(*s);
      return wrong();
    case ColumnType::kBlob:
      if (const auto* b = std::get_if<Bytes>(&v)) return std::optional(Hex(b->data));
      return wrong();
  }
  return wrong();
}

Value Decode(const PGresult* r, int row, int col, ColumnType type) {
  if (PQgetisnull(r, row, col)) return std::monostate{};
  const std::string_view text(PQgetvalue(r, row, col),
                              static_cast<size_t>(PQgetlength(r, row, col)));
  switch (type) {
    case ColumnType::kInteger: {
      int64_t v = 0;
      std::from_chars(text.data(), text.data() + text.size(), v);
      return v;
    }
    case ColumnType::kReal: {
      double v = 0;
      std::from_chars(text.data(), text.data() + text.size(), v);
      return v;
    }
    case ColumnType::kText:
      return std::string(text);
    case ColumnType::kBlob:
      return Bytes{Unhex(text)};
  }
  return std::monostate{};
}

Row ReadRow(const PGresult* r, int row, const TableInfo& table) {
  Row out;
  out.reserve(table.columns.size());
  for (size_t c = 0; c < table.columns.size(); ++c) {
    out.push_back(Decode(r, row, static_cast<int>(c), table.columns[c].type));
  }
  return out;
}

std::string ColumnList(const TableInfo& table) {
  std::string out;
  for (const auto& c : table.columns) out += (out.empty() ? "" : ", ") + Quote(c.name);
  return out;
}

std::string KeyList(const TableInfo& table) {
  std::string out;
  for (const size_t k : table.key) out += (out.empty() ? "" : ", ") + Quote(table.columns[k].name);
  return out;
}

// "$<first>, $<first+1>, ..." for `n` parameters.
std::string Placeholders(size_t first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? ", $" : "$") + std::to_string(first + i);
  return out;
}

// Tables in dependency order, ties by name: Kahn's algorithm over a name-ordered set.
Result<std::vector<TableInfo>> Order(std::map<std::string, TableInfo> tables) {
  std::vector<TableInfo> out;
  std::set<std::string> placed;
  while (!tables.empty()) {
    auto next = std::find_if(tables.begin(), tables.end(), [&](const auto& entry) {
      return std::all_of(entry.second.references.begin(), entry.second.references.end(),
                         [&](const std::string& ref) { return placed.contains(ref); });
    });
    if (next == tables.end()) {
      return MakeError(Errc::kInternal, "schema", "the tables' foreign keys form a cycle");
    }
    placed.insert(next->first);
    out.push_back(std::move(next->second));
    tables.erase(next);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<TableAccess>> OpenPostgresTableAccess(const std::string& url) {
  auto conn = pg::Connection::Open(url);
  if (!conn) return conn.error();
  return std::unique_ptr<TableAccess>(new PostgresTableAccess(std::move(*conn)));
}

PostgresTableAccess::PostgresTableAccess(std::unique_ptr<pg::Connection> conn)
    : conn_(std::move(conn)) {}

PostgresTableAccess::~PostgresTableAccess() = default;

// TableAccess

Result<int> PostgresTableAccess::SchemaVersion() {
  auto r = conn_->Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}, {});
  if (!r) return r.error();
  return std::atoi(PQgetvalue(r->get(), 0, 0));
}

Result<std::vector<TableInfo>> PostgresTableAccess::ListTables() {
  // One row per column of every table of the current schema, in column order, with the
  // column's position in its primary key (0 when not in it).
  auto cols = conn_->Query(
      "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "COALESCE((SELECT k.ord FROM pg_constraint p, unnest(p.conkey) WITH ORDINALITY "
      "AS k(attnum, ord) WHERE p.conrelid = c.oid AND p.contype = 'p' AND k.attnum = a.attnum), 0) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
      "WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname <> $1 "
      "ORDER BY c.relname, a.attnum",
      {std::string(pg::kSchemaTable)}, {});
  if (!cols) return cols.error();
  std::map<std::string, TableInfo> tables;
  std::map<std::string, std::map<int64_t, size_t>> keys;  // Table -> key position -> column.
  const PGresult* r = cols->get();
  for (int i = 0; i < PQntuples(r); ++i) {
    const std::string table = PQgetvalue(r, i, 0);
    const std::string column = PQgetvalue(r, i, 1);
    std::string qualified = table;
    qualified += '.';
    qualified += column;
    auto type = TypeOf(PQgetvalue(r, i, 2), qualified);
    if (!type) return type.error();
    TableInfo& info = tables[table];
    info.name = table;
    // The store's counters: dentry_generation, which a trigger moves (so the copy itself moves
    // it on the target, migration 3), and permission_generation, which the permission records
    // move (migration 8).
    const bool maintained =
        table == "spaces" && (column == "dentry_generation" || column == "permission_generation");
    const int64_t key_position = std::atoll(PQgetvalue(r, i, 4));
    if (key_position > 0) keys[table][key_position] = info.columns.size();
    info.columns.push_back(
        ColumnInfo{column, *type, std::string_view(PQgetvalue(r, i, 3)) == "t", maintained});
  }
  for (auto& [name, info] : tables) {
    for (const auto& [position, column] : keys[name]) info.key.push_back(column);
    if (info.key.empty()) {
      return MakeError(Errc::kInternal, "schema", "table " + name + " has no primary key");
    }
  }
  auto refs = conn_->Query(
      "SELECT DISTINCT c.relname, f.relname FROM pg_constraint p "
      "JOIN pg_class c ON c.oid = p.conrelid JOIN pg_class f ON f.oid = p.confrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE p.contype = 'f' AND n.nspname = current_schema() AND p.conrelid <> p.confrelid "
      "ORDER BY 1, 2",
      {}, {});
  if (!refs) return refs.error();
  for (int i = 0; i < PQntuples(refs->get()); ++i) {
    auto it = tables.find(PQgetvalue(refs->get(), i, 0));
    if (it != tables.end()) it->second.references.emplace_back(PQgetvalue(refs->get(), i, 1));
  }
  return Order(std::move(tables));
}

Result<std::vector<Row>> PostgresTableAccess::ScanRows(const TableInfo& table,
                                                       const std::optional<Row>& after_key,
                                                       std::size_t limit) {
  Params params;
  std::string sql = "SELECT " + ColumnList(table) + " FROM " + Quote(table.name);
  if (after_key) {
    if (after_key->size() != table.key.size()) {
      return MakeError(
          Errc::kInvalidArgument, "after_key",
          "a key of " + table.name + " has " + std::to_string(table.key.size()) + " values");
    }
    for (size_t i = 0; i < table.key.size(); ++i) {
      const ColumnInfo& col = table.columns[table.key[i]];
      auto v = Encode((*after_key)[i], col.type, col.name);
      if (!v) return v.error();
      params.push_back(std::move(*v));
    }
    // Row comparison in the columns' own types: the parameters are typed by their columns.
    std::string typed;
    for (size_t i = 0; i < table.key.size(); ++i) {
      const ColumnInfo& col = table.columns[table.key[i]];
      typed += (i ? ", " : "") + ("$" + std::to_string(i + 1)) + "::" + "pg_catalog." +
               (col.type == ColumnType::kInteger ? "int8"
                : col.type == ColumnType::kReal  ? "float8"
                : col.type == ColumnType::kBlob  ? "bytea"
                                                 : "text");
    }
    sql += " WHERE (";
    sql += KeyList(table);
    sql += ") > (";
    sql += typed;
    sql += ")";
  }
  sql += " ORDER BY " + KeyList(table) + " LIMIT " + std::to_string(limit);
  auto r = conn_->Query(sql, params, {});
  if (!r) return r.error();
  std::vector<Row> out;
  out.reserve(static_cast<size_t>(PQntuples(r->get())));
  for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(ReadRow(r->get(), i, table));
  return out;
}

Result<InsertOutcome> PostgresTableAccess::InsertRows(const TableInfo& table,
                                                      std::span<const Row> rows) {
  // Only the copier writes the target, so a serialization failure is unlikely; retried anyway.
  Result<InsertOutcome> out = Error{};
  for (int attempt = 0; attempt < 5; ++attempt) {
    conn_->ClearRetry();
    out = InsertOnce(table, rows);
    if (conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
    if (out || !conn_->retryable()) return out;
  }
  return out;
}

Result<InsertOutcome> PostgresTableAccess::InsertOnce(const TableInfo& table,
                                                      std::span<const Row> rows) {
  const std::string insert = "INSERT INTO " + Quote(table.name) + " (" + ColumnList(table) +
                             ") VALUES (" + Placeholders(1, table.columns.size()) +
                             ") ON CONFLICT (" + KeyList(table) + ") DO NOTHING";
  std::string select = "SELECT " + ColumnList(table) + " FROM " + Quote(table.name) + " WHERE ";
  for (size_t i = 0; i < table.key.size(); ++i) {
    select += (i ? " AND " : "") + Quote(table.columns[table.key[i]].name) + " = $" +
              std::to_string(i + 1);
  }
  if (auto r = conn_->Exec("BEGIN ISOLATION LEVEL SERIALIZABLE"); !r) return r.error();
  InsertOutcome outcome;
  for (const Row& row : rows) {
    if (row.size() != table.columns.size()) {
      return MakeError(Errc::kInvalidArgument, table.name,
                       "a row of " + table.name + " does not have one value per column");
    }
    Params params;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string col = table.name + "." + table.columns[c].name;
      auto v = Encode(row[c], table.columns[c].type, col);
      if (!v) return v.error();
      // Checked here so a NULL into a NOT NULL column is bad input, as on SQLite, not a
      // server error.
      if (!*v && table.columns[c].not_null) {
        return MakeError(Errc::kInvalidArgument, col, "column " + col + " cannot be NULL");
      }
      params.push_back(std::move(*v));
    }
    auto r = conn_->Query(insert, params, {});
    if (!r) {
      const Error& e = r.error();
      // Another unique constraint or a foreign key: the message names the constraint only.
      if (e.code == Errc::kAlreadyExists || e.code == Errc::kNotFound) {
        return MakeError(Errc::kConflict, table.name, e.message);
      }
      return e;
    }
    if (conn_->Changes() == 1) {
      ++outcome.inserted;
      continue;
    }
    Params key;
    for (const size_t k : table.key) key.push_back(params[k]);
    auto stored = conn_->Query(select, key, {});
    if (!stored) return stored.error();
    if (PQntuples(stored->get()) == 1) outcome.existing.push_back(ReadRow(stored->get(), 0, table));
  }
  // Generated keys continue past the copied ones: each identity column's sequence moves to at
  // least the largest value now in the table (never back).
  for (const auto& col : table.columns) {
    if (col.type != ColumnType::kInteger) continue;
    const std::string max = "(SELECT MAX(" + Quote(col.name) + ") FROM " + Quote(table.name) + ")";
    std::string sql = "SELECT setval(s, GREATEST(" + max;
    sql +=
        ", COALESCE(pg_sequence_last_value(s::regclass), 0))) "
        "FROM pg_get_serial_sequence(quote_ident(current_schema()) || '.' || $1, $2) AS s "
        "WHERE s IS NOT NULL AND ";
    sql += max;
    sql += " IS NOT NULL";
    auto r = conn_->Query(sql, {Quote(table.name), col.name}, {});
    if (!r) return r.error();
  }
  if (auto r = conn_->Exec("COMMIT"); !r) return r.error();
  return outcome;
}

Result<int64_t> PostgresTableAccess::CountRows(const TableInfo& table) {
  auto r = conn_->Query("SELECT COUNT(*) FROM " + Quote(table.name), {}, {});
  if (!r) return r.error();
  return std::atoll(PQgetvalue(r->get(), 0, 0));
}

}  // namespace spacestore::storage
