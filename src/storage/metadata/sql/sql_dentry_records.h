#pragma once

#include <cstddef>

#include "domain/dentry_records.h"
#include "storage/metadata/sql/dialect.h"
#include "storage/metadata/sql/sql_rows.h"

namespace spacestore::storage::sql {

// The dentry aggregate on SQLite and PostgreSQL (one text for both but for SQLite's planner
// hints, over a backend's Connection; sql_rows.h): tables dentries and dentry_versions. Names are
// unique among NORMAL siblings by a partial UNIQUE index; triggers move the space's
// dentry_generation on every dentry write (migration 3). Paths are computed on read
// (domain::FolderPaths) by a recursive walk over the unique id index (kAncestrySql); the `path`
// column is unused since migration 4. Listings use keyset pagination over the per-order partial
// indexes (migration 2): a page is one range scan, whatever the folder's size.
// Thread-safety: confined, like its connection, to the transaction's thread. Borrows `conn`.
template <class Connection>
class SqlDentryRecords final : public domain::DentryRecords {
 public:
  using Statement = typename Connection::Statement;

  explicit SqlDentryRecords(Connection& conn) : conn_(conn) {}

  // DentryRecords
  Result<domain::Dentry> Get(std::string_view space_id, std::string_view dentry_id) override;
  Result<std::vector<domain::Dentry>> GetMany(std::string_view space_id,
                                              const std::vector<std::string>& ids) override;
  Result<std::optional<domain::Dentry>> FindChild(std::string_view space_id,
                                                  std::string_view parent_id,
                                                  std::string_view name) override;
  Result<void> Insert(const domain::Dentry& dentry) override;
  Result<void> Update(const domain::Dentry& dentry) override;
  Result<std::vector<domain::AncestorLink>> Ancestry(std::string_view space_id,
                                                     std::string_view folder_id) override;
  Result<int64_t> Rehome(std::string_view space_id, std::string_view root_id,
                         std::string_view target_space_id, std::string_view target_parent_id,
                         std::string_view name) override;
  Result<std::vector<domain::Dentry>> ListChildren(std::string_view space_id,
                                                   std::string_view parent_id,
                                                   const domain::PageRange& range) override;
  Result<std::vector<domain::Dentry>> ListAll(std::string_view space_id,
                                              const domain::PageRange& range) override;
  Result<void> InsertVersion(const domain::DentryVersion& version) override;
  Result<domain::DentryVersion> GetVersion(std::string_view dentry_id, int64_t version) override;
  Result<std::vector<domain::DentryVersion>> ListVersions(std::string_view dentry_id) override;
  Result<std::vector<domain::DentryVersion>> ListVersionsPage(std::string_view dentry_id,
                                                              std::optional<int64_t> before,
                                                              int limit) override;
  Result<int64_t> SumVersionBytes(std::string_view space_id) override;
  Result<bool> IsBlobReferenced(std::string_view blob_id) override;
  Result<std::vector<domain::DentryVersion>> ListSpaceVersions(std::string_view space_id,
                                                               std::string_view after_dentry_id,
                                                               int64_t after_version,
                                                               int limit) override;
  Result<std::vector<domain::Dentry>> ListSubtree(std::string_view space_id,
                                                  std::string_view root_id) override;
  Result<domain::SubtreeTotals> MeasureSubtree(std::string_view space_id,
                                               std::string_view root_id) override;

 private:
  // Runs `read` (rows, then their ancestors for the paths) in one read snapshot: inside the
  // caller's transaction, or in one of its own when the connection is in autocommit (ReadOne
  // and the GetDentries fast path), so a path never mixes two states of the tree.
  template <class Read>
  auto InSnapshot(Read read) -> decltype(read());
  Result<std::vector<domain::Dentry>> Page(const char* sql, std::string_view space_id,
                                           std::string_view parent_id,
                                           const domain::PageRange& range);
  // GetMany and Page without the snapshot.
  Result<std::vector<domain::Dentry>> ReadMany(std::string_view space_id,
                                               const std::vector<std::string>& ids);
  Result<std::vector<domain::Dentry>> ReadPage(const char* sql, std::string_view space_id,
                                               std::string_view parent_id,
                                               const domain::PageRange& range);

