// The subtree walks of copies are index searches: the recursive CTE reaches each folder's
// children through a partial (space_id, parent_id) index and each row through the id index, never
// by scanning the table or the space, so a copy costs what its subtree holds, not what the space or
// the store does.
#include <string>

#include <gtest/gtest.h>

#include "storage/metadata/sql/sql_dentry_records.h"
#include "storage/metadata/sqlite/sqlite_db.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"

namespace spacestore::storage::sqlite {
namespace {

// EXPLAIN QUERY PLAN of `explain` (which must outlive `conn`): the detail lines.
std::string Plan(Connection& conn, const std::string& explain) {
  auto st = conn.Prepare(explain.c_str());
  EXPECT_TRUE(st) << st.error().message;
  if (!st) return "";
  std::string plan;
  for (;;) {
    auto row = st->Step();
    EXPECT_TRUE(row) << row.error().message;
    if (!row || !*row) return plan;
    plan += st->Text(3) + "\n";
  }
}

TEST(SubtreePlanTest, SubtreeWalksSearchTheIndexes) {
  testing::TempDir dir;
  const std::string path = dir.File("metadata.db");
  auto store = SqliteMetadataStore::Open(path);
  ASSERT_TRUE(store) << store.error().message;
  const std::string list =
      std::string("EXPLAIN QUERY PLAN ") + sql::kListSubtreeSql[sql::Dialect::kSqlite];
  const std::string measure =
      std::string("EXPLAIN QUERY PLAN ") + sql::kMeasureSubtreeSql[sql::Dialect::kSqlite];
  auto conn = Connection::Open(path);
  ASSERT_TRUE(conn) << conn.error().message;
  for (const std::string* explain : {&list, &measure}) {
    const std::string plan = Plan(**conn, *explain);
    EXPECT_NE(plan.find("SEARCH dentries USING INDEX sqlite_autoindex_dentries_1 (id=?)"),
              std::string::npos)
        << plan;
    // Any of the partial (space_id, parent_id, ...) WHERE status = 0 indexes will do.
    const size_t children = plan.find("SEARCH d USING INDEX dentries_by_");
    ASSERT_NE(children, std::string::npos) << plan;
    EXPECT_NE(plan.find("(space_id=? AND parent_id=?)", children), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN dentries"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN d\n"), std::string::npos) << plan;
  }
}

}  // namespace
}  // namespace spacestore::storage::sqlite
