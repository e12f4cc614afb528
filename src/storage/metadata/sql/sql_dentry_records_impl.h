#pragma once

// The dentry aggregate's statements, one text for SQLite and PostgreSQL but for SQLite's planner
// hints (sql_dentry_records.h). Member definitions of SqlDentryRecords, included only where a
// backend instantiates it (sqlite_records.cc, postgres_records.cc).
#include "storage/metadata/sql/sql_dentry_records.h"

#include <algorithm>
#include <limits>

#include "domain/folder_paths.h"

namespace spacestore::storage::sql {

namespace detail {

#define VERSION_SELECT \
  "SELECT dentry_id, version, size, blob_id, modifier_id, modified_time FROM dentry_versions "

template <class Statement>
domain::DentryVersion ReadVersion(const Statement& st) {
  return domain::DentryVersion{st.Text(0), st.Int(1), st.Int(2), st.Text(3), st.Text(4), st.Int(5)};
}

}  // namespace detail

template <class Connection>
template <class Read>
auto SqlDentryRecords<Connection>::InSnapshot(Read read) -> decltype(read()) {
  if (conn_.InTransaction()) return read();
  if (auto begun = conn_.BeginSnapshot(); !begun) return begun.error();
  auto out = read();
  // Nothing was written: ending the snapshot only ends it, whether the read failed or not.
  if (auto ended = conn_.EndSnapshot(); !ended && out) return ended.error();
  return out;
}

// DentryRecords

template <class Connection>
Result<domain::Dentry> SqlDentryRecords<Connection>::Get(std::string_view space_id,
                                                         std::string_view dentry_id) {
  return InSnapshot([&]() -> Result<domain::Dentry> {
    auto d = QueryOne<domain::Dentry>(
        conn_, kSelectDentrySql, [&](Statement& st) { st.Bind(1, dentry_id).Bind(2, space_id); },
        ReadDentry<Statement>, "dentry", dentry_id);
    if (!d) return d;
    if (auto ok = domain::FolderPaths(*this, space_id).Fill(*d); !ok) return ok.error();
    return d;
  });
}

template <class Connection>
Result<std::vector<domain::Dentry>> SqlDentryRecords<Connection>::GetMany(
    std::string_view space_id, const std::vector<std::string>& ids) {
  return InSnapshot([&] { return ReadMany(space_id, ids); });
}

template <class Connection>
Result<std::vector<domain::Dentry>> SqlDentryRecords<Connection>::ReadMany(
    std::string_view space_id, const std::vector<std::string>& ids) {
  // One statement per batch of ids: a statement per id would cost a lock round trip each.
  std::vector<domain::Dentry> out;
  for (size_t first = 0; first < ids.size(); first += kMaxIdsPerSelect) {
    const size_t n = std::min(kMaxIdsPerSelect, ids.size() - first);
    auto rows = QueryAll<domain::Dentry>(
        conn_, SelectDentriesByIdSql(Connection::kDialect, n),
        [&](Statement& st) {
          st.Bind(1, space_id);
          for (size_t i = 0; i < n; ++i) st.Bind(static_cast<int>(i + 2), ids[first + i]);
        },
        ReadDentry<Statement>);
    if (!rows) return rows.error();
    if (out.empty()) {
      out = std::move(*rows);
    } else {
      for (auto& d : *rows) out.push_back(std::move(d));
    }
  }
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(out); !ok) return ok.error();
  return out;
}

template <class Connection>
Result<std::optional<domain::Dentry>> SqlDentryRecords<Connection>::FindChild(
    std::string_view space_id, std::string_view parent_id, std::string_view name) {
  auto rows = QueryAll<domain::Dentry>(
      conn_,
      "SELECT " DENTRY_COLUMNS
      " FROM dentries WHERE space_id = ?1 AND parent_id = ?2 AND name = ?3 AND status = 0",
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, parent_id).Bind(3, name); },
      ReadDentry<Statement>);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<domain::Dentry>();
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(rows->front()); !ok) return ok.error();
  return std::optional<domain::Dentry>(std::move(rows->front()));
}

template <class Connection>
Result<void> SqlDentryRecords<Connection>::Insert(const domain::Dentry& d) {
  auto r = InsertRow(conn_,
                     "INSERT INTO dentries (" DENTRY_COLUMNS
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                     "?16, ?17) ON CONFLICT DO NOTHING",
                     [&](Statement& st) { BindDentry(st, d); });
  if (!r) {
    // The only foreign key is the space; a UNIQUE clash is the name or the id.
    if (r.error().code == Errc::kNotFound) return NotFound("space", d.space_id);
    return Subject(r.error(), "dentry");
  }
  return {};
}

