#pragma once

#include "domain/task_records.h"

namespace spacestore::storage::sql {

// The task aggregate on SQLite and PostgreSQL (one text for both, over a backend's Connection;
// sql_rows.h): table tasks. Thread-safety: confined, like its connection, to the transaction's
// thread. Borrows `conn`.
template <class Connection>
class SqlTaskRecords final : public domain::TaskRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlTaskRecords(Connection& conn) : conn_(conn) {}

  // TaskRecords
  Result<void> Insert(const domain::Task& task) override;
  Result<domain::Task> Get(std::string_view task_id) override;
  Result<void> Update(const domain::Task& task) override;
  Result<std::vector<domain::Task>> ListUnfinished(int limit) override;

 private:
  Connection& conn_;
};

}  // namespace spacestore::storage::sql
