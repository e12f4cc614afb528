#pragma once

// The SQL dialects the shared records (storage/metadata/sql/) are written for. Each backend's
// Connection names its dialect (`Connection::kDialect`); the records pick a dialect's text only
// where SQLite and PostgreSQL really differ, and write everything else once.

namespace spacestore::storage::sql {

enum class Dialect { kSqlite, kPostgres };

// One statement's text in each dialect, for the few statements whose text differs. Both are
// string literals: their addresses key the per-connection statement caches.
struct DialectSql {
  const char* sqlite;
  const char* postgres;

  constexpr const char* operator[](Dialect d) const {
    return d == Dialect::kSqlite ? sqlite : postgres;
  }
};

}  // namespace spacestore::storage::sql