template <class Connection>
Result<void> SqlDentryRecords<Connection>::Update(const domain::Dentry& d) {
  auto r = Exec(conn_,
                "UPDATE dentries SET parent_id = ?3, name = ?6, size = ?8, "
                "version = ?9, status = ?10, modifier_id = ?12, modified_time = ?14, "
                "read_only = ?15, blob_id = ?16, app_properties = ?17 "
                "WHERE id = ?1 AND space_id = ?2",
                [&](Statement& st) { BindDentry(st, d); });
  if (!r) return Subject(r.error(), "dentry");
  if (conn_.Changes() == 0) return NotFound("dentry", d.id);
  return {};
}

template <class Connection>
Result<std::vector<domain::AncestorLink>> SqlDentryRecords<Connection>::Ancestry(
    std::string_view space_id, std::string_view folder_id) {
  return QueryAll<domain::AncestorLink>(
      conn_, kAncestrySql[Connection::kDialect],
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, folder_id); },
      [](const Statement& st) {
        return domain::AncestorLink{st.Text(0), st.Text(1), st.Text(2)};
      });
}

template <class Connection>
Result<int64_t> SqlDentryRecords<Connection>::Rehome(std::string_view space_id,
                                                     std::string_view root_id,
                                                     std::string_view target_space_id,
                                                     std::string_view target_parent_id,
                                                     std::string_view name) {
  // The descendants first, found from the root while it is still in place; their parents are
  // ids of the subtree, unique store-wide, so no name can clash in the target space.
  auto moved =
      Exec(conn_,
           SUBTREE_SQL("UPDATE dentries SET space_id = ?3 "
                       "WHERE id IN (SELECT id FROM sub WHERE id <> ?2)")[Connection::kDialect],
           [&](Statement& st) { st.Bind(1, space_id).Bind(2, root_id).Bind(3, target_space_id); });
  if (!moved) return Subject(moved.error(), "dentry");
  const int64_t descendants = conn_.Changes();
  auto r = Exec(conn_,
                "UPDATE dentries SET space_id = ?3, parent_id = ?4, name = ?5 "
                "WHERE id = ?2 AND space_id = ?1",
                [&](Statement& st) {
                  st.Bind(1, space_id)
                      .Bind(2, root_id)
                      .Bind(3, target_space_id)
                      .Bind(4, target_parent_id)
                      .Bind(5, name);
                });
  if (!r) return Subject(r.error(), "dentry");
  if (conn_.Changes() == 0) return NotFound("dentry", root_id);
  return descendants + 1;
}

template <class Connection>
Result<std::vector<domain::Dentry>> SqlDentryRecords<Connection>::Page(
    const char* sql, std::string_view space_id, std::string_view parent_id,
    const domain::PageRange& range) {
  return InSnapshot([&] { return ReadPage(sql, space_id, parent_id, range); });
}

template <class Connection>
Result<std::vector<domain::Dentry>> SqlDentryRecords<Connection>::ReadPage(
    const char* sql, std::string_view space_id, std::string_view parent_id,
    const domain::PageRange& range) {
  auto rows = QueryAll<domain::Dentry>(
      conn_, sql,
      [&](Statement& st) {
        st.Bind(1, space_id).Bind(2, parent_id).Bind(3, int64_t{range.limit});
        if (!range.after) return;
        if (range.order == domain::DentryOrder::kName) {
          st.Bind(4, range.after->text);
        } else {
          st.Bind(4, range.after->number).Bind(5, range.after->id);
        }
      },
      ReadDentry<Statement>);
  if (!rows) return rows;
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(*rows); !ok) return ok.error();
  return rows;
}

template <class Connection>
Result<std::vector<domain::Dentry>> SqlDentryRecords<Connection>::ListChildren(
    std::string_view space_id, std::string_view parent_id, const domain::PageRange& range) {
  return Page(ChildrenSql(range.order, range.descending, range.after.has_value()), space_id,
              parent_id, range);
}

template <class Connection>
Result<std::vector<domain::Dentry>> SqlDentryRecords<Connection>::ListAll(
    std::string_view space_id, const domain::PageRange& range) {
  // ?2 is unused by the whole-space statements; binding it keeps one Page() for both.
  return Page(AllSql(range.descending, range.after.has_value()), space_id, "", range);
}

template <class Connection>
Result<void> SqlDentryRecords<Connection>::InsertVersion(const domain::DentryVersion& v) {
  auto r = InsertRow(conn_,
                     "INSERT INTO dentry_versions (dentry_id, version, size, blob_id, modifier_id, "
                     "modified_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                     [&](Statement& st) {
                       st.Bind(1, v.dentry_id)
                           .Bind(2, v.version)
                           .Bind(3, v.size)
                           .Bind(4, v.blob_id)
                           .Bind(5, v.modifier_id)
                           .Bind(6, v.modified_time);
                     });
  if (!r) return Subject(r.error(), "version");
  return {};
}

