#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/result.h"

namespace spacestore::storage {

// TableAccess is a metadata store seen as plain tables, for `spacestore admin migrate`: it lists
// the tables that hold a deployment's data with their columns, scans their rows in key order
// and inserts rows that are not there yet. It knows nothing of spaces or dentries, so the copier
// built on it copies whatever tables the schema has (a table added by a later migration is
// copied without touching the copier). Every backend's schema mirrors SQLite's table for table
// and column for column (docs/storage-format.md), so two stores' tables match by name.
//
// Rows are written as they are: no domain rule runs. The caller is responsible for the source
// being quiet (no server writing) while it reads, and for the target being one that only the
// copier writes to.
//
// Thread-safety: implementations need only be thread-compatible (one caller at a time).
// Ownership: the TableInfo values returned are plain values owned by the caller.

// A BLOB cell's bytes, kept apart from TEXT so that both round-trip with their type.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

// One cell: NULL, a 64-bit integer, a double, UTF-8 text or bytes. A backend returns the
// alternative of its column's type (ColumnType) or NULL, never another one: INTEGER columns give
// int64_t, REAL double, TEXT std::string, BLOB Bytes.
using Value = std::variant<std::monostate, int64_t, double, std::string, Bytes>;

// One row: one Value per column, in TableInfo::columns order.
using Row = std::vector<Value>;

// A column's type, named after SQLite's (PostgreSQL maps INTEGER->BIGINT, TEXT->TEXT,
// BLOB->BYTEA, REAL->DOUBLE PRECISION).
enum class ColumnType { kInteger, kReal, kText, kBlob };

struct ColumnInfo {
  std::string name;
  ColumnType type = ColumnType::kText;
  // True when the column is declared NOT NULL.
  bool not_null = false;
  // True when the store moves this column by itself as other rows are written (a counter kept
  // by a trigger or its equivalent). Today exactly spaces.dentry_generation, which every dentry
  // insert, update and delete increments, and spaces.permission_generation, which the
  // permission records move (not InsertRows: it is copied as it is). The copier copies their
  // values but does not compare them between source and target: inserting the dentries moves
  // the first on the target.
  bool maintained = false;
};

struct TableInfo {
  // The table's name, the same in every backend.
  std::string name;
  // Every column, in the store's column order (the order of Row values for this store).
  std::vector<ColumnInfo> columns;
  // The primary key: indices into `columns`, in key order. Never empty (every data table has a
  // primary key; a backend returns kInternal for a data table without one).
  std::vector<std::size_t> key;
  // The other tables this table's foreign keys reference (no duplicates, never itself).
  std::vector<std::string> references;
};

// What InsertRows did with a batch.
struct InsertOutcome {
  // Rows inserted (their key was not in the table).
  int64_t inserted = 0;
  // For each given row whose key was already in the table, in the order given: the row as
  // stored (every column, this store's column order), so the caller can compare it.
  std::vector<Row> existing;
};

class TableAccess {
 public:
  virtual ~TableAccess() = default;

  // The store's schema version: the number of migrations applied (migrations are numbered alike
  // in every backend, so two stores of the same version have the same tables and columns).
  // kUnavailable if the store cannot be read.
  virtual Result<int> SchemaVersion() = 0;

  // Every table that holds deployment data: all tables except the store's own bookkeeping (the
  // schema version table, SQLite's sqlite_* tables, sequences). In dependency order: each table
  // comes after every table in its `references`; ties are broken by name (ascending), so the
  // order is deterministic. kUnavailable if the store cannot be read; kInternal for a data table
  // without a primary key or a foreign-key cycle.
  virtual Result<std::vector<TableInfo>> ListTables() = 0;

  // Up to `limit` rows of `table` (as ListTables returned it) in ascending key order, starting
  // after the row whose key is `after_key` (the key columns' values in key order, e.g. of the
  // last row of the previous batch), or from the first row if nullopt. Fewer than `limit` rows
  // (possibly none) means the end. Key order is the store's own; callers must not assume two
  // backends order TEXT keys alike. Each call is its own read. kUnavailable if the store cannot
  // be read; kInvalidArgument if `after_key` does not have one value per key column.
  virtual Result<std::vector<Row>> ScanRows(const TableInfo& table,
                                            const std::optional<Row>& after_key,
                                            std::size_t limit) = 0;

  // In one write transaction: inserts each row of `rows` (values in `table`'s column order,
  // `table` as this store's ListTables returned it) whose primary key is not in the table yet,
  // and returns the stored row of each whose key already is (the caller decides whether the
  // two agree). Store-maintained effects happen as for any write (see
  // ColumnInfo::maintained). After it, the store's generated keys continue past every inserted
  // key (SQLite's AUTOINCREMENT does this itself; PostgreSQL advances the column's sequence), so
  // a server started on the target never hands out a copied key again. The transaction may be
  // retried whole (serialization failures); its result is as if it ran once.
  // Errors, with nothing of the batch written:
  //   kConflict (subject = table name): a row breaks another unique constraint (e.g. the
  //     target holds a different row with the same spaces.id) or a foreign key;
  //   kInvalidArgument: a row does not have one value per column, or a value's type does not
  //     fit its column;
  //   kUnavailable: the store cannot be written.
  virtual Result<InsertOutcome> InsertRows(const TableInfo& table, std::span<const Row> rows) = 0;

  // The number of rows in `table`. kUnavailable if the store cannot be read.
  virtual Result<int64_t> CountRows(const TableInfo& table) = 0;
};

}  // namespace spacestore::storage
