// SqliteTableAccess: the catalog is read from SQLite itself, so the copier sees every table a
// migration made (the leases table included) with no list of tables kept in code. Statements
// are built from catalog names, quoted as identifiers, and prepared per call: a migration runs
// a few statements per batch of hundreds of rows, so a statement cache would buy nothing.
// Rejected: copying the file (VACUUM INTO) for SQLite targets, which cannot skip rows already
// present nor serve PostgreSQL; and a hand-kept table list, which a new migration would outdate.
#include "storage/metadata/sqlite/sqlite_table_access.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "storage/metadata/sqlite/sqlite_db.h"

namespace spacestore::storage {
namespace {

Error SqliteFailure(sqlite3* db, const std::string& table) {
  const int rc = sqlite3_extended_errcode(db);
  const std::string msg = std::string("sqlite: ") + sqlite3_errmsg(db);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return MakeError(Errc::kConflict, table, msg);
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
      return MakeError(Errc::kInvalidArgument, table, msg);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return MakeError(Errc::kUnavailable, table, msg);
    default:
      return MakeError(Errc::kInternal, table, msg);
  }
}

// A statement prepared for one call, finalized on scope exit.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  Result<void> Prepare(sqlite3* db, const std::string& sql, const std::string& table) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      return SqliteFailure(db, table);
    }
    return {};
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// SQLite's affinity rules (https://www.sqlite.org/datatype3.html, 3.1) on a declared type.
Result<ColumnType> TypeOf(const std::string& table, const std::string& column,
                          std::string declared) {
  std::transform(declared.begin(), declared.end(), declared.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (declared.find("INT") != std::string::npos) return ColumnType::kInteger;
  if (declared.find("CHAR") != std::string::npos || declared.find("CLOB") != std::string::npos ||
      declared.find("TEXT") != std::string::npos) {
    return ColumnType::kText;
  }
  if (declared.empty() || declared.find("BLOB") != std::string::npos) return ColumnType::kBlob;
  if (declared.find("REAL") != std::string::npos || declared.find("FLOA") != std::string::npos ||
      declared.find("DOUB") != std::string::npos) {
    return ColumnType::kReal;
  }
  // NUMERIC affinity stores integers or reals by value, which no other backend mirrors.
  return MakeError(Errc::kInternal, table,
                   "column " + table + "." + column + " has type " + declared +
                       ", which has no portable equivalent");
}

std::string ColumnText(sqlite3_stmt* st, int col) {
  const auto* p = sqlite3_column_text(st, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(st, col)))
           : std::string();
}

// Reads column `col` of the current row as `type` says; kInternal if SQLite stored another
// kind of value there (its typing is dynamic, the other backends' is not).
Result<Value> ReadValue(sqlite3_stmt* st, int col, ColumnType type, const std::string& table,
                        const std::string& column) {
  const int stored = sqlite3_column_type(st, col);
  if (stored == SQLITE_NULL) return Value{};
  const bool fits = (type == ColumnType::kInteger && stored == SQLITE_INTEGER) ||
                    (type == ColumnType::kReal && stored == SQLITE_FLOAT) ||
                    (type == ColumnType::kText && stored == SQLITE_TEXT) ||
                    (type == ColumnType::kBlob && stored == SQLITE_BLOB);
  if (!fits) {
    return MakeError(Errc::kInternal, table,
                     "column " + table + "." + column + " holds a value of another type");
  }
  switch (type) {
    case ColumnType::kInteger:
      return Value{static_cast<int64_t>(sqlite3_column_int64(st, col))};
    case ColumnType::kReal:
      return Value{sqlite3_column_double(st, col)};
    case ColumnType::kText:
      return Value{ColumnText(st, col)};
    case ColumnType::kBlob: {
      // An empty BLOB reads as a null pointer.
      const auto* p = static_cast<const char*>(sqlite3_column_blob(st, col));
      if (p == nullptr) return Value{Bytes{}};
      return Value{Bytes{std::string(p, static_cast<size_t>(sqlite3_column_bytes(st, col)))}};
    }
  }
  return Value{};
}