template <class Connection>
Result<domain::DentryVersion> SqlDentryRecords<Connection>::GetVersion(std::string_view dentry_id,
                                                                       int64_t version) {
  return QueryOne<domain::DentryVersion>(
      conn_, VERSION_SELECT "WHERE dentry_id = ?1 AND version = ?2",
      [&](Statement& st) { st.Bind(1, dentry_id).Bind(2, version); },
      detail::ReadVersion<Statement>, "version", std::to_string(version));
}

template <class Connection>
Result<std::vector<domain::DentryVersion>> SqlDentryRecords<Connection>::ListVersions(
    std::string_view dentry_id) {
  return QueryAll<domain::DentryVersion>(
      conn_, VERSION_SELECT "WHERE dentry_id = ?1 ORDER BY version DESC",
      [&](Statement& st) { st.Bind(1, dentry_id); }, detail::ReadVersion<Statement>);
}

template <class Connection>
Result<std::vector<domain::DentryVersion>> SqlDentryRecords<Connection>::ListVersionsPage(
    std::string_view dentry_id, std::optional<int64_t> before, int limit) {
  // A range scan of the primary key (dentry_id, version) backwards; without `before` the bound
  // is past every version number.
  return QueryAll<domain::DentryVersion>(
      conn_, kVersionPageSql,
      [&](Statement& st) {
        st.Bind(1, dentry_id)
            .Bind(2, before.value_or(std::numeric_limits<int64_t>::max()))
            .Bind(3, int64_t{limit});
      },
      detail::ReadVersion<Statement>);
}

template <class Connection>
Result<int64_t> SqlDentryRecords<Connection>::SumVersionBytes(std::string_view space_id) {
  return QueryOne<int64_t>(
      conn_,
      "SELECT COALESCE(SUM(v.size), 0) FROM dentry_versions v JOIN dentries d "
      "ON d.id = v.dentry_id WHERE d.space_id = ?1",
      [&](Statement& st) { st.Bind(1, space_id); }, [](const Statement& st) { return st.Int(0); },
      "space", space_id);
}

template <class Connection>
Result<bool> SqlDentryRecords<Connection>::IsBlobReferenced(std::string_view blob_id) {
  return QueryOne<bool>(
      conn_, "SELECT EXISTS (SELECT 1 FROM dentry_versions WHERE blob_id = ?1)",
      [&](Statement& st) { st.Bind(1, blob_id); },
      [](const Statement& st) { return st.Int(0) != 0; }, "blob", blob_id);
}

template <class Connection>
Result<std::vector<domain::DentryVersion>> SqlDentryRecords<Connection>::ListSpaceVersions(
    std::string_view space_id, std::string_view after_dentry_id, int64_t after_version, int limit) {
  // Walks dentry_versions by its primary key; the row-value comparison resumes a page there.
  return QueryAll<domain::DentryVersion>(
      conn_,
      "SELECT v.dentry_id, v.version, v.size, v.blob_id, v.modifier_id, v.modified_time "
      "FROM dentry_versions v JOIN dentries d ON d.id = v.dentry_id "
      "WHERE d.space_id = ?1 AND (v.dentry_id, v.version) > (?2, ?3) "
      "ORDER BY v.dentry_id, v.version LIMIT ?4",
      [&](Statement& st) {
        st.Bind(1, space_id)
            .Bind(2, after_dentry_id)
            .Bind(3, after_version)
            .Bind(4, int64_t{limit});
      },
      detail::ReadVersion<Statement>);
}

template <class Connection>
Result<std::vector<domain::Dentry>> SqlDentryRecords<Connection>::ListSubtree(
    std::string_view space_id, std::string_view root_id) {
  return QueryAll<domain::Dentry>(
      conn_, kListSubtreeSql[Connection::kDialect],
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, root_id); }, ReadDentry<Statement>);
}

template <class Connection>
Result<domain::SubtreeTotals> SqlDentryRecords<Connection>::MeasureSubtree(
    std::string_view space_id, std::string_view root_id) {
  return QueryOne<domain::SubtreeTotals>(
      conn_, kMeasureSubtreeSql[Connection::kDialect],
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, root_id); },
      [](const Statement& st) {
        return domain::SubtreeTotals{st.Int(0), st.Int(1), st.Int(2)};
      },
      "dentry", root_id);
}

}  // namespace spacestore::storage::sql
