#pragma once

// The aggregates' records on PostgreSQL: the shared SQL records (storage/metadata/sql/) over this
// adapter's Connection, instantiated once, in postgres_records.cc.

#include "storage/metadata/postgres/pg_db.h"
#include "storage/metadata/sql/sql_dentry_records.h"
#include "storage/metadata/sql/sql_identity_records.h"
#include "storage/metadata/sql/sql_permission_records.h"
#include "storage/metadata/sql/sql_recycle_records.h"
#include "storage/metadata/sql/sql_space_records.h"
#include "storage/metadata/sql/sql_task_records.h"
#include "storage/metadata/sql/sql_upload_records.h"

namespace spacestore::storage::sql {

extern template class SqlIdentityRecords<pg::Connection>;
extern template class SqlDentryRecords<pg::Connection>;
extern template class SqlRecycleRecords<pg::Connection>;
extern template class SqlSpaceRecords<pg::Connection>;
extern template class SqlUploadRecords<pg::Connection>;
extern template class SqlTaskRecords<pg::Connection>;
extern template class SqlPermissionRecords<pg::Connection>;

}  // namespace spacestore::storage::sql

namespace spacestore::storage::pg {

using PostgresIdentityRecords = sql::SqlIdentityRecords<Connection>;
using PostgresDentryRecords = sql::SqlDentryRecords<Connection>;
using PostgresRecycleRecords = sql::SqlRecycleRecords<Connection>;
using PostgresSpaceRecords = sql::SqlSpaceRecords<Connection>;
using PostgresUploadRecords = sql::SqlUploadRecords<Connection>;
using PostgresTaskRecords = sql::SqlTaskRecords<Connection>;
using PostgresPermissionRecords = sql::SqlPermissionRecords<Connection>;

}  // namespace spacestore::storage::pg
