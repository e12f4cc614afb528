#pragma once

// The deletion aggregate's statements, one text for SQLite and PostgreSQL but for SQLite's
// planner hints (sql_dentry_records.h). Member definitions of SqlRecycleRecords, included only
// where a backend instantiates it (sqlite_records.cc, postgres_records.cc). Status 0 is NORMAL
// and 1 DELETED; type 1 is a folder (sql_rows.h casts the enums).
#include "storage/metadata/sql/sql_recycle_records.h"

#include <array>
#include <string>

#include "storage/metadata/sql/sql_dentry_records.h"
#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

namespace detail {

// The rows item ?2 owns in space ?1.
#define OWNED "SELECT id FROM dentries WHERE recycle_item_id = ?2 AND space_id = ?1"

#define ITEM_COLUMNS                                                                    \
  "id, corp_id, app_id, space_id, dentry_id, type, original_name, original_parent_id, " \
  "original_path, size, dentry_count, operator_id, operator_time"

template <class Statement>
domain::RecycleItem ReadItem(const Statement& st) {
  domain::RecycleItem item;
  item.id = st.Text(0);
  item.corp_id = st.Text(1);
  item.app_id = st.Text(2);
  item.space_id = st.Text(3);
  item.dentry_id = st.Text(4);
  item.type = static_cast<domain::DentryType>(st.Int(5));
  item.original_name = st.Text(6);
  item.original_parent_id = st.Text(7);
  item.original_path = st.Text(8);
  item.size = st.Int(9);
  item.dentry_count = st.Int(10);
  item.operator_id = st.Text(11);
  item.operator_time = st.Int(12);
  return item;
}

// Listing statements, built once: [filter: org, app, space][has cursor]. ?1 corp, ?2 app or
// space id (unused for org), ?3 limit, ?4 and ?5 the cursor's time and id.
inline const char* ListSql(int filter, bool has_cursor) {
  static const auto table = [] {
    std::array<std::array<std::string, 2>, 3> sql;
    const std::array<const char*, 3> where = {"corp_id = ?1 AND ?2 = ?2",
                                              "corp_id = ?1 AND app_id = ?2",
                                              "space_id = ?2 AND corp_id = ?1"};
    for (int f = 0; f < 3; ++f) {
      for (int c = 0; c < 2; ++c) {
        std::string q = std::string("SELECT " ITEM_COLUMNS " FROM recycle_items WHERE ") + where[f];
        if (c) q += " AND (operator_time, id) < (?4, ?5)";
        q += " ORDER BY operator_time DESC, id DESC LIMIT ?3";
        sql[f][c] = q;
      }
    }
    return sql;
  }();
  return table[filter][has_cursor].c_str();
}

template <class Connection>
Result<int64_t> Count(Connection& conn, const char* sql, std::string_view space_id,
                      std::string_view key) {
  return QueryOne<int64_t>(
      conn, sql, [&](auto& st) { st.Bind(1, space_id).Bind(2, key); },
      [](const auto& st) { return st.Int(0); }, "space", space_id);
}

// Runs `sqls` in order on (?1 space, ?2 key, ?3 item id when given).
template <class Connection, size_t N>
Result<void> RunAll(Connection& conn, const std::array<const char*, N>& sqls,
                    std::string_view space_id, std::string_view key) {
  for (const char* sql : sqls) {
    auto r = Exec(conn, sql, [&](auto& st) { st.Bind(1, space_id).Bind(2, key); });
    if (!r) return Subject(r.error(), "dentry");
  }
  return {};
}

}  // namespace detail

// RecycleRecords

template <class Connection>
Result<void> SqlRecycleRecords<Connection>::Insert(const domain::RecycleItem& item) {
  auto r = InsertRow(conn_,
                     "INSERT INTO recycle_items (" ITEM_COLUMNS
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                     "ON CONFLICT DO NOTHING",
                     [&](Statement& st) {
                       st.Bind(1, item.id)
                           .Bind(2, item.corp_id)
                           .Bind(3, item.app_id)
                           .Bind(4, item.space_id)
                           .Bind(5, item.dentry_id)
                           .Bind(6, static_cast<int64_t>(item.type))
                           .Bind(7, item.original_name)
                           .Bind(8, item.original_parent_id)
                           .Bind(9, item.original_path)
                           .Bind(10, item.size)
                           .Bind(11, item.dentry_count)
                           .Bind(12, item.operator_id)
                           .Bind(13, item.operator_time);
                     });
  if (!r) {
    if (r.error().code == Errc::kNotFound) return NotFound("space", item.space_id);
    return Subject(r.error(), "recycleItem");
  }
  return {};
}

