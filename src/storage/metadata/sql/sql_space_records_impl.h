#pragma once

// The space aggregate's statements, one text for SQLite and PostgreSQL. Member definitions of
// SqlSpaceRecords, included only where a backend instantiates it (sqlite_records.cc,
// postgres_records.cc).
#include "storage/metadata/sql/sql_space_records.h"

#include <array>

#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

// SpaceRecords

template <class Connection>
Result<void> SqlSpaceRecords<Connection>::Insert(const domain::Space& s) {
  auto r =
      InsertRow(conn_,
                "INSERT INTO spaces (" SPACE_COLUMNS
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                "?17, ?18, ?19, ?20, 0, 0) ON CONFLICT DO NOTHING",
                [&](Statement& st) {
                  st.Bind(1, s.id)
                      .Bind(2, s.corp_id)
                      .Bind(3, s.app_id)
                      .Bind(4, s.name)
                      .Bind(5, static_cast<int64_t>(s.owner_type))
                      .Bind(6, static_cast<int64_t>(s.kind))
                      .Bind(7, s.owner_id)
                      .Bind(8, s.creator_id)
                      .Bind(9, s.modifier_id)
                      .Bind(10, s.used_bytes)
                      .Bind(11, s.quota_bytes)
                      .Bind(12, int64_t{s.disabled})
                      .Bind(13, s.scene)
                      .Bind(14, s.scene_id)
                      .Bind(15, int64_t{s.capabilities.can_search})
                      .Bind(16, int64_t{s.capabilities.can_rename})
                      .Bind(17, int64_t{s.capabilities.can_record_recent_file})
                      .Bind(18, s.create_time)
                      .Bind(19, s.modified_time)
                      .Bind(20, s.reserved_bytes);
                });
  if (!r) {
    if (r.error().code == Errc::kNotFound) return NotFound("org", s.corp_id);
    return Subject(r.error(), "id");
  }
  return {};
}

template <class Connection>
Result<std::optional<domain::Space>> SqlSpaceRecords<Connection>::FindByScene(
    std::string_view corp_id, std::string_view app_id, std::string_view scene,
    std::string_view scene_id) {
  auto rows = QueryAll<domain::Space>(
      conn_,
      "SELECT " SPACE_COLUMNS
      " FROM spaces WHERE corp_id = ?1 AND app_id = ?2 AND scene = ?3 AND scene_id = ?4",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, app_id).Bind(3, scene).Bind(4, scene_id); },
      ReadSpace<Statement>);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<domain::Space>();
  return std::optional<domain::Space>(std::move(rows->front()));
}

template <class Connection>
Result<domain::Space> SqlSpaceRecords<Connection>::Get(std::string_view corp_id,
                                                       std::string_view space_id) {
  return QueryOne<domain::Space>(
      conn_, "SELECT " SPACE_COLUMNS " FROM spaces WHERE id = ?1 AND corp_id = ?2",
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, corp_id); }, ReadSpace<Statement>, "space",
      space_id);
}

template <class Connection>
Result<std::vector<domain::Space>> SqlSpaceRecords<Connection>::List(
    std::string_view corp_id, const domain::SpaceFilter& filter) {
  // The CASTs give PostgreSQL the type of a parameter it otherwise sees only tested for NULL.
  return QueryAll<domain::Space>(
      conn_,
      "SELECT " SPACE_COLUMNS
      " FROM spaces WHERE corp_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR owner_id = ?2) AND "
      "(CAST(?3 AS BIGINT) IS NULL OR kind = ?3) AND (CAST(?4 AS TEXT) IS NULL OR app_id = ?4) "
      "ORDER BY seq",
      [&](Statement& st) {
        st.Bind(1, corp_id);
        if (filter.owner_id) st.Bind(2, *filter.owner_id);
        if (filter.kind) st.Bind(3, static_cast<int64_t>(*filter.kind));
        if (filter.app_id) st.Bind(4, *filter.app_id);
      },
      ReadSpace<Statement>);
}

