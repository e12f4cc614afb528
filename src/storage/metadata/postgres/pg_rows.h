#pragma once

// Row mapping and query helpers shared by the PostgreSQL adapter's aggregates: how each table's row
// maps to a domain struct, and how a statement is run. The statements themselves live with
// their aggregate (postgres_*_records.cc). Private to the adapter.

#include <string>
#include <string_view>
#include <vector>

#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/space.h"
#include "domain/upload.h"
#include "storage/metadata/postgres/pg_db.h"

namespace spacestore::storage::pg {

Error NotFound(const std::string& subject, std::string_view id);
// Adds a subject to constraint errors, which PostgreSQL reports without knowing our vocabulary.
Error Subject(Error e, std::string subject);

std::string JoinScopes(const std::vector<std::string>& scopes);
domain::Org ReadOrg(const Statement& st);
domain::App ReadApp(const Statement& st);
domain::User ReadUser(const Statement& st);

#define SPACE_COLUMNS                                                                \
  "id, corp_id, app_id, name, owner_type, kind, owner_id, creator_id, modifier_id, " \
  "used_bytes, quota_bytes, disabled, scene, scene_id, can_search, can_rename, "     \
  "can_record_recent_file, create_time, modified_time, reserved_bytes, dentry_generation"
domain::Space ReadSpace(const Statement& st);

#define DENTRY_COLUMNS                                                                   \
  "id, space_id, parent_id, uuid, type, name, path, size, version, status, creator_id, " \
  "modifier_id, create_time, modified_time, read_only, blob_id, app_properties"
domain::Dentry ReadDentry(const Statement& st);
// Binds a dentry's DENTRY_COLUMNS to parameters 1..17.
void BindDentry(Statement& st, const domain::Dentry& d);

#define UPLOAD_COLUMNS                                                            \
  "key, corp_id, space_id, app_id, creator_id, multipart, state, declared_size, " \
  "reserved_bytes, expected_md5, blob_id, blob_size, blob_md5, create_time, expire_time"
domain::UploadSession ReadUpload(const Statement& st);

// App properties as one column: each field length-prefixed ("<len>:<bytes>"), four fields per
// property (appId, name, value, "1" public / "0" private), so any byte is safe in a value.
std::string EncodeAppProperties(const std::vector<domain::AppProperty>& props);
std::vector<domain::AppProperty> DecodeAppProperties(std::string_view text);

// Runs a statement that returns no rows.
template <class Bind>
Result<void> Exec(Connection& conn, const char* sql, Bind bind) {
  auto st = conn.Prepare(sql);
  bind(st);
  return st.Run();
}

// Runs an INSERT ... ON CONFLICT DO NOTHING: kAlreadyExists when a unique key is taken by a row
// the transaction sees. Why not a plain INSERT: under SERIALIZABLE, a clash with a row the
// transaction cannot see (a concurrent one's) is then a serialization failure, so the
// transaction runs again and sees the row: "look up, then insert" (AddSpace, bootstrap,
// settings) stays exact across nodes, where a plain INSERT would report a unique violation.
template <class Bind>
Result<void> InsertRow(Connection& conn, const char* sql, Bind bind) {
  if (auto r = Exec(conn, sql, bind); !r) return r;
  if (conn.Changes() == 0) return MakeError(Errc::kAlreadyExists, "", "postgres: key taken");
  return {};
}

// Runs `sql` (with `bind` applied) and returns every row read by `read`.
template <class T, class Bind, class Read>
Result<std::vector<T>> QueryAll(Connection& conn, const char* sql, Bind bind, Read read) {
  auto st = conn.Prepare(sql);
  bind(st);
  std::vector<T> out;
  for (;;) {
    auto row = st.Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read(st));
  }
}

// Runs `sql` and returns the first row, or kNotFound(subject, id).
template <class T, class Bind, class Read>
Result<T> QueryOne(Connection& conn, const char* sql, Bind bind, Read read,
                   const std::string& subject, std::string_view id) {
  auto st = conn.Prepare(sql);
  bind(st);
  auto row = st.Step();
  if (!row) return row.error();
  if (!*row) return NotFound(subject, id);
  return read(st);
}

}  // namespace spacestore::storage::pg
