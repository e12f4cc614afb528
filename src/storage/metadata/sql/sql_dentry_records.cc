// The dentry statements built at run time (listings, batches of ids), once per process, for
// both dialects. The records themselves are in sql_dentry_records_impl.h.
#include "storage/metadata/sql/sql_dentry_records.h"

#include <array>
#include <string>

namespace spacestore::storage::sql {

const char* SelectDentriesByIdSql(Dialect dialect, size_t n) {
  // On SQLite, "+space_id" and "+status" keep it off the (space_id, ...) indexes: without
  // statistics it would otherwise prefer scanning the whole space over 30 lookups by the unique
  // id.
  static const auto statements = [] {
    std::array<std::array<std::string, kMaxIdsPerSelect + 1>, 2> sql;
    for (const Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
      const char* hint = d == Dialect::kSqlite ? "+" : "";
      for (size_t count = 1; count <= kMaxIdsPerSelect; ++count) {
        std::string q = "SELECT " DENTRY_COLUMNS " FROM dentries WHERE id IN (";
        for (size_t i = 0; i < count; ++i) q += (i ? ", ?" : "?") + std::to_string(i + 2);
        q.append(") AND ")
            .append(hint)
            .append("space_id = ?1 AND ")
            .append(hint)
            .append("status = 0");
        sql[static_cast<size_t>(d)][count] = std::move(q);
      }
    }
    return sql;
  }();
  return statements[static_cast<size_t>(dialect)].at(n).c_str();
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

}  // namespace spacestore::storage::sql
