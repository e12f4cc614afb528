#pragma once

// The upload aggregate's statements, one text for SQLite and PostgreSQL. Member definitions of
// SqlUploadRecords, included only where a backend instantiates it (sqlite_records.cc,
// postgres_records.cc).
#include "storage/metadata/sql/sql_upload_records.h"

#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

// UploadRecords

template <class Connection>
Result<domain::UploadSession> SqlUploadRecords<Connection>::Get(std::string_view key) {
  return QueryOne<domain::UploadSession>(
      conn_, "SELECT " UPLOAD_COLUMNS " FROM uploads WHERE key = ?1",
      [&](Statement& st) { st.Bind(1, key); }, ReadUpload<Statement>, "upload", key);
}

template <class Connection>
Result<void> SqlUploadRecords<Connection>::Put(const domain::UploadSession& u) {
  // An upsert (both dialects have it) rather than SQLite's INSERT OR REPLACE, which deletes the
  // old row and inserts a new one.
  return Exec(conn_,
              "INSERT INTO uploads (" UPLOAD_COLUMNS
              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
              "ON CONFLICT (key) DO UPDATE SET corp_id = ?2, space_id = ?3, app_id = ?4, "
              "creator_id = ?5, multipart = ?6, state = ?7, declared_size = ?8, "
              "reserved_bytes = ?9, expected_md5 = ?10, blob_id = ?11, blob_size = ?12, "
              "blob_md5 = ?13, create_time = ?14, expire_time = ?15",
              [&](Statement& st) {
                st.Bind(1, u.key)
                    .Bind(2, u.corp_id)
                    .Bind(3, u.space_id)
                    .Bind(4, u.app_id)
                    .Bind(5, u.creator_id)
                    .Bind(6, int64_t{u.multipart})
                    .Bind(7, static_cast<int64_t>(u.state))
                    .Bind(8, u.declared_size)
                    .Bind(9, u.reserved_bytes)
                    .Bind(10, u.expected_md5)
                    .Bind(11, u.blob_id)
                    .Bind(12, u.blob_size)
                    .Bind(13, u.blob_md5)
                    .Bind(14, u.create_time)
                    .Bind(15, u.expire_time);
              });
}

template <class Connection>
Result<void> SqlUploadRecords<Connection>::Delete(std::string_view key) {
  auto r = Exec(conn_, "DELETE FROM upload_parts WHERE upload_key = ?1",
                [&](Statement& st) { st.Bind(1, key); });
  if (!r) return r;
  return Exec(conn_, "DELETE FROM uploads WHERE key = ?1", [&](Statement& st) { st.Bind(1, key); });
}

template <class Connection>
Result<void> SqlUploadRecords<Connection>::PutPart(const domain::UploadPart& p) {
  return Exec(
      conn_,
      "INSERT INTO upload_parts (upload_key, part_number, blob_id, size) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (upload_key, part_number) "
      "DO UPDATE SET blob_id = ?3, size = ?4",
      [&](Statement& st) {
        st.Bind(1, p.upload_key).Bind(2, int64_t{p.part_number}).Bind(3, p.blob_id).Bind(4, p.size);
      });
}

template <class Connection>
Result<std::vector<domain::UploadPart>> SqlUploadRecords<Connection>::ListParts(
    std::string_view key) {
  return QueryAll<domain::UploadPart>(
      conn_,
      "SELECT upload_key, part_number, blob_id, size FROM upload_parts WHERE upload_key = ?1 "
      "ORDER BY part_number",
      [&](Statement& st) { st.Bind(1, key); },
      [](const Statement& st) {
        return domain::UploadPart{st.Text(0), static_cast<int32_t>(st.Int(1)), st.Text(2),
                                  st.Int(3)};
      });
}

template <class Connection>
Result<std::vector<std::string>> SqlUploadRecords<Connection>::ListExpired(int64_t now_millis,
                                                                           int limit) {
  return QueryAll<std::string>(
      conn_, "SELECT key FROM uploads WHERE expire_time < ?1 ORDER BY expire_time LIMIT ?2",
      [&](Statement& st) { st.Bind(1, now_millis).Bind(2, int64_t{limit}); },
      [](const Statement& st) { return st.Text(0); });
}

template <class Connection>
Result<int64_t> SqlUploadRecords<Connection>::CountOpen(int64_t now_millis) {
  return QueryOne<int64_t>(
      conn_, "SELECT COUNT(*) FROM uploads WHERE state != ?1 AND expire_time >= ?2",
      [&](Statement& st) {
        st.Bind(1, static_cast<int64_t>(domain::UploadSession::State::kCommitted))
            .Bind(2, now_millis);
      },
      [](const Statement& st) { return st.Int(0); }, "upload", "");
}

template <class Connection>
Result<bool> SqlUploadRecords<Connection>::IsBlobReferenced(std::string_view blob_id) {
  return QueryOne<bool>(
      conn_,
      "SELECT EXISTS (SELECT 1 FROM uploads WHERE blob_id = ?1) OR "
      "EXISTS (SELECT 1 FROM upload_parts WHERE blob_id = ?1)",
      [&](Statement& st) { st.Bind(1, blob_id); },
      [](const Statement& st) { return st.Int(0) != 0; }, "blob", blob_id);
}

template <class Connection>
Result<std::vector<domain::UploadSession>> SqlUploadRecords<Connection>::ListAfter(
    std::string_view after_key, int limit) {
  return QueryAll<domain::UploadSession>(
      conn_, "SELECT " UPLOAD_COLUMNS " FROM uploads WHERE key > ?1 ORDER BY key LIMIT ?2",
      [&](Statement& st) { st.Bind(1, after_key).Bind(2, int64_t{limit}); }, ReadUpload<Statement>);
}

}  // namespace spacestore::storage::sql
