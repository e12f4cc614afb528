#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "storage/metadata/table_access.h"

namespace spacestore::storage {

namespace pg {
class Connection;
}

// PostgresTableAccess is TableAccess (table_access.h) over a PostgreSQL metadata database: the
// tables of the connection's current schema, their columns, primary and foreign keys read from
// the catalog (pg_class, pg_attribute, pg_constraint), so every table a migration made is
// listed without a list kept here; the schema_migrations table is left out. Rows travel as
// text and are typed by their column (BIGINT, DOUBLE PRECISION, TEXT, BYTEA).
// Thread-safety: not thread-safe (one connection of its own); use from one thread at a time.
class PostgresTableAccess final : public TableAccess {
 public:
  ~PostgresTableAccess() override;

  // TableAccess
  Result<int> SchemaVersion() override;
  Result<std::vector<TableInfo>> ListTables() override;
  Result<std::vector<Row>> ScanRows(const TableInfo& table, const std::optional<Row>& after_key,
                                    std::size_t limit) override;
  Result<InsertOutcome> InsertRows(const TableInfo& table, std::span<const Row> rows) override;
  Result<int64_t> CountRows(const TableInfo& table) override;

 private:
  friend Result<std::unique_ptr<TableAccess>> OpenPostgresTableAccess(const std::string& url);
  explicit PostgresTableAccess(std::unique_ptr<pg::Connection> conn);
  Result<InsertOutcome> InsertOnce(const TableInfo& table, std::span<const Row> rows);

  std::unique_ptr<pg::Connection> conn_;
};

// Opens its own connection to the database at `url` (libpq URL form as --metadata). The
// schema must already be migrated (open the PostgresMetadataStore first). kUnavailable if the
// server cannot be reached.
Result<std::unique_ptr<TableAccess>> OpenPostgresTableAccess(const std::string& url);

}  // namespace spacestore::storage
