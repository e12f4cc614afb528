#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "storage/metadata/table_access.h"

namespace spacestore::storage {

namespace sqlite {
class Connection;
}

// SqliteTableAccess is TableAccess (table_access.h) over one SQLite metadata file: the tables,
// columns, primary and foreign keys come from the database's own catalog (sqlite_master and
// the table_info / foreign_key_list pragmas), so every table any migration made is listed
// without a list kept here. A column that a trigger sets ("UPDATE t SET c = ...") is reported
// as maintained, and so is spaces.permission_generation, which the records move by their own
// statements (migration 8) where no trigger names it. Rows are read and written with statements
// built from those names. Thread-safety: not thread-safe (one connection of its own); use from one
// thread at a time.
class SqliteTableAccess final : public TableAccess {
 public:
  // Opens the database at `path` on a connection of its own. The schema must already be
  // migrated (open the SqliteMetadataStore first). kUnavailable if it cannot be opened;
  // kNotFound (subject "database") if no file is there (this never creates a database).
  static Result<std::unique_ptr<SqliteTableAccess>> Open(const std::string& path);
  ~SqliteTableAccess() override;

  // TableAccess
  Result<int> SchemaVersion() override;
  Result<std::vector<TableInfo>> ListTables() override;
  Result<std::vector<Row>> ScanRows(const TableInfo& table, const std::optional<Row>& after_key,
                                    std::size_t limit) override;
  Result<InsertOutcome> InsertRows(const TableInfo& table, std::span<const Row> rows) override;
  Result<int64_t> CountRows(const TableInfo& table) override;

 private:
  explicit SqliteTableAccess(std::unique_ptr<sqlite::Connection> conn);

  std::unique_ptr<sqlite::Connection> conn_;
};

}  // namespace spacestore::storage
