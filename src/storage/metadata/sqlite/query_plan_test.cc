// The hot dentry queries are index searches on the migrated schema: no full scan of the table
// or of a space, no temporary sort. A plan regression here makes GetDentries or a listing
// slow in proportion to the space's size, which no functional test would notice.
#include <deque>
#include <string>

#include <gtest/gtest.h>

#include "storage/metadata/sql/sql_dentry_records.h"
#include "storage/metadata/sql/sql_event_records.h"
#include "storage/metadata/sql/sql_permission_records.h"
#include "storage/metadata/sqlite/sqlite_db.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"

namespace spacestore::storage::sqlite {
namespace {

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = dir_.File("metadata.db");
    auto store = SqliteMetadataStore::Open(path);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto conn = Connection::Open(path);
    ASSERT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
  }

  // The plan's detail lines, one per line.
  std::string Plan(const char* sql) {
    // Connection caches statements by the SQL's address: each text must stay alive.
    const std::string& explain = explains_.emplace_back(std::string("EXPLAIN QUERY PLAN ") + sql);
    auto st = conn_->Prepare(explain.c_str());
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

  testing::TempDir dir_;
  std::unique_ptr<SqliteMetadataStore> store_;
  std::unique_ptr<Connection> conn_;
  std::deque<std::string> explains_;
};

TEST_F(QueryPlanTest, DentriesByIdUseTheIdIndex) {
  for (size_t n : {size_t{1}, size_t{2}, sql::kMaxIdsPerSelect}) {
    const std::string plan = Plan(sql::SelectDentriesByIdSql(sql::Dialect::kSqlite, n));
    EXPECT_EQ(plan, "SEARCH dentries USING INDEX sqlite_autoindex_dentries_1 (id=?)\n")
        << "n = " << n;
  }
  EXPECT_EQ(Plan(sql::kSelectDentrySql),
            "SEARCH dentries USING INDEX sqlite_autoindex_dentries_1 (id=?)\n");
}

TEST_F(QueryPlanTest, ListingPagesAreRangeScansWithoutSorting) {
  using domain::DentryOrder;
  for (DentryOrder order : {DentryOrder::kModifiedTime, DentryOrder::kCreateTime,
                            DentryOrder::kName, DentryOrder::kSize}) {
    for (bool descending : {false, true}) {
      for (bool cursor : {false, true}) {
        const std::string plan = Plan(sql::ChildrenSql(order, descending, cursor));
        EXPECT_EQ(plan.rfind("SEARCH dentries USING INDEX dentries_by_", 0), 0U) << plan;
        EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
      }
    }
  }
  for (bool descending : {false, true}) {
    for (bool cursor : {false, true}) {
      const std::string plan = Plan(sql::AllSql(descending, cursor));
      EXPECT_EQ(plan.rfind("SEARCH dentries USING INDEX dentries_all_by_modified", 0), 0U) << plan;
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
    }
  }
}

TEST_F(QueryPlanTest, VersionPagesAreRangeScansOfThePrimaryKey) {
  const std::string plan = Plan(sql::kVersionPageSql);
  EXPECT_EQ(plan.rfind("SEARCH dentry_versions USING INDEX sqlite_autoindex_dentry_versions_1", 0),
            0U)
      << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

// A path costs one search of the unique id index per ancestor, never a scan: a folder deep in a
// large space is as cheap to list as one at the top.
TEST_F(QueryPlanTest, AncestryWalksTheIdIndex) {
  EXPECT_EQ(Plan(sql::kAncestrySql[sql::Dialect::kSqlite]),
            "CO-ROUTINE up\n"
            "SETUP\n"
            "SEARCH dentries USING INDEX sqlite_autoindex_dentries_1 (id=?)\n"
            "RECURSIVE STEP\n"
            "SCAN up\n"
            "SEARCH d USING INDEX sqlite_autoindex_dentries_1 (id=?)\n"
            "SCAN up\n");
}

// The access checks read a space's grants whenever its permission generation moved, and a
// user's removal runs the member statements over the whole org: none of them may scan a table
// or sort.
TEST_F(QueryPlanTest, PermissionReadsAndMemberRemovalUseTheirIndexes) {
  EXPECT_EQ(Plan(sql::kListSpaceGrantsSql),
            "SEARCH permissions USING INDEX sqlite_autoindex_permissions_1 (space_id=?)\n");
  EXPECT_EQ(Plan(sql::kUserDepartmentsSql),
            "SEARCH department_members USING COVERING INDEX department_members_by_user "
            "(corp_id=? AND union_id=?)\n");
  for (const char* sql : {sql::kMoveMemberSpacesSql, sql::kRemoveMemberGrantsSql}) {
    const std::string plan = Plan(sql);
    EXPECT_NE(plan.find("USING COVERING INDEX permissions_by_member"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  }
}

// The event log's reads (sql_event_records.h): an org's events after a seq are a range of the
// primary key, a space's a range of events_by_space; neither scans the log or sorts it.
TEST_F(QueryPlanTest, EventLogReadsAreRangesInSeqOrder) {
  for (const char* sql : {sql::kListOrgEventsSql, sql::kListSpaceEventsSql}) {
    const std::string plan = Plan(sql);
    EXPECT_NE(plan.find("SEARCH events USING"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  }
  EXPECT_NE(Plan(sql::kListSpaceEventsSql).find("events_by_space"), std::string::npos);
}

}  // namespace
}  // namespace spacestore::storage::sqlite