Result<Row> ReadRow(sqlite3_stmt* st, const TableInfo& table) {
  Row row;
  row.reserve(table.columns.size());
  for (size_t i = 0; i < table.columns.size(); ++i) {
    auto v = ReadValue(st, static_cast<int>(i), table.columns[i].type, table.name,
                       table.columns[i].name);
    if (!v) return v.error();
    row.push_back(std::move(*v));
  }
  return row;
}

// Binds `v` at 1-based `pos`; kInvalidArgument if it does not fit `column`'s type.
Result<void> BindValue(sqlite3_stmt* st, int pos, const Value& v, const ColumnInfo& column,
                       const std::string& table) {
  const bool fits = std::holds_alternative<std::monostate>(v) ||
                    (column.type == ColumnType::kInteger && std::holds_alternative<int64_t>(v)) ||
                    (column.type == ColumnType::kReal && std::holds_alternative<double>(v)) ||
                    (column.type == ColumnType::kText && std::holds_alternative<std::string>(v)) ||
                    (column.type == ColumnType::kBlob && std::holds_alternative<Bytes>(v));
  if (!fits) {
    return MakeError(Errc::kInvalidArgument, table,
                     "a value for " + table + "." + column.name + " has the wrong type");
  }
  if (const auto* i = std::get_if<int64_t>(&v)) {
    sqlite3_bind_int64(st, pos, *i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    sqlite3_bind_double(st, pos, *d);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    sqlite3_bind_text64(st, pos, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } else if (const auto* b = std::get_if<Bytes>(&v)) {
    sqlite3_bind_blob64(st, pos, b->data.data(), b->data.size(), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(st, pos);
  }
  return {};
}

std::string KeyList(const TableInfo& table) {
  std::string out;
  for (size_t k : table.key) {
    if (!out.empty()) out += ", ";
    out += Quote(table.columns[k].name);
  }
  return out;
}

std::string ColumnList(const TableInfo& table) {
  std::string out;
  for (const auto& c : table.columns) {
    if (!out.empty()) out += ", ";
    out += Quote(c.name);
  }
  return out;
}

// (?n, ?n+1, ...) for `count` parameters starting at `first`.
std::string Params(size_t first, size_t count) {
  std::string out = "(";
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "?" + std::to_string(first + i);
  }
  return out + ")";
}

// Prepares `sql`, a catalog query on table-valued pragma ?1, for table `name`.
Result<void> PrepareCatalog(Stmt& st, sqlite3* db, const char* sql, const std::string& name) {
  if (auto r = st.Prepare(db, sql, name); !r) return r;
  sqlite3_bind_text(st.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
  return {};
}

// Fills `table`'s columns and primary key from PRAGMA table_info.
Result<void> LoadColumns(sqlite3* db, TableInfo& table) {
  Stmt st;
  if (auto r = PrepareCatalog(
          st, db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)", table.name);
      !r) {
    return r;
  }
  std::vector<std::pair<int, size_t>> key;  // (position in the key, column index)
  for (int rc; (rc = sqlite3_step(st.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return SqliteFailure(db, table.name);
    ColumnInfo column;
    column.name = ColumnText(st.get(), 0);
    auto type = TypeOf(table.name, column.name, ColumnText(st.get(), 1));
    if (!type) return type.error();
    column.type = *type;
    column.not_null = sqlite3_column_int(st.get(), 2) != 0;
    if (const int pk = sqlite3_column_int(st.get(), 3); pk > 0) {
      key.emplace_back(pk, table.columns.size());
    }
    table.columns.push_back(std::move(column));
  }
  if (key.empty()) {
    return MakeError(Errc::kInternal, table.name, "table " + table.name + " has no primary key");
  }
  std::sort(key.begin(), key.end());
  for (const auto& [pos, index] : key) table.key.push_back(index);
  return {};
}

// Fills `table`'s references from PRAGMA foreign_key_list.
Result<void> LoadReferences(sqlite3* db, TableInfo& table) {
  Stmt st;
  if (auto r = PrepareCatalog(st, db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
                              table.name);
      !r) {
    return r;
  }
  for (int rc; (rc = sqlite3_step(st.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return SqliteFailure(db, table.name);
    std::string parent = ColumnText(st.get(), 0);
    if (parent != table.name) table.references.push_back(std::move(parent));
  }
  std::sort(table.references.begin(), table.references.end());
  return {};
}

// Parents before children, ties by name: Kahn's algorithm taking the smallest ready name.
Result<std::vector<TableInfo>> DependencyOrder(std::map<std::string, TableInfo> tables) {
  std::vector<TableInfo> out;
  std::set<std::string> done;
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const auto& entry) {
      return std::all_of(entry.second.references.begin(), entry.second.references.end(),
                         [&](const std::string& r) { return done.contains(r); });
    });
    if (ready == tables.end()) {
      return MakeError(Errc::kInternal, tables.begin()->first,
                       "the tables' foreign keys form a cycle (or name a missing table) at " +
                           tables.begin()->first);
    }
    done.insert(ready->first);
    out.push_back(std::move(ready->second));
    tables.erase(ready);
  }
  return out;
}

}  // namespace

SqliteTableAccess::SqliteTableAccess(std::unique_ptr<sqlite::Connection> conn)
    : conn_(std::move(conn)) {}

SqliteTableAccess::~SqliteTableAccess() = default;

Result<std::unique_ptr<SqliteTableAccess>> SqliteTableAccess::Open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return MakeError(Errc::kNotFound, "database", "no database at " + path);
  }
  auto conn = sqlite::Connection::Open(path);
  if (!conn) return conn.error();
  return std::unique_ptr<SqliteTableAccess>(new SqliteTableAccess(std::move(*conn)));
}

// TableAccess

Result<int> SqliteTableAccess::SchemaVersion() {
  Stmt st;
  if (auto r = st.Prepare(conn_->raw(), "PRAGMA user_version", ""); !r) return r.error();
  if (sqlite3_step(st.get()) != SQLITE_ROW) return SqliteFailure(conn_->raw(), "");
  return sqlite3_column_int(st.get(), 0);
}

Result<std::vector<TableInfo>> SqliteTableAccess::ListTables() {
  sqlite3* db = conn_->raw();
  std::map<std::string, TableInfo> tables;
  std::vector<std::string> triggers;
  {
    // sqlite_* are SQLite's own (sqlite_sequence: AUTOINCREMENT's high-water marks, which the
    // inserts move themselves); the schema version is PRAGMA user_version, not a table.
    Stmt st;
    if (auto r = st.Prepare(db,
                            "SELECT type, name, sql FROM sqlite_master WHERE type IN "
                            "('table', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                            "");
        !r) {
      return r.error();
    }
    for (int rc; (rc = sqlite3_step(st.get())) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW) return SqliteFailure(db, "");
      if (ColumnText(st.get(), 0) == "trigger") {
        triggers.push_back(ColumnText(st.get(), 2));
      } else {
        const std::string name = ColumnText(st.get(), 1);
        tables[name].name = name;
      }
    }
  }
  for (auto& [name, table] : tables) {
    if (auto r = LoadColumns(db, table); !r) return r.error();
    if (auto r = LoadReferences(db, table); !r) return r.error();
  }
  // A trigger's "UPDATE t SET c = ..." means the store moves t.c itself (migration 3's
  // dentry_generation counters), so its value follows other tables' writes, not the copy.
  static const std::regex sets_pattern(R"re(UPDATE\s+"?(\w+)"?\s+SET\s+"?(\w+)"?\s*=)re",
                                       std::regex::icase);
  auto mark = [&](const std::string& table_name, const std::string& column_name) {
    auto table = tables.find(table_name);
    if (table == tables.end()) return;
    for (auto& column : table->second.columns) {
      if (column.name == column_name) column.maintained = true;
    }
  };
  for (const auto& sql : triggers) {
    for (std::sregex_iterator it(sql.begin(), sql.end(), sets_pattern), end; it != end; ++it) {
      mark((*it)[1].str(), (*it)[2].str());
    }
  }
  // The one counter the records move with their own UPDATE rather than a trigger (migration 8:
  // a membership change moves every space of its org, once per statement).
  mark("spaces", "permission_generation");
  return DependencyOrder(std::move(tables));
}

Result<std::vector<Row>> SqliteTableAccess::ScanRows(const TableInfo& table,
                                                     const std::optional<Row>& after_key,
                                                     std::size_t limit) {
  if (after_key && after_key->size() != table.key.size()) {
    return MakeError(Errc::kInvalidArgument, table.name, "after_key needs one value per key");
  }
  std::string sql = "SELECT " + ColumnList(table) + " FROM " + Quote(table.name);
  // A row value comparison walks the primary key's index from the last row seen: each batch
  // costs its own size, whatever the table's.
  if (after_key) sql += " WHERE (" + KeyList(table) + ") > " + Params(1, table.key.size());
  sql += " ORDER BY " + KeyList(table) + " LIMIT " + std::to_string(limit);
  Stmt st;
  if (auto r = st.Prepare(conn_->raw(), sql, table.name); !r) return r.error();
  if (after_key) {
    for (size_t i = 0; i < table.key.size(); ++i) {
      if (auto r = BindValue(st.get(), static_cast<int>(i + 1), (*after_key)[i],
                             table.columns[table.key[i]], table.name);
          !r) {
        return r.error();
      }
    }
  }
  std::vector<Row> rows;
  for (int rc; (rc = sqlite3_step(st.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) return SqliteFailure(conn_->raw(), table.name);
    auto row = ReadRow(st.get(), table);
    if (!row) return row.error();
    rows.push_back(std::move(*row));
  }
  return rows;
}

Result<InsertOutcome> SqliteTableAccess::InsertRows(const TableInfo& table,
                                                    std::span<const Row> rows) {
  sqlite3* db = conn_->raw();
  for (const auto& row : rows) {
    if (row.size() != table.columns.size()) {
      return MakeError(Errc::kInvalidArgument, table.name,
                       "a row for " + table.name + " needs one value per column");
    }
  }
  // ON CONFLICT names the primary key only: a clash on any other unique constraint still
  // fails the batch, which is what tells a target holding different data from a re-run.
  const std::string insert_sql = "INSERT INTO " + Quote(table.name) + " (" + ColumnList(table) +
                                 ") VALUES " + Params(1, table.columns.size()) + " ON CONFLICT (" +
                                 KeyList(table) + ") DO NOTHING";
  std::string select_sql = "SELECT " + ColumnList(table) + " FROM " + Quote(table.name) + " WHERE ";
  for (size_t i = 0; i < table.key.size(); ++i) {
    if (i > 0) select_sql += " AND ";
    select_sql += Quote(table.columns[table.key[i]].name) + " = ?" + std::to_string(i + 1);
  }
  Stmt insert;
  if (auto r = insert.Prepare(db, insert_sql, table.name); !r) return r.error();
  Stmt select;
  if (auto r = select.Prepare(db, select_sql, table.name); !r) return r.error();

  auto tx = sqlite::WriteTransaction::Begin(*conn_);
  if (!tx) return tx.error();
  InsertOutcome outcome;
  for (const auto& row : rows) {
    sqlite3_reset(insert.get());
    for (size_t i = 0; i < row.size(); ++i) {
      if (auto r = BindValue(insert.get(), static_cast<int>(i + 1), row[i], table.columns[i],
                             table.name);
          !r) {
        return r.error();
      }
    }
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return SqliteFailure(db, table.name);
    if (sqlite3_changes64(db) > 0) {
      ++outcome.inserted;
      continue;
    }
    sqlite3_reset(select.get());
    for (size_t i = 0; i < table.key.size(); ++i) {
      if (auto r = BindValue(select.get(), static_cast<int>(i + 1), row[table.key[i]],
                             table.columns[table.key[i]], table.name);
          !r) {
        return r.error();
      }
    }
    if (sqlite3_step(select.get()) != SQLITE_ROW) return SqliteFailure(db, table.name);
    auto stored = ReadRow(select.get(), table);
    if (!stored) return stored.error();
    outcome.existing.push_back(std::move(*stored));
  }
  // Statements are reset before COMMIT so that none holds the table open across it.
  sqlite3_reset(insert.get());
  sqlite3_reset(select.get());
  if (auto r = tx->Commit(); !r) return r.error();
  return outcome;
}

Result<int64_t> SqliteTableAccess::CountRows(const TableInfo& table) {
  Stmt st;
  if (auto r = st.Prepare(conn_->raw(), "SELECT COUNT(*) FROM " + Quote(table.name), table.name);
      !r) {
    return r.error();
  }
  if (sqlite3_step(st.get()) != SQLITE_ROW) return SqliteFailure(conn_->raw(), table.name);
  return static_cast<int64_t>(sqlite3_column_int64(st.get(), 0));
}

}  // namespace spacestore::storage
