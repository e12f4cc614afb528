// The dentry aggregate's statements on SQLite.
#include "storage/metadata/sqlite/sqlite_dentry_records.h"

#include <algorithm>
#include <array>
#include <limits>

#include <sqlite3.h>

#include "domain/folder_paths.h"

namespace spacestore::storage::sqlite {

using sql::BindDentry;
using sql::Exec;
using sql::NotFound;
using sql::QueryAll;
using sql::QueryOne;
using sql::Subject;
namespace {

#define VERSION_SELECT \
  "SELECT dentry_id, version, size, blob_id, modifier_id, modified_time FROM dentry_versions "

domain::DentryVersion ReadVersion(const Statement& st) {
  return domain::DentryVersion{st.Text(0), st.Int(1), st.Int(2), st.Text(3), st.Text(4), st.Int(5)};
}

}  // namespace

const char* SelectDentriesByIdSql(size_t n) {
  // "+space_id" and "+status" keep SQLite off the (space_id, ...) indexes: without statistics
  // it would otherwise prefer scanning the whole space over 30 lookups by the unique id.
  static const auto statements = [] {
    std::array<std::string, kMaxIdsPerSelect + 1> sql;
    for (size_t count = 1; count <= kMaxIdsPerSelect; ++count) {
      std::string q = "SELECT " DENTRY_COLUMNS " FROM dentries WHERE id IN (";
      for (size_t i = 0; i < count; ++i) q += (i ? ", ?" : "?") + std::to_string(i + 2);
      sql[count] = q + ") AND +space_id = ?1 AND +status = 0";
    }
    return sql;
  }();
  return statements.at(n).c_str();
}

// The listing statements, built once: [order][descending][has cursor].
const char* ChildrenSql(domain::DentryOrder order, bool descending, bool has_cursor) {
  static const auto table = [] {
    std::array<std::array<std::array<std::string, 2>, 2>, 4> sql;
    const std::array<const char*, 4> columns = {"modified_time", "create_time", "name", "size"};
    for (int o = 0; o < 4; ++o) {
      for (int d = 0; d < 2; ++d) {
        for (int c = 0; c < 2; ++c) {
          const std::string col = columns[o];
          const bool by_name = col == "name";  // Unique among siblings: no id tie-break needed.
          const char* dir = d ? "DESC" : "ASC";
          const char* cmp = d ? "<" : ">";
          std::string q = "SELECT " DENTRY_COLUMNS
                          " FROM dentries WHERE space_id = ?1 AND parent_id = ?2 AND status = 0";
          if (c) {
            q += by_name ? std::string(" AND name ") + cmp + " ?4"
                         : " AND (" + col + ", id) " + cmp + " (?4, ?5)";
          }
          q += " ORDER BY " + col + " " + dir + (by_name ? "" : std::string(", id ") + dir);
          q += " LIMIT ?3";
          sql[o][d][c] = q;
        }
      }
    }
    return sql;
  }();
  return table[static_cast<int>(order)][descending][has_cursor].c_str();
}

const char* AllSql(bool descending, bool has_cursor) {
  static const auto table = [] {
    std::array<std::array<std::string, 2>, 2> sql;
    for (int d = 0; d < 2; ++d) {
      for (int c = 0; c < 2; ++c) {
        const char* dir = d ? "DESC" : "ASC";
        std::string q =
            "SELECT " DENTRY_COLUMNS " FROM dentries WHERE space_id = ?1 AND status = 0";
        if (c) q += std::string(" AND (modified_time, id) ") + (d ? "<" : ">") + " (?4, ?5)";
        q += std::string(" ORDER BY modified_time ") + dir + ", id " + dir + " LIMIT ?3";
        sql[d][c] = q;
      }
    }
    return sql;
  }();
  return table[descending][has_cursor].c_str();
}

template <class Read>
auto SqliteDentryRecords::InSnapshot(Read read) -> decltype(read()) {
  if (sqlite3_get_autocommit(conn_.raw()) == 0) return read();
  // Cached statements: sqlite3_exec would parse BEGIN and COMMIT on every read.
  const auto none = [](Statement&) {};
  if (auto begun = Exec(conn_, "BEGIN", none); !begun) return begun.error();
  auto out = read();
  // Nothing was written: COMMIT only ends the snapshot, whether the read failed or not.
  if (auto ended = Exec(conn_, "COMMIT", none); !ended && out) return ended.error();
  return out;
}

// DentryRecords

Result<domain::Dentry> SqliteDentryRecords::Get(std::string_view space_id,
                                                std::string_view dentry_id) {
  return InSnapshot([&]() -> Result<domain::Dentry> {
    auto d = QueryOne<domain::Dentry>(
        conn_, kSelectDentrySql, [&](Statement& st) { st.Bind(1, dentry_id).Bind(2, space_id); },
        sql::ReadDentry<Statement>, "dentry", dentry_id);
    if (!d) return d;
    if (auto ok = domain::FolderPaths(*this, space_id).Fill(*d); !ok) return ok.error();
    return d;
  });
}

Result<std::vector<domain::Dentry>> SqliteDentryRecords::GetMany(
    std::string_view space_id, const std::vector<std::string>& ids) {
  return InSnapshot([&] { return ReadMany(space_id, ids); });
}

Result<std::vector<domain::Dentry>> SqliteDentryRecords::ReadMany(
    std::string_view space_id, const std::vector<std::string>& ids) {
  // One statement per batch of ids: a statement per id would cost a lock round trip each.
  std::vector<domain::Dentry> out;
  for (size_t first = 0; first < ids.size(); first += kMaxIdsPerSelect) {
    const size_t n = std::min(kMaxIdsPerSelect, ids.size() - first);
    auto rows = QueryAll<domain::Dentry>(
        conn_, SelectDentriesByIdSql(n),
        [&](Statement& st) {
          st.Bind(1, space_id);
          for (size_t i = 0; i < n; ++i) st.Bind(static_cast<int>(i + 2), ids[first + i]);
        },
        sql::ReadDentry<Statement>);
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

Result<std::optional<domain::Dentry>> SqliteDentryRecords::FindChild(std::string_view space_id,
                                                                     std::string_view parent_id,
                                                                     std::string_view name) {
  auto rows = QueryAll<domain::Dentry>(
      conn_,
      "SELECT " DENTRY_COLUMNS
      " FROM dentries WHERE space_id = ?1 AND parent_id = ?2 AND name = ?3 AND status = 0",
      [&](Statement& st) { st.Bind(1, space_id).Bind(2, parent_id).Bind(3, name); },
      sql::ReadDentry<Statement>);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<domain::Dentry>();
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(rows->front()); !ok) return ok.error();
  return std::optional<domain::Dentry>(std::move(rows->front()));
}

Result<void> SqliteDentryRecords::Insert(const domain::Dentry& d) {
  auto r = Exec(conn_,
                "INSERT INTO dentries (" DENTRY_COLUMNS
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                "?16, ?17)",
                [&](Statement& st) { BindDentry(st, d); });
  if (!r) {
    // The only foreign key is the space; a UNIQUE clash is the name or the id.
    if (r.error().code == Errc::kNotFound) return NotFound("space", d.space_id);
    return Subject(r.error(), "dentry");
  }
  return {};
}

Result<void> SqliteDentryRecords::Update(const domain::Dentry& d) {
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

Result<std::vector<domain::AncestorLink>> SqliteDentryRecords::Ancestry(
    std::string_view space_id, std::string_view folder_id) {
  return QueryAll<domain::AncestorLink>(
      conn_, kAncestrySql, [&](Statement& st) { st.Bind(1, space_id).Bind(2, folder_id); },
      [](const Statement& st) {
        return domain::AncestorLink{st.Text(0), st.Text(1), st.Text(2)};
      });
}

Result<int64_t> SqliteDentryRecords::Rehome(std::string_view space_id, std::string_view root_id,
                                            std::string_view target_space_id,
                                            std::string_view target_parent_id,
                                            std::string_view name) {
  // The descendants first, found from the root while it is still in place; their parents are
  // ids of the subtree, unique store-wide, so no name can clash in the target space.
  auto moved =
      Exec(conn_,
           SUBTREE_CTE
           "UPDATE dentries SET space_id = ?3 "
           "WHERE id IN (SELECT id FROM sub WHERE id <> ?2)",
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

Result<std::vector<domain::Dentry>> SqliteDentryRecords::Page(const char* sql,
                                                              std::string_view space_id,
                                                              std::string_view parent_id,
                                                              const domain::PageRange& range) {
  return InSnapshot([&] { return ReadPage(sql, space_id, parent_id, range); });
}

Result<std::vector<domain::Dentry>> SqliteDentryRecords::ReadPage(const char* sql,
                                                                  std::string_view space_id,
                                                                  std::string_view parent_id,
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
      sql::ReadDentry<Statement>);
  if (!rows) return rows;
  if (auto ok = domain::FolderPaths(*this, space_id).Fill(*rows); !ok) return ok.error();
  return rows;
}

Result<std::vector<domain::Dentry>> SqliteDentryRecords::ListChildren(
    std::string_view space_id, std::string_view parent_id, const domain::PageRange& range) {
  return Page(ChildrenSql(range.order, range.descending, range.after.has_value()), space_id,
              parent_id, range);
}

Result<std::vector<domain::Dentry>> SqliteDentryRecords::ListAll(std::string_view space_id,
                                                                 const domain::PageRange& range) {
  // ?2 is unused by the whole-space statements; binding it keeps one Page() for both.
  return Page(AllSql(range.descending, range.after.has_value()), space_id, "", range);
}

Result<void> SqliteDentryRecords::InsertVersion(const domain::DentryVersion& v) {
  auto r = Exec(conn_,
                "INSERT INTO dentry_versions (dentry_id, version, size, blob_id, modifier_id, "
                "modified_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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

Result<domain::DentryVersion> SqliteDentryRecords::GetVersion(std::string_view dentry_id,
                                                              int64_t version) {
  return QueryOne<domain::DentryVersion>(
      conn_, VERSION_SELECT "WHERE dentry_id = ?1 AND version = ?2",
      [&](Statement& st) { st.Bind(1, dentry_id).Bind(2, version); }, ReadVersion, "version",
      std::to_string(version));
}

Result<std::vector<domain::DentryVersion>> SqliteDentryRecords::ListVersions(
    std::string_view dentry_id) {
  return QueryAll<domain::DentryVersion>(
      conn_, VERSION_SELECT "WHERE dentry_id = ?1 ORDER BY version DESC",
      [&](Statement& st) { st.Bind(1, dentry_id); }, ReadVersion);
}

Result<std::vector<domain::DentryVersion>> SqliteDentryRecords::ListVersionsPage(
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
      ReadVersion);
}

Result<int64_t> SqliteDentryRecords::SumVersionBytes(std::string_view space_id) {
  return QueryOne<int64_t>(
      conn_,
      "SELECT COALESCE(SUM(v.size), 0) FROM dentry_versions v JOIN dentries d "
      "ON d.id = v.dentry_id WHERE d.space_id = ?1",
      [&](Statement& st) { st.Bind(1, space_id); }, [](const Statement& st) { return st.Int(0); },
      "space", space_id);
}

Result<bool> SqliteDentryRecords::IsBlobReferenced(std::string_view blob_id) {
  return QueryOne<bool>(
      conn_, "SELECT EXISTS (SELECT 1 FROM dentry_versions WHERE blob_id = ?1)",
      [&](Statement& st) { st.Bind(1, blob_id); },
      [](const Statement& st) { return st.Int(0) != 0; }, "blob", blob_id);
}

Result<std::vector<domain::DentryVersion>> SqliteDentryRecords::ListSpaceVersions(
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
      ReadVersion);
}

Result<std::vector<domain::Dentry>> SqliteDentryRecords::ListSubtree(std::string_view space_id,
                                                                     std::string_view root_id) {
  return QueryAll<domain::Dentry>(
      conn_, kListSubtreeSql, [&](Statement& st) { st.Bind(1, space_id).Bind(2, root_id); },
      sql::ReadDentry<Statement>);
}

Result<domain::SubtreeTotals> SqliteDentryRecords::MeasureSubtree(std::string_view space_id,
                                                                  std::string_view root_id) {
  return QueryOne<domain::SubtreeTotals>(
      conn_, kMeasureSubtreeSql, [&](Statement& st) { st.Bind(1, space_id).Bind(2, root_id); },
      [](const Statement& st) {
        return domain::SubtreeTotals{st.Int(0), st.Int(1), st.Int(2)};
      },
      "dentry", root_id);
}

}  // namespace spacestore::storage::sqlite
