// The one instantiation of the shared SQL records for this backend (the design comment is in
// storage/metadata/sql/sql_rows.h).
#include "storage/metadata/postgres/postgres_records.h"

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

template class SqlIdentityRecords<pg::Connection>;
template class SqlDentryRecords<pg::Connection>;
template class SqlRecycleRecords<pg::Connection>;
template class SqlSpaceRecords<pg::Connection>;
template class SqlUploadRecords<pg::Connection>;
template class SqlTaskRecords<pg::Connection>;
template class SqlPermissionRecords<pg::Connection>;
template class SqlEventRecords<pg::Connection>;
template class SqlOpenRecords<pg::Connection>;

}  // namespace spacestore::storage::sql