template <class Connection>
Result<domain::RecycleItem> SqlRecycleRecords<Connection>::Get(std::string_view corp_id,
                                                               std::string_view item_id) {
  return QueryOne<domain::RecycleItem>(
      conn_, "SELECT " ITEM_COLUMNS " FROM recycle_items WHERE id = ?1 AND corp_id = ?2",
      [&](Statement& st) { st.Bind(1, item_id).Bind(2, corp_id); }, detail::ReadItem<Statement>,
      "recycleItem", item_id);
}

template <class Connection>
Result<std::vector<domain::RecycleItem>> SqlRecycleRecords<Connection>::List(
    const domain::RecycleFilter& filter, const std::optional<domain::RecycleCursor>& after,
    int limit) {
  const int kind = filter.space_id ? 2 : filter.app_id ? 1 : 0;
  const std::string key = filter.space_id ? *filter.space_id : filter.app_id.value_or("");
  return QueryAll<domain::RecycleItem>(
      conn_, detail::ListSql(kind, after.has_value()),
      [&](Statement& st) {
        st.Bind(1, filter.corp_id).Bind(2, key).Bind(3, int64_t{limit});
        if (after) st.Bind(4, after->operator_time).Bind(5, after->id);
      },
      detail::ReadItem<Statement>);
}

template <class Connection>
Result<void> SqlRecycleRecords<Connection>::Delete(std::string_view item_id) {
  auto r = Exec(conn_, "DELETE FROM recycle_items WHERE id = ?1",
                [&](Statement& st) { st.Bind(1, item_id); });
  if (!r) return r;
  if (conn_.Changes() == 0) return NotFound("recycleItem", item_id);
  return {};
}

template <class Connection>
Result<int64_t> SqlRecycleRecords<Connection>::RecycleSubtree(std::string_view space_id,
                                                              std::string_view root_id,
                                                              std::string_view item_id) {
  auto r = Exec(conn_,
                SUBTREE_SQL("UPDATE dentries SET status = 1, recycle_item_id = ?3 "
                            "WHERE id IN (SELECT id FROM sub)")[Connection::kDialect],
                [&](Statement& st) { st.Bind(1, space_id).Bind(2, root_id).Bind(3, item_id); });
  if (!r) return Subject(r.error(), "dentry");
  return conn_.Changes();
}

template <class Connection>
Result<int64_t> SqlRecycleRecords<Connection>::RestoreRows(std::string_view space_id,
                                                           std::string_view item_id) {
  // A NORMAL sibling of the same name fails the partial UNIQUE index: kAlreadyExists.
  auto r = Exec(conn_,
                "UPDATE dentries SET status = 0, recycle_item_id = NULL "
                "WHERE recycle_item_id = ?2 AND space_id = ?1",
                [&](Statement& st) { st.Bind(1, space_id).Bind(2, item_id); });
  if (!r) return Subject(r.error(), "dentry");
  return conn_.Changes();
}

template <class Connection>
Result<int64_t> SqlRecycleRecords<Connection>::PurgeSubtree(std::string_view space_id,
                                                            std::string_view root_id) {
  auto bytes =
      detail::Count(conn_,
                    SUBTREE_SQL("SELECT COALESCE(SUM(size), 0) FROM dentry_versions "
                                "WHERE dentry_id IN (SELECT id FROM sub)")[Connection::kDialect],
                    space_id, root_id);
  if (!bytes) return bytes.error();
  static constexpr std::array<const char*, 2> kDelete = {
      SUBTREE_SQL("DELETE FROM dentry_versions WHERE dentry_id IN (SELECT id FROM sub)")
          [Connection::kDialect],
      SUBTREE_SQL("DELETE FROM dentries WHERE id IN (SELECT id FROM sub)")[Connection::kDialect]};
  if (auto r = detail::RunAll(conn_, kDelete, space_id, root_id); !r) return r.error();
  return *bytes;
}

template <class Connection>
Result<int64_t> SqlRecycleRecords<Connection>::PurgeRows(std::string_view space_id,
                                                         std::string_view item_id) {
  auto bytes = detail::Count(conn_,
                             "SELECT COALESCE(SUM(size), 0) FROM dentry_versions "
                             "WHERE dentry_id IN (" OWNED ")",
                             space_id, item_id);
  if (!bytes) return bytes.error();
  static constexpr std::array<const char*, 2> kDelete = {
      "DELETE FROM dentry_versions WHERE dentry_id IN (" OWNED ")",
      "DELETE FROM dentries WHERE recycle_item_id = ?2 AND space_id = ?1"};
  if (auto r = detail::RunAll(conn_, kDelete, space_id, item_id); !r) return r.error();
  return *bytes;
}

}  // namespace spacestore::storage::sql
