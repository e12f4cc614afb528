// The one instantiation of the shared SQL records for this backend (the design comment is in
// storage/metadata/sql/sql_rows.h).
#include "storage/metadata/sqlite/sqlite_records.h"

#include "storage/metadata/sql/sql_dentry_records_impl.h"
#include "storage/metadata/sql/sql_event_records_impl.h"
#include "storage/metadata/sql/sql_identity_records_impl.h"
#include "storage/metadata/sql/sql_open_records_impl.h"
#include "storage/metadata/sql/sql_permission_records_impl.h"
#include "storage/metadata/sql/sql_recycle_records_impl.h"
#include "storage/metadata/sql/sql_space_records_impl.h"
#include "storage/metadata/sql/sql_task_records_impl.h"
#include "storage/metadata/sql/sql_upload_records_impl.h"

namespace spacestore::storage::sql {

template class SqlIdentityRecords<sqlite::Connection>;
template class SqlDentryRecords<sqlite::Connection>;
template class SqlRecycleRecords<sqlite::Connection>;
template class SqlSpaceRecords<sqlite::Connection>;
template class SqlUploadRecords<sqlite::Connection>;
template class SqlTaskRecords<sqlite::Connection>;
template class SqlPermissionRecords<sqlite::Connection>;
template class SqlEventRecords<sqlite::Connection>;
template class SqlOpenRecords<sqlite::Connection>;

}  // namespace spacestore::storage::sql
