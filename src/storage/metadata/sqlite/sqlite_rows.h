#pragma once

// Row mapping and query helpers shared by the SQLite adapter's source files. Private to the
// adapter.

#include <string>
#include <string_view>
#include <vector>

#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/space.h"
#include "domain/upload.h"
#include "storage/metadata/sqlite/sqlite_db.h"

namespace spacestore::storage::sqlite {

Error NotFound(const std::string& subject, std::string_view id);
// Adds a subject to constraint errors, which SQLite reports without knowing our vocabulary.
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
// The live dentries of space ?1 among the ids bound to ?2..?(n+1), for n in 1..kMaxIdsPerSelect.
constexpr size_t kMaxIdsPerSelect = 30;
const char* SelectDentriesByIdSql(size_t n);
// Listing pages, keyset-paginated over the per-order partial indexes (migration 2): space ?1,
// parent ?2, limit ?3, and with a cursor its sort key ?4 and id ?5. A page is one range scan
// of limit+1 rows, whatever the folder's size. The returned strings live as long as the
// process (their addresses key the per-connection statement cache).
const char* ChildrenSql(domain::DentryOrder order, bool descending, bool has_cursor);
const char* AllSql(bool descending, bool has_cursor);  // The whole space by modified time.
// One dentry by id ?1 in space ?2, whatever its status.
inline constexpr const char* kSelectDentrySql =
    "SELECT " DENTRY_COLUMNS " FROM dentries WHERE id = ?1 AND space_id = ?2";
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

// Runs `sql` (with `bind` applied) and returns every row read by `read`.
template <class T, class Bind, class Read>
Result<std::vector<T>> QueryAll(Connection& conn, const char* sql, Bind bind, Read read) {
  auto st = conn.Prepare(sql);
  if (!st) return st.error();
  bind(*st);
  std::vector<T> out;
  for (;;) {
    auto row = st->Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read(*st));
  }
}

// Runs `sql` and returns the first row, or kNotFound(subject, id).
template <class T, class Bind, class Read>
Result<T> QueryOne(Connection& conn, const char* sql, Bind bind, Read read,
                   const std::string& subject, std::string_view id) {
  auto st = conn.Prepare(sql);
  if (!st) return st.error();
  bind(*st);
  auto row = st->Step();
  if (!row) return row.error();
  if (!*row) return NotFound(subject, id);
  return read(*st);
}

Result<domain::Space> SelectSpace(Connection& conn, std::string_view corp_id,
                                  std::string_view space_id);
Result<domain::Dentry> SelectDentry(Connection& conn, std::string_view space_id,
                                    std::string_view dentry_id);

}  // namespace spacestore::storage::sqlite
