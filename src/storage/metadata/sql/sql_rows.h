#pragma once

// Row mapping and query helpers shared by the SQL backends' aggregates (sql_*_records.h): how
// each table's row maps to a domain struct, and how a statement is run. Private to the SQL
// adapters (storage/metadata/sqlite/, storage/metadata/postgres/).
//
// They are templates over the backend's Connection, which provides the same statement shape on
// both backends (sqlite_db.h, pg_db.h):
//   Result<Statement> Prepare(const char* sql)  a cached prepared statement; `sql` is a literal
//                                               with ?NNN parameters, its address the cache key
//   int64_t Changes() const                     rows the last write changed
//   Statement: Bind(pos, text | int64 | optional<int64>), Step(), Run(), Text(col), Int(col),
//              OptionalInt(col), with 1-based parameters and 0-based columns.
// Templates rather than a virtual statement interface: a page of 30 dentries reads over 500
// columns, and each backend instantiates them once (sqlite_records.cc, postgres_records.cc).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/space.h"
#include "domain/upload.h"

namespace spacestore::storage::sql {

Error NotFound(const std::string& subject, std::string_view id);
// Adds a subject to constraint errors, which the database reports without knowing our
// vocabulary.
Error Subject(Error e, std::string subject);

std::string JoinScopes(const std::vector<std::string>& scopes);
std::vector<std::string> SplitScopes(const std::string& text);

// App properties as one column: each field length-prefixed ("<len>:<bytes>"), four fields per
// property (appId, name, value, "1" public / "0" private), so any byte is safe in a value.
std::string EncodeAppProperties(const std::vector<domain::AppProperty>& props);
std::vector<domain::AppProperty> DecodeAppProperties(std::string_view text);

template <class Statement>
domain::Org ReadOrg(const Statement& st) {
  return domain::Org{st.Text(0), st.Text(1), st.Int(2), st.Int(3)};
}

template <class Statement>
domain::App ReadApp(const Statement& st) {
  return domain::App{st.Text(0),        st.Text(1), st.Text(2),
                     st.Text(3),        st.Text(4), SplitScopes(st.Text(5)),
                     st.OptionalInt(6), st.Int(7),  st.Int(8)};
}

template <class Statement>
domain::User ReadUser(const Statement& st) {
  return domain::User{st.Text(0), st.Text(1), st.Text(2), st.Int(3), st.Text(4)};
}

#define SPACE_COLUMNS                                                                       \
  "id, corp_id, app_id, name, owner_type, kind, owner_id, creator_id, modifier_id, "        \
  "used_bytes, quota_bytes, disabled, scene, scene_id, can_search, can_rename, "            \
  "can_record_recent_file, create_time, modified_time, reserved_bytes, dentry_generation, " \
  "permission_generation"

template <class Statement>
domain::Space ReadSpace(const Statement& st) {
  domain::Space s;
  s.id = st.Text(0);
  s.corp_id = st.Text(1);
  s.app_id = st.Text(2);
  s.name = st.Text(3);
  s.owner_type = static_cast<domain::OwnerType>(st.Int(4));
  s.kind = static_cast<domain::SpaceKind>(st.Int(5));
  s.owner_id = st.Text(6);
  s.creator_id = st.Text(7);
  s.modifier_id = st.Text(8);
  s.used_bytes = st.Int(9);
  s.quota_bytes = st.OptionalInt(10);
  s.disabled = st.Int(11) != 0;
  s.scene = st.Text(12);
  s.scene_id = st.Text(13);
  s.capabilities = {st.Int(14) != 0, st.Int(15) != 0, st.Int(16) != 0};
  s.create_time = st.Int(17);
  s.modified_time = st.Int(18);
  s.reserved_bytes = st.Int(19);
  s.dentry_generation = st.Int(20);
  s.permission_generation = st.Int(21);
  return s;
}

#define DENTRY_COLUMNS                                                                   \
  "id, space_id, parent_id, uuid, type, name, path, size, version, status, creator_id, " \
  "modifier_id, create_time, modified_time, read_only, blob_id, app_properties"

template <class Statement>
domain::Dentry ReadDentry(const Statement& st) {
  domain::Dentry d;
  d.id = st.Text(0);
  d.space_id = st.Text(1);
  d.parent_id = st.Text(2);
  d.uuid = st.Text(3);
  d.type = static_cast<domain::DentryType>(st.Int(4));
  d.name = st.Text(5);
  // Column 6, `path`, is unused since migration 4: paths are computed (domain::FolderPaths).
  d.size = st.Int(7);
  d.version = st.Int(8);
  d.status = static_cast<domain::DentryStatus>(st.Int(9));
  d.creator_id = st.Text(10);
  d.modifier_id = st.Text(11);
  d.create_time = st.Int(12);
  d.modified_time = st.Int(13);
  d.read_only = st.Int(14) != 0;
  d.blob_id = st.Text(15);
  d.app_properties = DecodeAppProperties(st.Text(16));
  return d;
}

// Binds a dentry's DENTRY_COLUMNS to parameters 1..17.
template <class Statement>
void BindDentry(Statement& st, const domain::Dentry& d) {
  st.Bind(1, d.id)
      .Bind(2, d.space_id)
      .Bind(3, d.parent_id)
      .Bind(4, d.uuid)
      .Bind(5, static_cast<int64_t>(d.type))
      .Bind(6, d.name)
      .Bind(7, std::string_view(""))  // `path`: unused since migration 4, always ''.
      .Bind(8, d.size)
      .Bind(9, d.version)
      .Bind(10, static_cast<int64_t>(d.status))
      .Bind(11, d.creator_id)
      .Bind(12, d.modifier_id)
      .Bind(13, d.create_time)
      .Bind(14, d.modified_time)
      .Bind(15, int64_t{d.read_only})
      .Bind(16, d.blob_id)
      .Bind(17, EncodeAppProperties(d.app_properties));
}

#define UPLOAD_COLUMNS                                                            \
  "key, corp_id, space_id, app_id, creator_id, multipart, state, declared_size, " \
  "reserved_bytes, expected_md5, blob_id, blob_size, blob_md5, create_time, expire_time"

template <class Statement>
domain::UploadSession ReadUpload(const Statement& st) {
  domain::UploadSession u;
  u.key = st.Text(0);
  u.corp_id = st.Text(1);
  u.space_id = st.Text(2);
  u.app_id = st.Text(3);
  u.creator_id = st.Text(4);
  u.multipart = st.Int(5) != 0;
  u.state = static_cast<domain::UploadSession::State>(st.Int(6));
  u.declared_size = st.Int(7);
  u.reserved_bytes = st.Int(8);
  u.expected_md5 = st.Text(9);
  u.blob_id = st.Text(10);
  u.blob_size = st.Int(11);
  u.blob_md5 = st.Text(12);
  u.create_time = st.Int(13);
  u.expire_time = st.Int(14);
  return u;
}

// Runs a statement that returns no rows.
template <class Connection, class Bind>
Result<void> Exec(Connection& conn, const char* sql, Bind bind) {
  auto st = conn.Prepare(sql);
  if (!st) return st.error();
  bind(*st);
  return st->Run();
}

// Runs an INSERT ... ON CONFLICT DO NOTHING: kAlreadyExists when a unique key is taken by a row
// the transaction sees. Why not a plain INSERT: under PostgreSQL's SERIALIZABLE, a clash with a
// row the transaction cannot see (a concurrent one's) is then a serialization failure, so the
// transaction runs again and sees the row: "look up, then insert" (AddSpace, bootstrap,
// settings) stays exact across nodes, where a plain INSERT would report a unique violation. On
// SQLite, which runs one writer at a time, both forms answer the same.
template <class Connection, class Bind>
Result<void> InsertRow(Connection& conn, const char* sql, Bind bind) {
  if (auto r = Exec(conn, sql, bind); !r) return r;
  if (conn.Changes() == 0) return MakeError(Errc::kAlreadyExists, "", "key taken");
  return {};
}

// Runs `sql` (with `bind` applied) and returns every row read by `read`.
template <class T, class Connection, class Bind, class Read>
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
template <class T, class Connection, class Bind, class Read>
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

}  // namespace spacestore::storage::sql
