#pragma once

// SqlTransaction: the eight aggregates' records over one connection of an SQL backend, as the
// domain's MetadataTransaction. Each backend's store builds one on the stack for each call, on
// the connection it leased; it owns nothing and borrows the connection for its lifetime.
// Thread-safety: confined to the thread that holds the connection.

#include "domain/metadata_store.h"
#include "storage/metadata/sql/sql_dentry_records.h"
#include "storage/metadata/sql/sql_event_records.h"
#include "storage/metadata/sql/sql_identity_records.h"
#include "storage/metadata/sql/sql_open_records.h"
#include "storage/metadata/sql/sql_permission_records.h"
#include "storage/metadata/sql/sql_recycle_records.h"
#include "storage/metadata/sql/sql_space_records.h"
#include "storage/metadata/sql/sql_task_records.h"
#include "storage/metadata/sql/sql_upload_records.h"

namespace spacestore::storage::sql {

template <class Connection>
class SqlTransaction final : public domain::MetadataTransaction {
 public:
  explicit SqlTransaction(Connection& conn)
      : identity_(conn),
        spaces_(conn),
        dentries_(conn),
        uploads_(conn),
        tasks_(conn),
        recycle_(conn),
        permissions_(conn),
        events_(conn),
        open_(conn) {}

  // MetadataTransaction
  domain::IdentityRecords& identity() override { return identity_; }
  domain::SpaceRecords& spaces() override { return spaces_; }
  domain::DentryRecords& dentries() override { return dentries_; }
  domain::UploadRecords& uploads() override { return uploads_; }
  domain::TaskRecords& tasks() override { return tasks_; }
  domain::RecycleRecords& recycle() override { return recycle_; }
  domain::PermissionRecords& permissions() override { return permissions_; }
  domain::EventRecords& events() override { return events_; }
  domain::OpenRecords& open() override { return open_; }

 private:
  SqlIdentityRecords<Connection> identity_;
  SqlSpaceRecords<Connection> spaces_;
  SqlDentryRecords<Connection> dentries_;
  SqlUploadRecords<Connection> uploads_;
  SqlTaskRecords<Connection> tasks_;
  SqlRecycleRecords<Connection> recycle_;
  SqlPermissionRecords<Connection> permissions_;
  SqlEventRecords<Connection> events_;
  SqlOpenRecords<Connection> open_;
};

}  // namespace spacestore::storage::sql