template <class Connection>
Result<void> SqlSpaceRecords<Connection>::UpdateSettings(const domain::Space& s) {
  auto r = Exec(conn_,
                "UPDATE spaces SET name = ?3, quota_bytes = ?4, disabled = ?5, can_search = ?6, "
                "can_rename = ?7, can_record_recent_file = ?8, modifier_id = ?9, "
                "modified_time = ?10 WHERE id = ?1 AND corp_id = ?2",
                [&](Statement& st) {
                  st.Bind(1, s.id)
                      .Bind(2, s.corp_id)
                      .Bind(3, s.name)
                      .Bind(4, s.quota_bytes)
                      .Bind(5, int64_t{s.disabled})
                      .Bind(6, int64_t{s.capabilities.can_search})
                      .Bind(7, int64_t{s.capabilities.can_rename})
                      .Bind(8, int64_t{s.capabilities.can_record_recent_file})
                      .Bind(9, s.modifier_id)
                      .Bind(10, s.modified_time);
                });
  if (!r) return r;
  if (conn_.Changes() == 0) return NotFound("space", s.id);
  return {};
}

template <class Connection>
Result<void> SqlSpaceRecords<Connection>::Delete(std::string_view corp_id,
                                                 std::string_view space_id) {
  // Everything the space holds goes with it, so its blobs become unreferenced and collectable.
  static constexpr auto kCascade = std::to_array<const char*>({
      "DELETE FROM dentry_versions WHERE dentry_id IN "
      "(SELECT id FROM dentries WHERE space_id = ?1) AND EXISTS "
      "(SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM upload_parts WHERE upload_key IN (SELECT key FROM uploads WHERE space_id = ?1) "
      "AND EXISTS (SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM uploads WHERE space_id = ?1 AND EXISTS "
      "(SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM permissions WHERE space_id = ?1 AND EXISTS "
      "(SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM dentries WHERE space_id = ?1 AND EXISTS "
      "(SELECT 1 FROM spaces WHERE id = ?1 AND corp_id = ?2)",
      "DELETE FROM spaces WHERE id = ?1 AND corp_id = ?2",
  });
  for (const char* sql : kCascade) {
    auto r = Exec(conn_, sql, [&](Statement& st) { st.Bind(1, space_id).Bind(2, corp_id); });
    if (!r) return r;
  }
  if (conn_.Changes() == 0) return NotFound("space", space_id);
  return {};
}

template <class Connection>
Result<void> SqlSpaceRecords<Connection>::AdjustBytes(std::string_view space_id, int64_t used_delta,
                                                      int64_t reserved_delta) {
  // A CHECK constraint keeps both counters non-negative (kInternal when violated).
  auto r = Exec(
      conn_,
      "UPDATE spaces SET used_bytes = used_bytes + ?2, reserved_bytes = reserved_bytes + ?3 "
      "WHERE id = ?1",
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, used_delta).Bind(3, reserved_delta); });
  if (!r) return r;
  if (conn_.Changes() == 0) return NotFound("space", space_id);
  return {};
}

template <class Connection>
Result<domain::UsageTotals> SqlSpaceRecords<Connection>::Totals(std::string_view corp_id,
                                                                std::string_view app_id) {
  return QueryOne<domain::UsageTotals>(
      conn_,
      "SELECT o.capacity_bytes, "
      "  (SELECT COALESCE(SUM(used_bytes), 0) FROM spaces WHERE corp_id = ?1), "
      "  (SELECT COALESCE(SUM(reserved_bytes), 0) FROM spaces WHERE corp_id = ?1), "
      "  (SELECT quota_bytes FROM apps WHERE app_id = ?2), "
      "  (SELECT COALESCE(SUM(used_bytes), 0) FROM spaces WHERE corp_id = ?1 AND app_id = ?2), "
      "  (SELECT COALESCE(SUM(reserved_bytes), 0) FROM spaces WHERE corp_id = ?1 AND "
      "app_id = ?2) "
      "FROM orgs o WHERE o.corp_id = ?1",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, app_id); },
      [](const Statement& st) {
        return domain::UsageTotals{st.Int(0),         st.Int(1), st.Int(2),
                                   st.OptionalInt(3), st.Int(4), st.Int(5)};
      },
      "org", corp_id);
}

template <class Connection>
Result<int64_t> SqlSpaceRecords<Connection>::SumUsedBytes(std::string_view corp_id,
                                                          std::string_view app_id) {
  return QueryOne<int64_t>(
      conn_,
      "SELECT COALESCE(SUM(used_bytes), 0) FROM spaces WHERE corp_id = ?1 AND "
      "(?2 = '' OR app_id = ?2)",
      [&](Statement& st) { st.Bind(1, corp_id).Bind(2, app_id); },
      [](const Statement& st) { return st.Int(0); }, "org", corp_id);
}

}  // namespace spacestore::storage::sql
