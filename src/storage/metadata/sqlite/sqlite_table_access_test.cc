// SqliteTableAccess, white-box: what only SQLite can show (a table made by hand after the
// migrations, every column type, a missing file). The behaviour every backend shares is the
// TableAccess contract (tests/contract/table_access_contract_test.cc).
#include "storage/metadata/sqlite/sqlite_table_access.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "sqlite_exec.h"
#include "storage/metadata/sqlite/sqlite_metadata_store.h"
#include "temp_dir.h"

namespace spacestore::storage {
namespace {

class SqliteTableAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("metadata.db");
    auto store = SqliteMetadataStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    auto access = SqliteTableAccess::Open(path_);
    ASSERT_TRUE(access) << access.error().message;
    access_ = std::move(*access);
  }

  void Exec(const std::string& sql) { testing::ExecSql(path_, sql); }

  TableInfo Table(const std::string& name) {
    auto tables = access_->ListTables();
    EXPECT_TRUE(tables) << tables.error().message;
    for (auto& t : *tables) {
      if (t.name == name) return t;
    }
    ADD_FAILURE() << "no table " << name;
    return {};
  }

  testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<SqliteTableAccess> access_;
};

TEST_F(SqliteTableAccessTest, ATableAddedLaterIsListedWithItsTypesAndOrder) {
  Exec(
      "CREATE TABLE zz_parent (id TEXT PRIMARY KEY);"
      "CREATE TABLE aa_child (id INTEGER PRIMARY KEY, parent TEXT REFERENCES zz_parent (id),"
      " weight REAL, payload BLOB);");
  auto tables = access_->ListTables();
  ASSERT_TRUE(tables);
  auto index = [&](const std::string& name) {
    return std::find_if(tables->begin(), tables->end(),
                        [&](const TableInfo& t) { return t.name == name; }) -
           tables->begin();
  };
  EXPECT_LT(index("zz_parent"), index("aa_child"));
  const auto child = Table("aa_child");
  ASSERT_EQ(child.columns.size(), 4u);
  EXPECT_EQ(child.columns[2].type, ColumnType::kReal);
  EXPECT_EQ(child.columns[3].type, ColumnType::kBlob);

  const Row parent{std::string("p")};
  ASSERT_TRUE(access_->InsertRows(Table("zz_parent"), std::span(&parent, 1)));
  const std::vector<Row> rows{{int64_t{1}, std::string("p"), 0.5, Bytes{std::string("\0x", 2)}},
                              {int64_t{2}, Value{}, Value{}, Value{}},
                              {int64_t{3}, Value{}, -1.25, Bytes{}}};
  auto put = access_->InsertRows(child, rows);
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->inserted, 3);
  auto back = access_->ScanRows(child, std::nullopt, 10);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, rows);
}

TEST_F(SqliteTableAccessTest, OpenNeverCreatesADatabase) {
  auto none = SqliteTableAccess::Open(dir_.File("none.db"));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace spacestore::storage