  Connection& conn_;
};

// The statements below are exposed for the query-plan tests. Each returned string lives as long
// as the process: its address keys the per-connection statement cache.
//
// SQLite plans without statistics, and a few statements steer it: "+column" keeps SQLite off
// the indexes on that column, so it takes the unique id index. PostgreSQL plans from statistics
// and has no unary + for text. Those statements are written once, with HINT ("+" on SQLite,
// nothing on PostgreSQL), and come in a DialectSql.

// The live dentries of space ?1 among the ids bound to ?2..?(n+1), for n in 1..kMaxIdsPerSelect.
constexpr size_t kMaxIdsPerSelect = 30;
const char* SelectDentriesByIdSql(Dialect dialect, size_t n);
// One dentry by id ?1 in space ?2, whatever its status.
inline constexpr const char* kSelectDentrySql =
    "SELECT " DENTRY_COLUMNS " FROM dentries WHERE id = ?1 AND space_id = ?2";
// The ancestor chain of folder ?2 in space ?1, nearest first (DentryRecords::Ancestry). Each
// level is one search of the unique id index; the space check keeps a chain from ever leaving
// its space. The depth bound stops a cycle only a corrupt store could hold.
#define ANCESTRY_SQL(HINT)                                                            \
  "WITH RECURSIVE up(id, parent_id, name, depth) AS ("                                \
  "SELECT id, parent_id, name, 1 FROM dentries WHERE id = ?2 AND " HINT               \
  "space_id = ?1 "                                                                    \
  "UNION ALL "                                                                        \
  "SELECT d.id, d.parent_id, d.name, up.depth + 1 FROM up JOIN dentries d ON d.id = " \
  "up.parent_id WHERE up.parent_id <> '0' AND up.depth < 4096 AND " HINT              \
  "d.space_id = ?1) "                                                                 \
  "SELECT id, parent_id, name FROM up"
inline constexpr DialectSql kAncestrySql{ANCESTRY_SQL("+"), ANCESTRY_SQL("")};
// Listing pages: space ?1, parent ?2, limit ?3, and with a cursor its sort key ?4 and id ?5.
const char* ChildrenSql(domain::DentryOrder order, bool descending, bool has_cursor);
// The whole space by modified time; ?2 is unused.
const char* AllSql(bool descending, bool has_cursor);
// A page of file ?1's versions numbered below ?2, newest first, at most ?3.
inline constexpr const char* kVersionPageSql =
    "SELECT dentry_id, version, size, blob_id, modifier_id, modified_time FROM dentry_versions "
    "WHERE dentry_id = ?1 AND version < ?2 ORDER BY version DESC LIMIT ?3";

// The subtree of root ?2 in space ?1, shared by every subtree statement (copy, move, delete,
// purge): the root if NORMAL, then the NORMAL children of each folder reached, through one of
// the partial (space_id, parent_id, ...) WHERE status = 0 indexes, so each folder's children
// are one range scan (the hints keep SQLite's root on the unique id index). Columns: id, depth
// below the root (parents sort before children), kind (the type) and bytes (the size). The
// rows an UPDATE or DELETE changes never change what the CTE walks: SQLite evaluates an
// uncorrelated IN (SELECT ... FROM sub) once, before the statement changes anything, and
// PostgreSQL reads the CTE from the snapshot before the statement.
#define SUBTREE_CTE(HINT)                                                                    \
  "WITH RECURSIVE sub(id, depth, kind, bytes) AS ("                                          \
  "SELECT id, 0, type, size FROM dentries WHERE id = ?2 AND " HINT "space_id = ?1 AND " HINT \
  "status = 0 "                                                                              \
  "UNION ALL SELECT d.id, sub.depth + 1, d.type, d.size FROM sub JOIN dentries d "           \
  "ON d.space_id = ?1 AND d.parent_id = sub.id AND d.status = 0 WHERE sub.kind = 1) "
// A statement over the subtree: SUBTREE_CTE, then `tail`, in each dialect. (`tail` is a literal
// to concatenate, so it cannot be parenthesized.)
#define SUBTREE_SQL(tail)                          \
  /* NOLINTNEXTLINE(bugprone-macro-parentheses) */ \
  ::spacestore::storage::sql::DialectSql { SUBTREE_CTE("+") tail, SUBTREE_CTE("") tail }
inline constexpr DialectSql kListSubtreeSql = SUBTREE_SQL(
    "SELECT " DENTRY_COLUMNS " FROM sub JOIN dentries USING (id) ORDER BY sub.depth, dentries.seq");
inline constexpr DialectSql kMeasureSubtreeSql = SUBTREE_SQL(
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN kind = 0 THEN bytes END), 0), "
    "(SELECT COALESCE(SUM(v.size), 0) FROM dentry_versions v "
    "WHERE v.dentry_id IN (SELECT id FROM sub)) FROM sub");

}  // namespace spacestore::storage::sql
