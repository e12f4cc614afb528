#pragma once

#include "domain/task_records.h"
#include "storage/metadata/postgres/pg_db.h"

namespace spacestore::storage::pg {

// The task aggregate on PostgreSQL: table tasks.
// Thread-safety: confined, like its connection, to the transaction's thread. Borrows `conn`.
class PostgresTaskRecords final : public domain::TaskRecords {
 public:
  explicit PostgresTaskRecords(Connection& conn) : conn_(conn) {}

  // TaskRecords
  Result<void> Insert(const domain::Task& task) override;
  Result<domain::Task> Get(std::string_view task_id) override;
  Result<void> Update(const domain::Task& task) override;
  Result<std::vector<domain::Task>> ListUnfinished(int limit) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::pg
