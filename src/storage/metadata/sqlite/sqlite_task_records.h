#pragma once

#include "domain/task_records.h"
#include "storage/metadata/sqlite/sqlite_db.h"

namespace spacestore::storage::sqlite {

// The task aggregate on SQLite: table tasks.
// Thread-safety: confined, like its connection, to the transaction's thread. Borrows `conn`.
class SqliteTaskRecords final : public domain::TaskRecords {
 public:
  explicit SqliteTaskRecords(Connection& conn) : conn_(conn) {}

  // TaskRecords
  Result<void> Insert(const domain::Task& task) override;
  Result<domain::Task> Get(std::string_view task_id) override;
  Result<void> Update(const domain::Task& task) override;
  Result<std::vector<domain::Task>> ListUnfinished(int limit) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::sqlite
