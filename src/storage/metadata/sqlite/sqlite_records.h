#pragma once

// The aggregates' records on SQLite: the shared SQL records (storage/metadata/sql/) over this
// adapter's Connection, instantiated once, in sqlite_records.cc.

#include "storage/metadata/sql/sql_dentry_records.h"
#include "storage/metadata/sql/sql_identity_records.h"
#include "storage/metadata/sql/sql_permission_records.h"
#include "storage/metadata/sql/sql_recycle_records.h"
#include "storage/metadata/sql/sql_space_records.h"
#include "storage/metadata/sql/sql_task_records.h"
#include "storage/metadata/sql/sql_upload_records.h"
#include "storage/metadata/sqlite/sqlite_db.h"

namespace spacestore::storage::sql {

extern template class SqlIdentityRecords<sqlite::Connection>;
extern template class SqlDentryRecords<sqlite::Connection>;
extern template class SqlRecycleRecords<sqlite::Connection>;
extern template class SqlSpaceRecords<sqlite::Connection>;
extern template class SqlUploadRecords<sqlite::Connection>;
extern template class SqlTaskRecords<sqlite::Connection>;
extern template class SqlPermissionRecords<sqlite::Connection>;

}  // namespace spacestore::storage::sql

namespace spacestore::storage::sqlite {

using SqliteIdentityRecords = sql::SqlIdentityRecords<Connection>;
using SqliteDentryRecords = sql::SqlDentryRecords<Connection>;
using SqliteRecycleRecords = sql::SqlRecycleRecords<Connection>;
using SqliteSpaceRecords = sql::SqlSpaceRecords<Connection>;
using SqliteUploadRecords = sql::SqlUploadRecords<Connection>;
using SqliteTaskRecords = sql::SqlTaskRecords<Connection>;
using SqlitePermissionRecords = sql::SqlPermissionRecords<Connection>;

}  // namespace spacestore::storage::sqlite
